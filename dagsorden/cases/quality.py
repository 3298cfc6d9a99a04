"""Quality checks on a written case (no models, no database): what a forum asks of a case.

Each check is a small function returning ``Finding``s. An "error" blocks submission unless
the producer overrides it with a reason (recorded by the flow); a "hint" only advises.
Finding codes are stable because overrides are stored under them.

Readability is LIX: words per sentence + 100 × the share of words of seven or more
letters, over running text only (tables, bullet lists and recommendation points left out).
Sentences are split with Danish in mind: "bl.a.", "kl." and "14. september" end nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dagsorden.cases.richtext import BULLETS, Block, plain_text
from dagsorden.core.vocabulary import CASE_TYPES, LIX_BANDS

HEADLINE_HINT = 80
HEADLINE_MAX = 100

# (key, highest whole score in the band, Danish label); ordered from easy to hard.
BANDS = LIX_BANDS
BAND_KEYS = tuple(key for key, _upper, _label in BANDS)
EMPTY_BAND = gettext_noop("Ingen tekst")

# Abbreviations whose full stop never ends a sentence: something always follows them.
_NEVER_FINAL_TEXT = (
    "d. kl. bl.a. jf. jvf. f.eks. fx. f.x. ca. nr. pkt. inkl. ekskl. evt. hhv. dvs. iht. "
    "vedr. ift. mht. pga. s. stk. pr. ang. tlf. vha. p.t. d.v.s. att. afd. dir."
)
_NEVER_FINAL = frozenset(_NEVER_FINAL_TEXT.split())
# These may close a sentence ("... opmærksomhedspunkter mv."): they end one only when a
# capital letter or a figure follows; a lowercase word after any full stop never starts one.
_MAYBE_FINAL_TEXT = "mv. m.v. m.fl. osv. m.m. mm. o.l. ol. kr. mio. mia. mio.kr. mia.kr. etc."
MAYBE_FINAL_ABBREVIATIONS = frozenset(_MAYBE_FINAL_TEXT.split())
ABBREVIATIONS = _NEVER_FINAL | MAYBE_FINAL_ABBREVIATIONS

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_OPENERS = "\"'([«„“‘"
_CLOSERS = "\"')]»”’"
_INITIAL = re.compile(r"[A-ZÆØÅ]\.")
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")
_NUMBER_PREFIX = re.compile(r"^\s*\d+\s*[.)]\s*")
_STARTS_WITH_AT = re.compile(r"^at\s", re.IGNORECASE)
_INLINE_SUB_POINT = re.compile(r"\s(?:\d+|[a-zæøå])[.)]\s+at\s", re.IGNORECASE)

# Figures worth a source: 3+ digits (not a year), thousands ("1.760"), amounts, percentages.
_FIGURE = re.compile(
    r"(?<![\w,.])(?!(?:19|20)\d\d(?!\d|[.,]\d))\d{3,}(?![\d,.]\d)"
    r"|(?<![\w,.])\d{1,3}(?:\.\d{3})+(?![\d,]\d)"
    r"|\d+(?:,\d+)?\s*(?:mio\.?|mia\.?|millioner|milliarder|kr\.|kroner)(?!\w)"
    r"|\d+(?:,\d+)?\s*(?:%|pct\.|procent)",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"\bkilde", re.IGNORECASE)
# "bilag 1", "Bilag 2 og 3", "jf. bilag 1-3"
_ATTACHMENT_REF = re.compile(
    r"\bbilag\s+(\d{1,3}(?:\s*(?:,|og|&|-|–)\s*\d{1,3})*)(?!\d)", re.IGNORECASE
)
_ATTACHMENT_WORD = re.compile(r"\bbilag(?:et|ene)?\b", re.IGNORECASE)
_FILE_EXTENSION = re.compile(r"\.[a-z0-9]{2,4}$", re.IGNORECASE)
_MAX_RANGE = 50


@dataclass(frozen=True)
class CaseText:
    headline: str
    case_type: str  # "Beslutning" | "Orientering" | "Drøftelse" | ""
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
    band: str  # Danish label
    sentences: int
    words: int
    long_words: int
    longest_sentences: list[str]
    longest_words: list[str]
    band_key: str = ""  # one of BAND_KEYS; "" for no text


# --- Sentences and words


def sentences(text: str) -> list[str]:
    """Sentences of running text, each with at least one word.

    A sentence ends at . ! ? (unless a lowercase word follows, or the full stop belongs to
    an abbreviation or an initial), at a colon closing a line, at a bullet line and at a
    paragraph break.
    """
    found: list[str] = []
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    for paragraph in _PARAGRAPH_BREAK.split(normalised):
        for unit in _units(paragraph):
            current: list[str] = []
            for index, (token, line_end) in enumerate(unit):
                current.append(token)
                following = unit[index + 1][0] if index + 1 < len(unit) else ""
                if _ends_sentence(token, following, line_end=line_end):
                    found.append(" ".join(current))
                    current = []
            if current:
                found.append(" ".join(current))
    return [sentence for sentence in found if words(sentence)]


def _units(paragraph: str) -> list[list[tuple[str, bool]]]:
    """Tokens of a paragraph, split where a bullet line starts; each token knows whether it
    closes its line (a colon there ends a sentence)."""
    units: list[list[tuple[str, bool]]] = []
    for line in paragraph.split("\n"):
        tokens = line.split()
        if not tokens:
            continue
        if not units or line.lstrip().startswith(BULLETS):
            units.append([])
        units[-1].extend((token, index == len(tokens) - 1) for index, token in enumerate(tokens))
    return units


def _ends_sentence(token: str, following: str, *, line_end: bool) -> bool:
    bare = token.rstrip(_CLOSERS)
    if bare.endswith(":"):
        return line_end
    if not bare.endswith((".", "!", "?", "…")):
        return False
    if not following:
        return True
    starts = following.lstrip(_OPENERS)[:1]
    if not (starts.isupper() or starts.isdigit()):
        return False  # "14. september", "kapitel 1. drøfte", "2. – 3. maj", '?" spurgte'
    if bare.endswith("."):
        word = bare.lstrip(_OPENERS)
        if word.lower() in _NEVER_FINAL or _INITIAL.fullmatch(word):
            return False  # "jf. Økonomisk Politik", "Søren O. Madsen"
    return True


def words(text: str) -> list[str]:
    """Words as LIX counts them: whitespace-separated, with at least one letter (so a
    hyphenated compound is one word and "2023" or "7,3" none), edge punctuation removed."""
    found = []
    for token in text.split():
        word = _EDGE_PUNCTUATION.sub("", token)
        if any(ch.isalpha() for ch in word):
            found.append(word)
    return found


def letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


# --- LIX


def lix_band_key(score: float) -> str:
    """The band of a score, by whole points (24.4 is still "very_easy", 24.5 is "easy")."""
    whole = math.floor(score + 0.5)
    return next(key for key, upper, _label in BANDS if whole <= upper)


def lix_band(score: float) -> str:
    """The Danish label of a score: ≤24 Meget let, 25–34 Let, ... ≥55 Meget svær."""
    return band_label(lix_band_key(score))


def band_label(key: str) -> str:
    labels = {band_key: label for band_key, _upper, label in BANDS}
    return _(labels[key])


def lix(text: str) -> Lix:
    """LIX of running text, with the longest sentences and words to point the writer at."""
    found = sentences(text)
    per_sentence = [words(sentence) for sentence in found]
    all_words = [word for sentence_words in per_sentence for word in sentence_words]
    if not all_words:
        return Lix(0.0, _(EMPTY_BAND), 0, 0, 0, [], [], "")
    long_words = [word for word in all_words if letters(word) >= 7]
    score = round(len(all_words) / len(found) + 100 * len(long_words) / len(all_words), 1)
    by_length = sorted(range(len(found)), key=lambda index: len(per_sentence[index]), reverse=True)
    distinct: dict[str, str] = {}
    for word in all_words:
        distinct.setdefault(word.casefold(), word)
    return Lix(
        score=score,
        band=lix_band(score),
        sentences=len(found),
        words=len(all_words),
        long_words=len(long_words),
        longest_sentences=[found[index] for index in by_length[:3]],
        longest_words=sorted(distinct.values(), key=letters, reverse=True)[:5],
        band_key=lix_band_key(score),
    )


def section_lix(case: CaseText) -> dict[str, Lix]:
    """LIX of each section of running text: Anledning, and the Sagsfremstilling's paragraphs
    and sub-headings."""
    return {"occasion": lix(case.occasion), "presentation": lix(plain_text(case.presentation))}


# --- The checks


def check_required_sections(case: CaseText) -> list[Finding]:
    """Headline, case type, Anledning and Sagsfremstilling always; an Indstilling for a
    decision."""
    missing = []
    if not case.headline.strip():
        missing.append(("headline", _("Sagen mangler en overskrift.")))
    if case.case_type not in CASE_TYPES:
        missing.append(("case_type", _("Vælg sagstype: Beslutning, Orientering eller Drøftelse.")))
    if not case.occasion.strip():
        missing.append(("occasion", _("Skriv Anledning: hvorfor sagen er på dagsordenen.")))
    if not _has_content(case.presentation):
        missing.append(("presentation", _("Sagsfremstillingen er tom.")))
    if case.case_type == "Beslutning" and not (
        case.recommendation_proposer.strip()
        and any(point.strip() for point in case.recommendation_points)
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


def all_text(blocks: list[Block]) -> str:
    """Every text of the blocks, lists and tables too, one line each (no validation: the
    checks must not fail on what they check)."""
    lines: list[str] = []
    for block in blocks:
        lines.append(str(block.get("text") or ""))
        lines.extend(str(item) for item in block.get("items") or ())
        lines.extend(" ".join(str(cell) for cell in row) for row in block.get("rows") or ())
    return "\n".join(line for line in lines if line.strip())


def _has_content(blocks: list[Block]) -> bool:
    return bool(all_text(blocks).strip())


def check_recommendation_points(case: CaseText) -> list[Finding]:
    """Each point is one sentence beginning "at", and holds no numbered points of its own."""
    findings = []
    for number, point in enumerate(case.recommendation_points, start=1):
        text = _NUMBER_PREFIX.sub("", point.strip())
        if "\n" in text or _INLINE_SUB_POINT.search(text):
            findings.append(
                _point_finding(
                    number,
                    "several",
                    _("Punkt %(n)d i indstillingen rummer flere punkter: del det op."),
                )
            )
            continue
        if not _STARTS_WITH_AT.match(text):
            findings.append(
                _point_finding(
                    number, "at", _('Punkt %(n)d i indstillingen skal begynde med "at".')
                )
            )
        if len(sentences(text)) > 1:
            findings.append(
                _point_finding(
                    number, "sentences", _("Punkt %(n)d i indstillingen skal være én sætning.")
                )
            )
    return findings


def _point_finding(number: int, problem: str, message: str) -> Finding:
    return Finding(
        f"recommendation.point{number}.{problem}",
        "error",
        "recommendation",
        message % {"n": number},
    )


def _normal_headline(headline: str) -> str:
    return " ".join(headline.casefold().split())


def check_headline(case: CaseText, other_open_headlines: Iterable[str] = ()) -> list[Finding]:
    """Short, and unlike every other open case's (a missing headline is a required-section
    error)."""
    headline = " ".join(case.headline.split())
    if not headline:
        return []
    findings = []
    if len(headline) > HEADLINE_MAX:
        findings.append(
            Finding(
                "headline.length",
                "error",
                "headline",
                _("Overskriften er %(n)d tegn; den må højst være %(max)d.")
                % {"n": len(headline), "max": HEADLINE_MAX},
            )
        )
    elif len(headline) > HEADLINE_HINT:
        findings.append(
            Finding(
                "headline.long",
                "hint",
                "headline",
                _("Overskriften er %(n)d tegn; en overskrift på højst %(max)d læses bedre.")
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
    """A hint per section harder to read than the forum's target band (no target: none)."""
    if target_band not in BAND_KEYS:
        return []  # no target, or one this version does not know
    target_index = BAND_KEYS.index(target_band)
    labels = {"occasion": _("Anledning"), "presentation": _("Sagsfremstilling")}
    findings = []
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
                        "score": f"{measured.score:.1f}".replace(".", ","),
                        "band": measured.band.lower(),
                        "target": band_label(target_band).lower(),
                    },
                )
            )
    return findings


