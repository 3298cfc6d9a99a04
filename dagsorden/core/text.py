"""Text as every entry point stores it: no control characters a document format refuses.

Word's Shift+Enter arrives as U+000B, pasted text brings form feeds and C1 controls, and a
damaged file can hold NUL bytes or lone surrogates. XML (DOCX, PDF tags) and PostgreSQL
refuse some of these, so one function, used by every writer (parsers, forms, services,
importer), keeps them out: line-like controls become line breaks, the rest are dropped.
Pure Python: the parsers use it too.
"""

from __future__ import annotations

import re

# Vertical tab (Word's manual line break), form feed, next line, line and paragraph separators.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 controls but tab and line feed, DEL, C1 controls, lone surrogates, non-characters.
_REFUSED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` with line-like control characters as ``\\n`` and the others removed."""
    if text.isprintable():  # the common case: nothing to do (and no copy made)
        return text
    return _REFUSED.sub("", _LINE_BREAKS.sub("\n", text))


def has_refused_characters(text: str) -> bool:
    """Whether ``clean_text`` would change more than line breaks (for a clear error)."""
    return bool(_REFUSED.search(text))
