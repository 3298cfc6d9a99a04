"""Control characters never reach storage: line-like ones become breaks, others go."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dagsorden.core.text import clean_text, has_refused_characters


def test_word_line_break_becomes_a_line_break() -> None:
    assert clean_text("Ad 1: Godkendt\x0bAd 2: Udsat") == "Ad 1: Godkendt\nAd 2: Udsat"
    assert clean_text("a\r\nb\rc\x0cd") == "a\nb\nc\nd"


def test_other_controls_are_removed() -> None:
    assert clean_text("Bud\x00get\x07 2024\x1b") == "Budget 2024"
    assert clean_text("ok\x85ja") == "ok\nja"
    assert has_refused_characters("a\x00b") and not has_refused_characters("a\nb\tc")


def test_ordinary_danish_text_is_untouched() -> None:
    text = "Målsætninger 2024 – »æøå« ÆØÅ\n\tTabel\t1.760 kr."
    assert clean_text(text) == text


@given(st.text())
def test_cleaned_text_is_xml_safe_and_stable(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    for character in cleaned:
        code = ord(character)
        assert character in "\t\n" or (code >= 0x20 and not 0x7F <= code <= 0x9F)
        assert not 0xD800 <= code <= 0xDFFF and code not in (0xFFFE, 0xFFFF)
