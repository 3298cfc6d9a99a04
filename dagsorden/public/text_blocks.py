"""Section text (paragraphs split by one blank line) as blocks a template can render.

Inside a paragraph: lines starting "- " are a bullet list, lines with tabs a table, one
short line without end punctuation a sub-heading; other lines are kept as lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SUB_HEADING_MAX = 60


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph", "heading", "list", "table"
    lines: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default=())


def text_blocks(text: str | None) -> list[Block]:
    blocks: list[Block] = []
    for paragraph in (text or "").split("\n\n"):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        if lines:
            blocks.extend(_paragraph_blocks(lines))
    return blocks


def _paragraph_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    run: list[str] = []
    run_kind = ""

    def flush() -> None:
        if run:
            blocks.append(_block(run_kind, run))

    for line in lines:
        kind = _line_kind(line)
        if kind != run_kind:
            flush()
            run, run_kind = [], kind
        run.append(line)
    flush()
    if len(blocks) == 1 and blocks[0].kind == "paragraph" and _is_heading(blocks[0].lines):
        return [Block("heading", blocks[0].lines)]
    return blocks


def _line_kind(line: str) -> str:
    if line.lstrip().startswith(("- ", "• ")):
        return "list"
    if "\t" in line:
        return "table"
    return "paragraph"


def _block(kind: str, lines: list[str]) -> Block:
    if kind == "list":
        return Block("list", tuple(line.lstrip()[2:].strip() for line in lines))
    if kind == "table":
        return Block("table", rows=tuple(tuple(c.strip() for c in ln.split("\t")) for ln in lines))
    return Block("paragraph", tuple(line.strip() for line in lines))


def _is_heading(lines: tuple[str, ...]) -> bool:
    return (
        len(lines) == 1
        and len(lines[0]) <= SUB_HEADING_MAX
        and not lines[0].rstrip().endswith((".", ":", "?", "!", ","))
    )