def check_information_has_no_points(case: CaseText) -> list[Finding]:
    """An Orientering informs: there is nothing to decide."""
    if case.case_type == "Orientering" and any(p.strip() for p in case.recommendation_points):
        return [
            Finding(
                "recommendation.information",
                "error",
                "recommendation",
                _("En orienteringssag har ingen beslutningspunkter: fjern punkterne."),
            )
        ]
    return []


def has_figures(text: str) -> bool:
    """Figures a reader may want to check: 3+ digits (years aside), amounts, percentages."""
    return bool(_FIGURE.search(text))


def check_figures_have_source(case: CaseText) -> list[Finding]:
    """Figures in the running text want a table or a source."""
    has_table = any(block.get("kind") == "table" for block in case.presentation)
    if has_table or not has_figures(plain_text(case.presentation)):
        return []
    if _SOURCE.search(all_text(case.presentation)):
        return []
    return [
        Finding(
            "presentation.figures",
            "hint",
            "presentation",
            _("Teksten har tal: vis dem i en tabel, eller skriv hvor de kommer fra (Kilde: ...)."),
        )
    ]


def attachment_references(text: str) -> set[int]:
    """Attachment numbers the text refers to: "bilag 2", "Bilag 1 og 3", "jf. bilag 1-3"."""
    numbers: set[int] = set()
    for match in _ATTACHMENT_REF.finditer(text):
        for part in re.split(r"\s*(?:,|og|&)\s*", match[1]):
            bounds = [int(number) for number in re.findall(r"\d+", part)]
            if len(bounds) == 2 and 0 < bounds[1] - bounds[0] <= _MAX_RANGE:
                numbers.update(range(bounds[0], bounds[1] + 1))
            else:
                numbers.update(bounds)
    return numbers


