"""Quality checks on a written case, on real sentences from the seeds (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from dagsorden.cases.quality import (
    BAND_KEYS,
    BANDS,
    CaseText,
    Finding,
    attachment_references,
    check_attachments,
    check_case,
    check_figures_have_source,
    check_headline,
    check_information_has_no_points,
    check_readability,
    check_recommendation_points,
    check_required_sections,
    has_figures,
    lix,
    lix_band,
    lix_band_key,
    section_lix,
    sentences,
    words,
)
from tests.conftest import seed_path

SEPT = "chefforum-2023-09-14.txt"
OCT = "chefforum-2023-10-12.txt"
DEC = "chefforum-2022-12-08.txt"
SECTIONS = ("Anledning", "Sagsfremstilling", "Indstilling", "Beslutning", "Bilag")


def seed_line(name: str, start: str) -> str:
    """The first line of a seed that starts with ``start`` (read, not pasted)."""
    for line in seed_path(name).read_text(encoding="utf-8").splitlines():
        if line.startswith(start):
            return line
    pytest.fail(f"{name} has no line starting {start!r}")


def seed_item(name: str, number: int) -> dict[str, Any]:
    """One agenda item of a seed: its headline and the text of each section, by heading."""
    lines = seed_path(name).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"Punkt {number}:"))
    end = next(
        (i for i, line in enumerate(lines) if i > start and line.startswith("Punkt ")),
        len(lines),
    )
    item: dict[str, Any] = {"headline": lines[start].split(":", 1)[1].strip()}
    section = ""
    for line in lines[start + 1 : end]:
        if line.strip() in SECTIONS:
            section = line.strip()
            item[section] = []
        elif section and line.strip():
            item[section].append(line.strip())
    return item


def paragraphs(texts: list[str]) -> list[dict[str, Any]]:
    return [{"kind": "paragraph", "text": text} for text in texts]


def case(**changes: Any) -> CaseText:
    """A complete, clean decision case; each test changes what it is about."""
    base: dict[str, Any] = {
        "headline": "Økonomirapport nr. 4",
        "case_type": "Beslutning",
        "occasion": "Økonomi & Stab har udarbejdet økonomirapport nr. 4.",
        "presentation": paragraphs(["Rapporten giver en status."]),
        "recommendation_proposer": "Direktionen indstiller,",
        "recommendation_points": ["at økonomirapporten gennemgås og tages til efterretning."],
        "attachment_names": [],
    }
    base.update(changes)
    return CaseText(**base)


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


# --- Sentences: abbreviations and ordinal dates are not sentence ends


def test_ordinals_and_chapter_numbers_do_not_end_sentences() -> None:
    # "... den 21. september 2023.", "... bogens kapitel 1. drøfte ...", "Kapitel 1. skal ...":
    # four sentences, not seven.
    found = sentences(seed_line(SEPT, "Søren Obed Madsen holder oplæg"))
    assert len(found) == 4
    assert found[0] == "Søren Obed Madsen holder oplæg for Chefforum den 21. september 2023."
    assert found[-1] == "Kapitel 1. skal derfor være læst inden dette møde."


@pytest.mark.parametrize(
    ("name", "start", "count"),
    [
        # "pr. 31. juli 2023" and "jf. den vedtagne ...": two sentences.
        (SEPT, "Økonomirapporten er udarbejdet", 2),
        # "pr. 31. juli 2023 ... nr. 4.": one sentence.
        (SEPT, "Økonomi & Stab har på baggrund", 1),
        # "der bl.a. har arbejdet": three sentences.
        (SEPT, "Netværket startede ud med", 3),
        # "f.eks. har den tidligere ...", "som fx tværfaglig": three sentences.
        (SEPT, "Det er ikke alle fokusområder", 3),
        # "7,3 mio.kr. i forhold", "6,9 mio. kr. samt", "(3,0 mio. kr.).": three sentences.
        (SEPT, "Samlet for afdelingerne", 3),
        # "afholdt d. 1. december 2022.": one sentence.
        (DEC, "Chefforum drøfter arbejdsseminaret afholdt d. 1. december 2022.", 1),
        # "Den 9. – 13. januar 2023 ... livsfase:" one sentence.
        (DEC, "Den 9. – 13. januar 2023", 1),
        # "bl.a. som redskab ... m.m. Modellen er vedlagt ...": "m.m." closes the first.
        (DEC, "Til brug for de mål", 4),
        # '"Hvad har du lært ...?" tilkendegiver alle': the question goes on; five sentences.
        (SEPT, "På baggrund af det seneste års nedslag", 5),
        # "... i Albertslund? Blev det besluttet ...": a capital after "?" ends it.
        (SEPT, "I forhold til udfordringen Hvordan", 2),
        # "opmærksomhedspunkter mv." at the end.
        (OCT, "På mødet præsenteres aftalen", 1),
    ],
)
def test_sentence_counts_of_seed_paragraphs(name: str, start: str, count: int) -> None:
    assert len(sentences(seed_line(name, start))) == count


# The abbreviations the forum listed; the first set "never" ends a sentence.
NEVER_FINAL = " ".join(
    [
        "d. kl. bl.a. jf. f.eks. fx. ca. nr. pkt. inkl. evt.",
        "hhv. dvs. iht. vedr. ift. mht. pga. s. stk.",
    ]
)
MAYBE_FINAL = "mv. m.v. m.fl. osv."


@pytest.mark.parametrize("abbreviation", f"{NEVER_FINAL} {MAYBE_FINAL}".split())
def test_abbreviations_followed_by_lowercase_do_not_end_sentences(abbreviation: str) -> None:
    assert len(sentences(f"Vi ser på sagen {abbreviation} i morgen igen.")) == 1


@pytest.mark.parametrize("abbreviation", NEVER_FINAL.split())
def test_abbreviations_never_end_a_sentence(abbreviation: str) -> None:
    # "jf. Økonomisk Politik", "kl. 9", "bl.a. Chefforum": what follows belongs to them.
    assert len(sentences(f"Det gælder {abbreviation} Chefforum og 12 andre.")) == 1
    assert len(sentences(f"Det gælder {abbreviation} 12 andre.")) == 1


@pytest.mark.parametrize("abbreviation", MAYBE_FINAL.split())
def test_closing_abbreviations_end_a_sentence_before_a_capital(abbreviation: str) -> None:
    assert len(sentences(f"Vi drøfter mål {abbreviation} Chefforum beslutter.")) == 2


@pytest.mark.parametrize(
    "text", ["Mødet er 14. september.", "Fra 1. marts gælder det.", "I den 3. kvartal.",
             "Sagen er til 2. behandling i udvalget.", "Søren O. Madsen kommer."],
)  # fmt: skip
def test_ordinals_and_initials_are_not_sentence_ends(text: str) -> None:
    assert sentences(text) == [text]


def test_sentence_ends_at_colons_closing_a_line_and_at_paragraphs() -> None:
    text = "Kilde: Danmarks Statistik. Vi har tre mål:\n- færre sager\n- kortere tid\n\nSlut"
    assert sentences(text) == [
        "Kilde: Danmarks Statistik.",  # a colon inside a line goes on
        "Vi har tre mål:",
        "- færre sager",
        "- kortere tid",
        "Slut",
    ]
    assert sentences("En linje\nder fortsætter.") == ["En linje der fortsætter."]
    assert sentences("") == [] and sentences(" . – 2023. ") == []


def test_words_are_letters_and_hyphenated_compounds_are_one() -> None:
    assert words("Økonomi & Stab: el-udgifter (-10,3 mio. kr.) i 2023, 3.000 stabs- og") == [
        "Økonomi", "Stab", "el-udgifter", "mio", "kr", "i", "stabs", "og",
    ]  # fmt: skip


# --- LIX


@pytest.mark.parametrize(
    ("name", "start", "expected"),
    [
        # "Direktørforum beslutter målsætninger for 2024 på mødet den 18. september 2023."
        # words (numbers are not): Direktørforum beslutter målsætninger for på mødet den
        # september = 8; long (7+ letters): Direktørforum, beslutter, målsætninger,
        # september = 4; one sentence: 8/1 + 100*4/8 = 58.0.
        (SEPT, "Direktørforum beslutter målsætninger", (58.0, "Meget svær", 1, 8, 4)),
        # "Økonomi & Stab har på baggrund af forbruget pr. 31. juli 2023 og forventninger til
        # resten af året udarbejdet økonomirapport nr. 4." words: Økonomi Stab har på
        # baggrund af forbruget pr juli og forventninger til resten af året udarbejdet
        # økonomirapport nr = 18; long: Økonomi baggrund forbruget forventninger udarbejdet
        # økonomirapport = 6; one sentence: 18 + 100*6/18 = 51.3.
        (SEPT, "Økonomi & Stab har på baggrund", (51.3, "Svær", 1, 18, 6)),
        # "Chefforum drøfter arbejdsseminaret afholdt d. 1. december 2022." words: Chefforum
        # drøfter arbejdsseminaret afholdt d december = 6; long: all but "d" = 5;
        # 6 + 100*5/6 = 89.3.
        (DEC, "Chefforum drøfter arbejdsseminaret afholdt d.", (89.3, "Meget svær", 1, 6, 5)),
        # "På mødet præsenteres aftalen og Chefforum skal drøfte særlige
        # opmærksomhedspunkter mv." words = 11; long: præsenteres aftalen Chefforum særlige
        # opmærksomhedspunkter = 5; 11 + 100*5/11 = 56.5.
        (OCT, "På mødet præsenteres aftalen", (56.5, "Meget svær", 1, 11, 5)),
        # "Torsdag den 21. september 2023 holder Søren Obed Madsen oplæg for Chefforum om
        # implementering og forandringsledelse." 14 words, long: Torsdag september Chefforum
        # implementering forandringsledelse = 5. "Chefforum skal drøfte den fælles
        # forberedelse til mødet." 8 words, long: Chefforum forberedelse = 2.
        # 22/2 + 100*7/22 = 11 + 31.8 = 42.8.
        (SEPT, "Torsdag den 21. september 2023", (42.8, "Middel", 2, 22, 7)),
        # Four sentences (see above) of 9 + 20 + 13 + 8 = 50 words, long 2 + 7 + 6 + 1 = 16
        # (Chefforum september | Oplægget udgangspunkt Implementering handling Chefforum
        # eksemplar sommerferien | Chefforum udgangspunkt kapitel forståelsen implementering
        # forandringsledelse | Kapitel): 50/4 + 100*16/50 = 12.5 + 32 = 44.5, which is 45
        # in whole points: "Svær".
        (SEPT, "Søren Obed Madsen holder oplæg", (44.5, "Svær", 4, 50, 16)),
    ],
)
def test_lix_of_seed_paragraphs_by_hand(
    name: str, start: str, expected: tuple[float, str, int, int, int]
) -> None:
    result = lix(seed_line(name, start))
    assert (result.score, result.band, result.sentences, result.words, result.long_words) == (
        expected
    )


def test_lix_points_at_the_longest_sentences_and_words() -> None:
    result = lix(seed_line(SEPT, "Søren Obed Madsen holder oplæg"))
    assert [len(words(s)) for s in result.longest_sentences] == [20, 13, 9]
    assert result.longest_sentences[0].startswith("Oplægget tager udgangspunkt")
    # Distinct (the second "forandringsledelse" is not repeated), longest first.
    assert result.longest_words == [
        "forandringsledelse", "Implementering", "udgangspunkt", "sommerferien", "forståelsen",
    ]  # fmt: skip
    assert result.band_key == "hard"


def test_lix_of_empty_text() -> None:
    for text in ("", "  \n\n ", "2023 – 3.000"):
        result = lix(text)
        assert (result.score, result.sentences, result.words, result.band_key) == (0.0, 0, 0, "")
        assert result.band == "Ingen tekst"
        assert result.longest_sentences == [] and result.longest_words == []


@pytest.mark.parametrize(
    ("score", "key", "label"),
    [(0, "very_easy", "Meget let"), (24, "very_easy", "Meget let"),
     (24.4, "very_easy", "Meget let"), (24.5, "easy", "Let"), (25, "easy", "Let"),
     (34, "easy", "Let"), (35, "medium", "Middel"),
     (44, "medium", "Middel"), (45, "hard", "Svær"), (54, "hard", "Svær"),
     (55, "very_hard", "Meget svær"), (80, "very_hard", "Meget svær")],
)  # fmt: skip
def test_band_boundaries(score: float, key: str, label: str) -> None:
    assert lix_band_key(score) == key
    assert lix_band(score) == label


def test_bands_are_ordered_with_stable_keys() -> None:
    assert BAND_KEYS == ("very_easy", "easy", "medium", "hard", "very_hard")
    assert [upper for _key, upper, _label in BANDS][:-1] == [24, 34, 44, 54]


def test_section_lix_leaves_tables_lists_and_points_out() -> None:
    text = "Kort tekst. Meget kort."
    with_extras = case(
        occasion=text,
        presentation=[
            {"kind": "paragraph", "text": text},
            {"kind": "list", "items": ["Gennemsnitsberegningsmetoder forvaltningsmæssige"]},
            {"kind": "table", "rows": [["Sammenlægningsomkostninger", "x"], ["1", "2"]]},
        ],
        recommendation_points=["at forvaltningsmæssige sammenlægningsomkostninger godkendes."],
    )
    measured = section_lix(with_extras)
    assert set(measured) == {"occasion", "presentation"}
    assert measured["presentation"] == measured["occasion"] == lix(text)


def test_section_lix_counts_a_sub_heading_as_a_sentence() -> None:
    measured = section_lix(
        case(presentation=[{"kind": "heading", "text": "Status"}, *paragraphs(["Det går."])])
    )["presentation"]
    assert (measured.sentences, measured.words) == (2, 3)


# --- 1. Required sections


def test_a_complete_case_has_no_findings() -> None:
    assert check_case(case()) == []


def test_required_sections() -> None:
    empty = case(headline=" ", case_type="", occasion="\n", presentation=[])
    assert codes(check_required_sections(empty)) == [
        "headline.missing",
        "case_type.missing",
        "occasion.missing",
        "presentation.missing",
    ]
    assert all(f.severity == "error" for f in check_required_sections(empty))
    assert codes(check_required_sections(case(case_type="Indstilling"))) == ["case_type.missing"]
    blank = case(presentation=[{"kind": "paragraph", "text": " "}, {"kind": "list", "items": []}])
    assert codes(check_required_sections(blank)) == ["presentation.missing"]


@pytest.mark.parametrize(
    ("proposer", "points"),
    [("", ["at punktet drøftes."]), ("Direktionen indstiller,", []), ("Direktionen", ["  "])],
)
def test_a_decision_needs_a_recommendation(proposer: str, points: list[str]) -> None:
    findings = check_required_sections(
        case(recommendation_proposer=proposer, recommendation_points=points)
    )
    assert codes(findings) == ["recommendation.missing"]
    assert findings[0].section == "recommendation"


def test_discussion_and_information_need_no_recommendation() -> None:
    for case_type in ("Drøftelse", "Orientering"):
        bare = case(case_type=case_type, recommendation_proposer="", recommendation_points=[])
        assert check_required_sections(bare) == []


# --- 2. Recommendation points


def test_real_recommendation_points_pass() -> None:
    # As numbered in the minutes ("1. at ..."), with "d. 1. december 2022." and "fremadrettet"
    # without a full stop.
    points = [
        seed_line(SEPT, "1. at dagsordenen til dette"),
        seed_line(SEPT, "1. at Chefforum drøfter hvad konsulentnetværket"),
        seed_line(SEPT, "2. at Chefforum drøfter mulige ændringer"),
        seed_line(DEC, "1. at Chefforum drøfter arbejdsseminaret afholdt d. 1. december 2022."),
        seed_line(OCT, "1. at Chefforum godkender den nye dagtilbudspolitik"),
        seed_line(SEPT, "1. at økonomirapporten gennemgås")[3:],
        "1) AT punktet drøftes.",
    ]
    assert check_recommendation_points(case(recommendation_points=points)) == []


def test_points_must_start_with_at() -> None:
    # The decision as minuted is not a recommendation: it does not begin "at".
    decision = seed_line(SEPT, "Chefforum godkendte referat og dagsorden.")
    findings = check_recommendation_points(
        case(recommendation_points=["at punktet drøftes.", decision, "atten punkter drøftes."])
    )
    assert codes(findings) == ["recommendation.point2.at", "recommendation.point3.at"]
    assert "Punkt 2" in findings[0].message and '"at"' in findings[0].message
    assert all(f.severity == "error" and f.section == "recommendation" for f in findings)


def test_points_must_be_one_sentence() -> None:
    # Two real sentences from the seeds joined into one point.
    two = "at punktet drøftes. " + seed_line(SEPT, "Chefforum godkendte referat og dagsorden.")
    findings = check_recommendation_points(case(recommendation_points=["at det godkendes.", two]))
    assert codes(findings) == ["recommendation.point2.sentences"]
    assert "Punkt 2" in findings[0].message


def test_points_hold_no_points_of_their_own() -> None:
    # The three points of an Indstilling from the seeds pasted into one point.
    start = seed_line(OCT, "1. at Chefforum udvælger én hovedansvarlig")
    three = "\n".join(
        [start, seed_line(OCT, "2. at proces for udarbejdelse"), seed_line(OCT, "3. at procedure")]
    )
    inline = "at rapporten godkendes, 2) at den offentliggøres"
    findings = check_recommendation_points(case(recommendation_points=[three, inline]))
    assert codes(findings) == ["recommendation.point1.several", "recommendation.point2.several"]
    assert "Punkt 1" in findings[0].message


# --- 3. Headline


def test_headline_length() -> None:
    assert check_headline(case(headline="x" * 80)) == []
    assert [(f.code, f.severity) for f in check_headline(case(headline="x" * 81))] == [
        ("headline.long", "hint")
    ]
    assert [(f.code, f.severity) for f in check_headline(case(headline="x" * 100))] == [
        ("headline.long", "hint")
    ]
    assert [(f.code, f.severity) for f in check_headline(case(headline="x" * 101))] == [
        ("headline.length", "error")
    ]
    assert check_headline(case(headline="  ")) == []  # a required-section error instead


def test_headline_must_differ_from_other_open_cases() -> None:
    headline = seed_item(SEPT, 6)["headline"]
    duplicate = check_headline(case(headline=headline), [headline.upper().replace(" ", "  ")])
    assert [(f.code, f.severity) for f in duplicate] == [("headline.duplicate", "error")]
    assert check_headline(case(headline=headline), ["CF - Budget 2024", ""]) == []


# --- 4. Readability


def test_readability_against_the_forum_target() -> None:
    # Anledning LIX 58.0 ("Meget svær"), Sagsfremstilling 42.8 ("Middel").
    hard = case(
        occasion=seed_line(SEPT, "Direktørforum beslutter målsætninger"),
        presentation=paragraphs([seed_line(SEPT, "Torsdag den 21. september 2023")]),
    )
    findings = check_readability(hard, "medium")
    assert [(f.code, f.severity, f.section) for f in findings] == [
        ("occasion.lix", "hint", "occasion")
    ]
    assert "58,0" in findings[0].message and "meget svær" in findings[0].message
    assert codes(check_readability(hard, "easy")) == ["occasion.lix", "presentation.lix"]
    assert check_readability(hard, None) == []
    assert check_readability(hard, "very_hard") == []
    assert check_readability(hard, "no_such_band") == []
    assert check_readability(case(occasion="", presentation=[]), "very_easy") == []


# --- 5. Orientering


def test_information_case_carries_no_points() -> None:
    findings = check_information_has_no_points(case(case_type="Orientering"))
    assert [(f.code, f.severity) for f in findings] == [("recommendation.information", "error")]
    assert check_information_has_no_points(case(case_type="Drøftelse")) == []
    bare = case(case_type="Orientering", recommendation_points=[])
    assert check_information_has_no_points(bare) == []


# --- 6. Figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Netværket startede ud med 25 deltagere.", False),
        ("Målsætninger for 2024 besluttes den 18. september 2023.", False),  # years, dates
        ("Planen gælder 2022-2025.", False),
        ("Der er 120 pladser.", True),
        ("Et forbrug på 1.760 mio. kr.", True),
        ("Et merforbrug på 2,5 mio. kr.", True),
        ("Det koster 40 kr. om måneden.", True),
        ("Andelen er 12 %.", True),
        ("Andelen er 12%.", True),
        ("Forbrugsandelen ligger på 57 procent.", True),
    ],
)
def test_what_counts_as_figures(text: str, expected: bool) -> None:
    assert has_figures(text) is expected


def test_figures_without_table_or_source_get_a_hint() -> None:
    small = paragraphs([seed_line(SEPT, "Netværket startede ud med")])  # 25, 18, 12
    assert check_figures_have_source(case(presentation=small)) == []
    # "57 procent", "1.760 mio. kr.", "35 mio. kr."
    figures = paragraphs([seed_line(SEPT, "Forbrugsandelen i årets første syv måneder")])
    findings = check_figures_have_source(case(presentation=figures))
    assert [(f.code, f.severity, f.section) for f in findings] == [
        ("presentation.figures", "hint", "presentation")
    ]
    sourced = [*figures, {"kind": "paragraph", "text": "Kilde: Økonomirapport ØR4."}]
    assert check_figures_have_source(case(presentation=sourced)) == []
    footnote = [*figures, {"kind": "list", "items": ["Tallene er fra kilden KMD Opus."]}]
    assert check_figures_have_source(case(presentation=footnote)) == []
    table = [*figures, {"kind": "table", "rows": [["År", "Mio. kr."], ["2023", "1.760"]]}]
    assert check_figures_have_source(case(presentation=table)) == []


def test_figures_only_in_a_table_or_list_need_nothing() -> None:
    listed = [{"kind": "list", "items": ["Forbrug: 1.760 mio. kr."]}]
    assert check_figures_have_source(case(presentation=listed)) == []


# --- 7. Attachments


def test_attachment_references() -> None:
    assert attachment_references("jf. bilag 1, Bilag 2 og 3 samt BILAG 5-7") == {1, 2, 3, 5, 6, 7}
    assert attachment_references("Chefforums behandling er sammenfattet i Bilag 6.") == {6}
    assert attachment_references("Som bilag til sagen fremgår skemaet i 2023.") == set()
    assert attachment_references("bilag 1 og 2024") == {1}


def test_references_to_missing_attachments_are_errors() -> None:
    # The decision of item 2 of October 2023 refers to "Bilag 6"; the item has seven.
    item = seed_item(OCT, 2)
    text = case(presentation=paragraphs(item["Beslutning"]), attachment_names=item["Bilag"])
    assert len(item["Bilag"]) == 7
    assert [f for f in check_attachments(text) if f.severity == "error"] == []
    five = case(presentation=paragraphs(item["Beslutning"]), attachment_names=item["Bilag"][:5])
    findings = [f for f in check_attachments(five) if f.severity == "error"]
    assert [f.code for f in findings] == ["attachments.missing6"]
    assert "bilag 6" in findings[0].message and "5 bilag" in findings[0].message
    in_points = case(recommendation_points=["at bilag 1 godkendes."])
    assert codes(check_attachments(in_points)) == ["attachments.missing1"]


def test_every_attachment_should_be_referred_to() -> None:
    item = seed_item(OCT, 2)
    findings = check_attachments(
        case(presentation=paragraphs(item["Beslutning"]), attachment_names=item["Bilag"])
    )
    # Only 6 is referred to; 1-5 and 7 are hints (named neither by number nor by name).
    assert codes(findings) == [f"attachments.unreferred{n}" for n in (1, 2, 3, 4, 5, 7)]
    assert all(f.severity == "hint" for f in findings)
    assert 'Bilag 7 "Chefforums behandling af Budget 2024' in findings[-1].message


def test_an_attachment_may_be_referred_to_by_name() -> None:
    # Item 4 of September 2023: the presentation mentions neither by number.
    item = seed_item(SEPT, 3)
    names = item["Bilag"]
    text = f"Skemaet fremgår af {names[0].lower()}, jf. også bilag 2."
    assert check_attachments(case(occasion=text, attachment_names=names)) == []
    pptx = case(
        occasion="Se Forandringsledelse CF, side 3.",
        attachment_names=["Forandringsledelse CF.pptx"],
    )
    assert check_attachments(pptx) == []


def test_mentioning_attachments_without_any() -> None:
    item = seed_item(SEPT, 3)  # "Som bilag til sagen fremgår skemaet ..."
    findings = check_attachments(case(presentation=paragraphs(item["Sagsfremstilling"])))
    assert [(f.code, f.severity) for f in findings] == [("attachments.none", "hint")]


# --- All checks together, on a real item


def test_check_case_on_a_real_item() -> None:
    item = seed_item(SEPT, 6)  # Økonomirapport pr. 31072023 på områdebevillingsniveau
    real = CaseText(
        headline=item["headline"],
        case_type="Beslutning",
        occasion=" ".join(item["Anledning"]),
        presentation=paragraphs(item["Sagsfremstilling"]),
        recommendation_proposer=item["Indstilling"][0],
        recommendation_points=item["Indstilling"][1:],
        attachment_names=item["Bilag"],
    )
    findings = check_case(real, other_open_headlines=["CF - Budget 2024"], target_band="medium")
    assert [(f.code, f.severity) for f in findings] == [
        ("occasion.lix", "hint"),  # 51.3, "Svær"
        ("presentation.lix", "hint"),
        ("presentation.figures", "hint"),  # "1.760 mio. kr." and no source
        ("attachments.unreferred1", "hint"),  # "Økonomirapport ØR4 pr 31072023" never named
    ]
    assert check_case(real) == findings[2:]  # no target band: no readability hints


def test_check_case_lists_errors_first() -> None:
    findings = check_case(
        case(
            case_type="Orientering",
            headline="x" * 90,
            recommendation_points=["punktet drøftes."],
            attachment_names=["Notat"],
        )
    )
    assert [(f.code, f.severity) for f in findings] == [
        ("recommendation.point1.at", "error"),
        ("recommendation.information", "error"),
        ("headline.long", "hint"),
        ("attachments.unreferred1", "hint"),
    ]
