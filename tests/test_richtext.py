"""The case editor's rich text: clean blocks from markup and from pasted HTML."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dagsorden.cases.richtext import (
    InvalidRichText,
    blocks_from_html,
    blocks_from_markup,
    markup_from_blocks,
    plain_text,
    validate_blocks,
)
from dagsorden.public.text_blocks import text_blocks

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=1, max_size=8)
PHRASE = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
SENTENCE = PHRASE.map(lambda p: p.capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
HEADING = st.lists(WORD, min_size=1, max_size=4).map(lambda w: " ".join(w).capitalize())
BLOCK = st.one_of(
    PARAGRAPH.map(lambda t: {"kind": "paragraph", "text": t}),
    HEADING.map(lambda t: {"kind": "heading", "text": t}),
    st.lists(PHRASE, min_size=1, max_size=4).map(lambda i: {"kind": "list", "items": i}),
    # One column has no tab to show it is a table: the convention needs two.
    st.integers(2, 4)
    .flatmap(
        lambda width: st.lists(
            st.lists(WORD, min_size=width, max_size=width), min_size=2, max_size=4
        )
    )
    .map(lambda rows: {"kind": "table", "rows": rows}),
)


def _expressible(blocks: list[dict]) -> list[dict]:
    """A heading must be followed by something, as in the plain-text convention."""
    while blocks and blocks[-1]["kind"] == "heading":
        blocks = blocks[:-1]
    return blocks


@settings(max_examples=200)
@given(st.lists(BLOCK, max_size=8).map(_expressible))
def test_markup_round_trip(blocks: list[dict]) -> None:
    markup = markup_from_blocks(blocks)
    assert blocks_from_markup(markup) == blocks
    # The archive's own reader sees the same structure in the text stored on an item.
    assert [b.kind for b in text_blocks(markup)] == [b["kind"] for b in blocks]


def test_pasted_word_table_and_bullets() -> None:
    markup = "Status\n\nVi har tre mål:\n- færre sager\n- kortere tid\n\nÅr\tAntal\n2023\t12"
    assert blocks_from_markup(markup) == [
        {"kind": "heading", "text": "Status"},
        {"kind": "paragraph", "text": "Vi har tre mål:"},
        {"kind": "list", "items": ["færre sager", "kortere tid"]},
        {"kind": "table", "rows": [["År", "Antal"], ["2023", "12"]]},
    ]


WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal
{margin:0}</style><!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]--></head>
<body><p class="MsoNormal"><b>Baggrund<o:p></o:p></b></p>
<p class="MsoNormal" style="mso-line-height:1">Kommunen har&nbsp;haft et merforbrug.<o:p></o:p></p>
<ul><li>Færre sager</li><li>Kortere <span style="color:red">tid</span></li></ul>
<table class="MsoTableGrid"><tr><td><p>År</p></td><td><p>Mio. kr.</p></td></tr>
<tr><td>2023</td><td>2,5</td></tr></table></body></html>"""


def test_word_paste_becomes_clean_blocks() -> None:
    assert blocks_from_html(WORD_PASTE) == [
        {"kind": "heading", "text": "Baggrund"},
        {"kind": "paragraph", "text": "Kommunen har haft et merforbrug."},
        {"kind": "list", "items": ["Færre sager", "Kortere tid"]},
        {"kind": "table", "rows": [["År", "Mio. kr."], ["2023", "2,5"]]},
    ]


@pytest.mark.parametrize(
    "hostile",
    [
        '<p>Hej<script>alert("x")</script></p>',
        '<img src=x onerror="alert(1)"><p>Hej</p>',
        '<p><a href="javascript:alert(1)">Hej</a></p>',
        "<p>Hej</p><style>body{display:none}</style><iframe src='//evil'></iframe>",
        "<svg><script>alert(1)</script></svg><p>Hej</p>",
    ],
)
def test_nothing_executable_survives(hostile: str) -> None:
    blocks = blocks_from_html(hostile)
    assert blocks == [{"kind": "paragraph", "text": "Hej"}]
    assert "<" not in markup_from_blocks(blocks) and "javascript" not in str(blocks)


def test_entities_are_decoded_and_text_escaped_later() -> None:
    assert blocks_from_html("<p>A &amp; B &lt;tag&gt;</p>") == [
        {"kind": "paragraph", "text": "A & B <tag>"}
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("tekst", "list of blocks"),
        ([{"kind": "image"}], "unknown kind"),
        ([{"kind": "list", "items": "a"}], "needs items"),
        ([{"kind": "table", "rows": [[""]]}], "empty"),
        ([{"kind": "paragraph", "text": 5}], "expected text"),
    ],
)
def test_invalid_structures_are_refused(value: object, message: str) -> None:
    with pytest.raises(InvalidRichText, match=message):
        validate_blocks(value)


def test_validate_pads_ragged_tables_and_drops_empty_paragraphs() -> None:
    assert validate_blocks(
        [{"kind": "paragraph", "text": "  "}, {"kind": "table", "rows": [["a", "b"], ["c"]]}]
    ) == [{"kind": "table", "rows": [["a", "b"], ["c", ""]]}]


def test_plain_text_is_running_text_only() -> None:
    blocks = blocks_from_markup("Overskrift\n\nTekst her.\n\n- punkt\n\na\tb")
    assert plain_text(blocks) == "Overskrift\n\nTekst her."
