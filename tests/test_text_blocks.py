"""The section text formatter: plain text -> blocks -> escaped HTML."""

from __future__ import annotations

from django.template.loader import render_to_string

from dagsorden.public.text_blocks import Block, text_blocks


def test_nothing_gives_no_blocks() -> None:
    assert text_blocks(None) == []
    assert text_blocks("") == []
    assert text_blocks("\n\n  \n") == []


def test_paragraphs_split_at_blank_lines_and_keep_their_lines() -> None:
    text = "Linje et\nlinje to.\n\nAnden afsnit med en sætning."
    assert text_blocks(text) == [
        Block("paragraph", ("Linje et", "linje to.")),
        Block("paragraph", ("Anden afsnit med en sætning.",)),
    ]


def test_windows_newlines_and_blank_lines_with_spaces() -> None:
    assert text_blocks("Et.\r\n  \r\nTo.\r\n\r\n\r\nTre.") == [
        Block("paragraph", ("Et.",)),
        Block("paragraph", ("To.",)),
        Block("paragraph", ("Tre.",)),
    ]


def test_bullet_lines_are_a_list() -> None:
    text = "Punkter:\n- Tid - en væsentlig faktor\n- Ledelse\n• Kultur"
    assert text_blocks(text) == [
        Block("paragraph", ("Punkter:",)),
        Block("list", ("Tid - en væsentlig faktor", "Ledelse", "Kultur")),
    ]


def test_a_dash_inside_a_line_is_not_a_bullet() -> None:
    assert text_blocks("Budget 2024 - status.") == [Block("paragraph", ("Budget 2024 - status.",))]


def test_tab_lines_are_a_table_with_the_first_row_as_header() -> None:
    text = "Sagstype\tSag\tTid\nBeslutning\tSagsskabelon\t10.15 - 10.40 (25)\nOrientering\tBudget"
    [table] = text_blocks(text)
    assert table.kind == "table"
    assert table.header == ("Sagstype", "Sag", "Tid")
    assert table.body == (
        ("Beslutning", "Sagsskabelon", "10.15 - 10.40 (25)"),
        ("Orientering", "Budget", ""),  # short rows are padded
    )


def test_table_keeps_empty_first_cells_and_drops_empty_trailing_columns() -> None:
    [table] = text_blocks("\tQ1\tQ2\t\nIndtægter\t10\t20\t")
    assert table.rows == (("", "Q1", "Q2"), ("Indtægter", "10", "20"))


def test_one_paragraph_can_hold_text_list_and_table() -> None:
    text = "Oversigt over året\nfordelt på kvartaler\n- første\n- andet\nA\tB\n1\t2"
    assert [b.kind for b in text_blocks(text)] == ["paragraph", "list", "table"]


def test_short_line_alone_before_more_text_is_a_sub_heading() -> None:
    text = "Indledning\n\nTeksten begynder her.\n\nØkonomi\n\nTal for året."
    assert text_blocks(text) == [
        Block("heading", ("Indledning",)),
        Block("paragraph", ("Teksten begynder her.",)),
        Block("heading", ("Økonomi",)),
        Block("paragraph", ("Tal for året.",)),
    ]


def test_what_is_not_a_sub_heading() -> None:
    long_line = "En ret lang linje uden punktum som fortsætter langt ud over tres tegn i alt"
    for text in (
        "Godkendt",  # alone: a short decision, not a heading
        "Tekst.\n\nTiltrådt",  # last paragraph
        "Det gælder følgende:\n\nMere.",  # ends like an introduction
        f"{long_line}\n\nMere.",
        "To linjer\nher\n\nMere.",
    ):
        assert text_blocks(text)[0].kind == "paragraph", text


def test_template_renders_blocks_escaped() -> None:
    blocks = text_blocks(
        "Overskrift\n\n<script>alert(1)</script>\nanden linje\n\n"
        "- <b>punkt</b>\n\nA\t<i>B</i>\n1\t2"
    )
    html = render_to_string("public/blocks.html", {"blocks": blocks, "heading_level": 4})
    assert '<h4 class="sub-heading">Overskrift</h4>' in html
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>anden linje</p>" in html
    assert "<li>&lt;b&gt;punkt&lt;/b&gt;</li>" in html
    assert '<th scope="col">A</th><th scope="col">&lt;i&gt;B&lt;/i&gt;</th>' in html
    assert "<td>1</td><td>2</td>" in html
    assert "<script>" not in html and "<b>" not in html