def check_attachments(case: CaseText) -> list[Finding]:
    """Every attachment the text refers to exists; every attachment is referred to."""
    text = "\n".join([case.occasion, all_text(case.presentation), *case.recommendation_points])
    referred = attachment_references(text)
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
        if not 1 <= number <= count
    ]
    if not count and not referred and _ATTACHMENT_WORD.search(text):
        findings.append(
            Finding(
                "attachments.none",
                "hint",
                "attachments",
                _("Teksten nævner bilag, men sagen har ingen bilag."),
            )
        )
    searchable = " ".join(text.casefold().split())
    for number, name in enumerate(case.attachment_names, start=1):
        if number not in referred and not _named(name, searchable):
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


def _named(name: str, searchable: str) -> bool:
    """The text names the attachment: its name without file type, at the start of a word."""
    wanted = " ".join(_FILE_EXTENSION.sub("", name.strip()).casefold().split())
    if len(wanted) < 3:
        return False
    return re.search(rf"(?<!\w){re.escape(wanted)}", searchable) is not None


def check_case(
    case: CaseText, *, other_open_headlines: Iterable[str] = (), target_band: str | None = None
) -> list[Finding]:
    """Every check, errors first (in check order within each severity)."""
    findings = [
        *check_required_sections(case),
        *check_recommendation_points(case),
        *check_headline(case, other_open_headlines),
        *check_readability(case, target_band),
        *check_information_has_no_points(case),
        *check_figures_have_source(case),
        *check_attachments(case),
    ]
    return sorted(findings, key=lambda finding: finding.severity != "error")
