"""Quality checks on a written case (pure): what the forum asked of a good case.

Each check is a small function returning ``Finding``s. An "error" blocks submission unless
the producer overrides it with a reason (recorded in the flow); a "hint" only advises.
Readability is LIX: words per sentence + 100 × the share of words of seven or more
letters, over running text only (tables, lists and recommendation points left out).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dagsorden.cases.richtext import Block, plain_text

CASE_TYPES = ("Beslutning", "Orientering", "Drøftelse")
HEADLINE_HINT = 80
HEADLINE_MAX = 100

# (key, highest score in the band, Danish label); the last band has no upper bound.
BANDS: tuple[tuple[str, float, str], ...] = (
    ("very_easy", 24, "Meget let"),
    ("easy", 34, "Let"),
    ("medium", 44, "Middel"),
    ("hard", 54, "Svær"),
    ("very_hard", float("inf"), "Meget svær"),
)
BAND_KEYS = tuple(key for key, _upper, _label in BANDS)

# Abbreviations whose full stop does not end a sentence (lower-cased, with their dots).
_ABBREVIATION_TEXT = (
    "d. kl. bl.a. jf. mv. m.v. m.fl. f.eks. fx. ca. nr. pkt. inkl. evt. hhv. dvs. osv. iht. "
    "vedr. ift. mht. pga. pr. s. stk. ang. el. mio. mia. kr. t. tlf. ekskl. max. min. ff. "
    "vha. jvf. bl. a. p.t. pt. d.v.s. f.x. o.l. m.m. mm. ol. afd. att. dir. www."
)
ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split(" "))
_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_ORDINAL = re.compile(r"^\d+\.$")
_FIGURE = re.compile(
    r"\b\d{1,3}(?:\.\d{3})+\b|\b\d{3,}\b|\d+(?:,\d+)?\s?(?:%|pct\.|procent|mio\.|mia\.|kr\.)",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"\bkilde[rn]?\b", re.IGNORECASE)
_ATTACHMENT_REF = re.compile(r"\bbilag\s+(\d+)\b", re.IGNORECASE)
_NUMBER_PREFIX = re.compile(r"^\s*\d+\s*[.)]\s*")


@dataclass(frozen=True)
class CaseText:
    headline: str
    case_type: str
    occasion: str
    presentation: list[Block]
    recommendation_proposer: str
    recommendation_points: list[str]
    attachment_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    code: str  # stable: an override is stored under it
    severity: str  # "error" | "hint"
    section: str  # headline | case_type | occasion | presentation | recommendation | attachments
    message: str


@dataclass(frozen=True)
class Lix:
    score: float
    band: str
    band_key: str
    sentences: int
    words: int
    long_words: int
    longest_sentences: list[str]
    longest_words: list[str]


# --- Sentences and LIX


def sentences(text: str) -> list[str]:
    """Sentences of running text: ends at . ! ? and at a colon or paragraph break, not after
    Danish abbreviations ("bl.a.", "kl.") or ordinals ("14. september", "2. behandling")."""
    found: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        tokens = _TOKEN.findall(paragraph)
        current: list[str] = []
        for index, token in enumerate(tokens):
            current.append(token)
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if _ends_sentence(token, following):
                found.append(" ".join(current))
                current = []
        if current:
            found.append(" ".join(current))
    return [s for s in found if _WORD.search(s)]


def _ends_sentence(token: str, following: str) -> bool:
    bare = token.rstrip("\"'”’)»")
    if bare.endswith(("!", "?")):
        return True
    if bare.endswith(":"):
        return following == "" or not following[:1].islower()
    if not bare.endswith("."):
        return False
    if bare.lower() in ABBREVIATIONS or bare.lower().lstrip("(") in ABBREVIATIONS:
        return False
    if _ORDINAL.match(bare) and following[:1].islower():
        return False  # "14. september", "3. kvartal"
    return not re.fullmatch(r"[A-ZÆØÅ]\.", bare)  # an initial does not end a sentence


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


def lix_band(score: float) -> tuple[str, str]:
    """(key, Danish label) of a LIX score: ≤24 very easy ... ≥55 very hard."""
    rounded = round(score)
    for key, upper, label in BANDS:
        if rounded <= upper:
            return key, label
    return BANDS[-1][0], BANDS[-1][2]


def lix(text: str) -> Lix:
    found = sentences(text)
    all_words = words(text)
    if not found or not all_words:
        return Lix(0.0, "Ingen tekst", "", 0, 0, 0, [], [])
    long_words = [w for w in all_words if _letters(w) >= 7]
    score = round(len(all_words) / len(found) + 100 * len(long_words) / len(all_words), 1)
    key, label = lix_band(score)
    by_length = sorted(found, key=lambda s: len(words(s)), reverse=True)
    distinct = sorted(dict.fromkeys(long_words), key=_letters, reverse=True)
    return Lix(
        score=score,
        band=label,
        band_key=key,
        sentences=len(found),
        words=len(all_words),
        long_words=len(long_words),
        longest_sentences=by_length[:3],
        longest_words=distinct[:5],
    )


def section_lix(case: CaseText) -> dict[str, Lix]:
    """LIX of each section of running text."""
    return {"occasion": lix(case.occasion), "presentation": lix(plain_text(case.presentation))}


# --- The checks


def check_required_sections(case: CaseText) -> list[Finding]:
    missing = []
    if not case.headline.strip():
        missing.append(("headline", _("Sagen mangler en overskrift.")))
    if case.case_type not in CASE_TYPES:
        missing.append(("case_type", _("Vælg sagstype: Beslutning, Orientering eller Drøftelse.")))
    if not case.occasion.strip():
        missing.append(("occasion", _("Skriv Anledning: hvorfor sagen er på dagsordenen.")))
    if not case.presentation:
        missing.append(("presentation", _("Sagsfremstillingen er tom.")))
    if case.case_type == "Beslutning" and not (
        case.recommendation_proposer.strip() and case.recommendation_points
    ):
        missing.append(
            (
                "recommendation",
                _("En beslutningssag skal have en indstilling: hvem indstiller, og hvad."),
            )
        )
    return [
        Finding(f"{section}.missing", "error", section, message) for section, message in missing
    ]


def check_recommendation_points(case: CaseText) -> list[Finding]:
    findings = []
    for number, point in enumerate(case.recommendation_points, start=1):
        text = _NUMBER_PREFIX.sub("", point.strip())
        if "\n" in point.strip() or re.search(r"(?:^|\s)\d+[.)]\s+at\b", text[2:]):
            findings.append(
                Finding(
                    f"recommendation.point{number}.several",
                    "error",
                    "recommendation",
                    _("Punkt %(n)d rummer flere punkter: del det op.") % {"n": number},
                )
            )
            continue
        if not text.lower().startswith("at "):
            findings.append(
                Finding(
                    f"recommendation.point{number}.at",
                    "error",
                    "recommendation",
                    _('Punkt %(n)d skal begynde med "at".') % {"n": number},
                )
            )
        if len(sentences(text)) > 1:
            findings.append(
                Finding(
                    f"recommendation.point{number}.sentences",
                    "error",
                    "recommendation",
                    _("Punkt %(n)d skal være én sætning.") % {"n": number},
                )
            )
    return findings


def _normal_headline(headline: str) -> str:
    return " ".join(headline.casefold().split())


def check_headline(case: CaseText, other_open_headlines: Iterable[str]) -> list[Finding]:
    headline = case.headline.strip()
    if not headline:
        return []
    findings = []
    if len(headline) > HEADLINE_MAX:
        findings.append(
            Finding(
                "headline.length",
                "error",
                "headline",
                _("Overskriften er %(n)d tegn; højst %(max)d.")
                % {"n": len(headline), "max": HEADLINE_MAX},
            )
        )
    elif len(headline) > HEADLINE_HINT:
        findings.append(
            Finding(
                "headline.long",
                "hint",
                "headline",
                _("Overskriften er %(n)d tegn; en kort overskrift (under %(max)d) læses bedre.")
                % {"n": len(headline), "max": HEADLINE_HINT},
            )
        )
    if _normal_headline(headline) in {_normal_headline(h) for h in other_open_headlines}:
        findings.append(
            Finding(
                "headline.duplicate",
                "error",
                "headline",
                _("En anden åben sag har samme overskrift."),
            )
        )
    return findings


def check_readability(case: CaseText, target_band: str | None) -> list[Finding]:
    if not target_band or target_band not in BAND_KEYS:
        return []
    target_index = BAND_KEYS.index(target_band)
    findings = []
    labels = {"occasion": _("Anledning"), "presentation": _("Sagsfremstilling")}
    for section, measured in section_lix(case).items():
        if measured.band_key and BAND_KEYS.index(measured.band_key) > target_index:
            findings.append(
                Finding(
                    f"{section}.lix",
                    "hint",
                    section,
                    _("%(section)s har LIX %(score)s (%(band)s); forummet sigter mod %(target)s.")
                    % {
                        "section": labels[section],
                        "score": f"{measured.score:.0f}",
                        "band": measured.band.lower(),
                        "target": {k: label for k, _u, label in BANDS}[target_band].lower(),
                    },
                )
            )
    return findings


def check_information_has_no_points(case: CaseText) -> list[Finding]:
    if case.case_type == "Orientering" and case.recommendation_points:
        return [
            Finding(
                "recommendation.information",
                "error",
                "recommendation",
                _("En orienteringssag har ingen beslutningspunkter."),
            )
        ]
    return []


def check_figures_have_source(case: CaseText) -> list[Finding]:
    text = plain_text(case.presentation)
    has_table = any(block["kind"] == "table" for block in case.presentation)
    if _FIGURE.search(text) and not has_table and not _SOURCE.search(text):
        return [
            Finding(
                "presentation.figures",
                "hint",
                "presentation",
                _(
                    "Teksten har tal: vis dem i en tabel, "
                    "eller skriv hvor de kommer fra (Kilde: ...)."
                ),
            )
        ]
    return []


def check_attachments(case: CaseText) -> list[Finding]:
    from dagsorden.cases.richtext import markup_from_blocks

    text = "\n".join(
        [case.occasion, markup_from_blocks(case.presentation), *case.recommendation_points]
    )
    referred = {int(n) for n in _ATTACHMENT_REF.findall(text)}
    count = len(case.attachment_names)
    findings = [
        Finding(
            f"attachments.missing{number}",
            "error",
            "attachments",
            _("Teksten henviser til bilag %(n)d, men sagen har %(count)d bilag.")
            % {"n": number, "count": count},
        )
        for number in sorted(referred)
        if number > count or number < 1
    ]
    lowered = text.casefold()
    for number, name in enumerate(case.attachment_names, start=1):
        named = re.search(rf"(?<!\w){re.escape(name.casefold())}", lowered) if name else None
        if number not in referred and not named:
            findings.append(
                Finding(
                    f"attachments.unreferred{number}",
                    "hint",
                    "attachments",
                    _('Bilag %(n)d "%(name)s" nævnes ikke i teksten.')
                    % {"n": number, "name": name},
                )
            )
    return findings


def check_case(
    case: CaseText, *, other_open_headlines: Iterable[str] = (), target_band: str | None = None
) -> list[Finding]:
    """Every check, errors first."""
    findings = [
        *check_required_sections(case),
        *check_recommendation_points(case),
        *check_headline(case, other_open_headlines),
        *check_readability(case, target_band),
        *check_information_has_no_points(case),
        *check_figures_have_source(case),
        *check_attachments(case),
    ]
    return sorted(findings, key=lambda f: f.severity != "error")
