"""Quality checks on real sentences from the seeds (pure functions, no database)."""

from __future__ import annotations

import pytest

from dagsorden.cases.quality import (
    CaseText,
    check_attachments,
    check_case,
    check_figures_have_source,
    check_headline,
    check_information_has_no_points,
    check_readability,
    check_recommendation_points,
    check_required_sections,
    lix,
    lix_band,
    section_lix,
    sentences,
)
from tests.conftest import seed_path


def seed_line(name: str, start: str) -> str:
    """The first line of a seed that starts with ``start`` (read, not pasted)."""
    for line in seed_path(name).read_text(encoding="utf-8").splitlines():
        if line.startswith(start):
            return line
    pytest.fail(f"{name} has no line starting {start!r}")


SEPT = "chefforum-2023-09-14.txt"


def case(**changes: object) -> CaseText:
    base: dict[str, object] = {
        "headline": "Økonomirapport nr. 4",
        "case_type": "Beslutning",
        "occasion": "Økonomi & Stab har udarbejdet økonomirapport nr. 4.",
        "presentation": [{"kind": "paragraph", "text": "Rapporten giver en status."}],
        "recommendation_proposer": "Direktionen indstiller,",
        "recommendation_points": ["at økonomirapporten gennemgås og tages til efterretning."],
        "attachment_names": [],
    }
    base.update(changes)
    return CaseText(**base)  # type: ignore[arg-type]


# --- Sentences: abbreviations and ordinal dates are not sentence ends


def test_ordinals_and_chapter_numbers_do_not_end_sentences() -> None:
    # "... kapitel 1. drøfte ..." and "Kapitel 1. skal ...": four sentences, not six.
    line = seed_line(SEPT, "Søren Obed Madsen holder oplæg")
    found = sentences(line)
    assert len(found) == 4
    assert found[-1] == "Kapitel 1. skal derfor være læst inden dette møde."


def test_abbreviations_do_not_end_sentences() -> None:
    # "pr. 31. juli 2023" and "jf. den vedtagne ...": two sentences.
    assert len(sentences(seed_line(SEPT, "Økonomirapporten er udarbejdet"))) == 2
    # "pr. 31. juli 2023 ... nr. 4.": one sentence.
    assert len(sentences(seed_line(SEPT, "Økonomi & Stab har på baggrund"))) == 1
    # "der bl.a. har arbejdet": three sentences.
    assert len(sentences(seed_line(SEPT, "Netværket startede ud med"))) == 3


def test_lix_of_a_seed_paragraph_by_hand() -> None:
    # "Direktørforum beslutter målsætninger for 2024 på mødet den 18. september 2023."
    # words (numbers are not words): Direktørforum beslutter målsætninger for på mødet den
    # september = 8; long (7+ letters): Direktørforum, beslutter, målsætninger, september = 4;
    # one sentence: LIX = 8/1 + 100*4/8 = 58.0.
    result = lix(seed_line(SEPT, "Direktørforum beslutter målsætninger"))
    assert (result.words, result.long_words, result.sentences) == (8, 4, 1)
    assert result.score == 58.0
    assert result.band == "Meget svær"
    assert result.longest_words[0] == "Direktørforum"


def test_lix_empty_text() -> None:
    assert lix("").score == 0.0 and lix("").sentences == 0


@pytest.mark.parametrize(
    ("score", "key"),
    [(0, "very_easy"), (24, "very_easy"), (25, "easy"), (34, "easy"), (35, "medium"),
     (44, "medium"), (45, "hard"), (54, "hard"), (55, "very_hard"), (80, "very_hard")],
)  # fmt: skip
def test_band_boundaries(score: float, key: str) -> None:
    assert lix_band(score)[0] == key


def test_section_lix_leaves_tables_and_lists_out() -> None:
    text = "Kort tekst. Meget kort."
    with_extras = case(
        occasion=text,
        presentation=[
            {"kind": "paragraph", "text": text},
            {"kind": "list", "items": ["Gennemsnitsberegningsmetoder forvaltningsmæssige"]},
            {"kind": "table", "rows": [["Sammenlægningsomkostninger"], ["1"]]},
        ],
    )
    measured = section_lix(with_extras)
    assert measured["presentation"].score == measured["occasion"].score == lix(text).score


