"""The one error every parser raises for input it cannot read."""

from __future__ import annotations


class ParseError(Exception):
    """Bad input, with the file, the reason and (where known) the line number."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        reason = " ".join(reason.split("\n")).replace("\r", " ")  # always one line (lxml's are not)
        super().__init__(reason)
        self.source = source
        self.reason = reason
        self.line = line

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"