# --- The checks


def test_real_recommendation_points_pass() -> None:
    points = [
        seed_line(SEPT, "1. at Chefforum drøfter hvad konsulentnetværket")[3:],
        seed_line(SEPT, "2. at Chefforum drøfter mulige ændringer")[3:],
    ]
    assert check_recommendation_points(case(recommendation_points=points)) == []


def test_points_must_start_with_at_and_be_one_sentence() -> None:
    findings = check_recommendation_points(
        case(
            recommendation_points=[
                "Chefforum drøfter udfordringerne.",
                "at punktet drøftes. Herefter besluttes det videre forløb.",
                "at rapporten godkendes\n2. at den offentliggøres",
            ]
        )
    )
    codes = {f.code for f in findings}
    assert codes == {
        "recommendation.point1.at",
        "recommendation.point2.sentences",
        "recommendation.point3.several",
    }


def test_decision_case_needs_a_recommendation() -> None:
    findings = check_required_sections(case(recommendation_points=[]))
    assert [f.code for f in findings] == ["recommendation.missing"]
    assert check_required_sections(case(case_type="Drøftelse", recommendation_points=[])) == []


def test_required_sections() -> None:
    empty = case(headline=" ", case_type="", occasion="", presentation=[])
    codes = {f.code for f in check_required_sections(empty)}
    assert {"headline.missing", "case_type.missing", "occasion.missing"} <= codes
    assert "presentation.missing" in codes


def test_headline_length_and_duplicates() -> None:
    assert check_headline(case(headline="x" * 81), [])[0].severity == "hint"
    assert check_headline(case(headline="x" * 101), [])[0].severity == "error"
    duplicate = check_headline(case(), ["  økonomirapport  NR. 4 "])
    assert [f.code for f in duplicate] == ["headline.duplicate"]


def test_information_case_carries_no_points() -> None:
    findings = check_information_has_no_points(case(case_type="Orientering"))
    assert [f.code for f in findings] == ["recommendation.information"]


def test_figures_without_table_or_source_get_a_hint() -> None:
    figures = [{"kind": "paragraph", "text": seed_line(SEPT, "Netværket startede ud med")}]
    assert check_figures_have_source(case(presentation=figures)) == []  # 25, 18, 12: small
    big = [{"kind": "paragraph", "text": "Merforbruget er 2,5 mio. kr. og 12 % over budget."}]
    assert [f.severity for f in check_figures_have_source(case(presentation=big))] == ["hint"]
    sourced = [*big, {"kind": "paragraph", "text": "Kilde: Økonomi & Stab."}]
    assert check_figures_have_source(case(presentation=sourced)) == []
    table = [*big, {"kind": "table", "rows": [["År", "Mio. kr."], ["2023", "2,5"]]}]
    assert check_figures_have_source(case(presentation=table)) == []


def test_attachments_referred_and_existing() -> None:
    text = [{"kind": "paragraph", "text": "Se bilag 1 og bilag 2."}]
    findings = check_attachments(case(presentation=text, attachment_names=["Rapport"]))
    assert [f.code for f in findings] == ["attachments.missing2"]
    unreferred = check_attachments(case(attachment_names=["Notat", "Tidsplan"]))
    assert [f.code for f in unreferred] == ["attachments.unreferred1", "attachments.unreferred2"]
    by_name = check_attachments(
        case(
            presentation=[{"kind": "paragraph", "text": "Tidsplanen er vedlagt."}],
            attachment_names=["Tidsplan"],
        )
    )
    assert by_name == []


def test_readability_against_the_forum_target() -> None:
    hard = case(occasion=seed_line(SEPT, "Direktørforum beslutter målsætninger"))
    assert [f.code for f in check_readability(hard, "medium")] == ["occasion.lix"]
    assert check_readability(hard, None) == []
    assert check_readability(hard, "very_hard") == []


def test_check_case_lists_errors_first() -> None:
    findings = check_case(case(headline="x" * 90, recommendation_points=["punktet drøftes."]))
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s != "error")
    assert {"recommendation.point1.at", "headline.long"} <= {f.code for f in findings}
