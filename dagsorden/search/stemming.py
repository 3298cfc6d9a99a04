"""Danish words and Snowball stems, shared by both search back ends (pure, no Django)."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
# Words too common to narrow a search (a subset of the Snowball Danish stop list).
STOP_WORDS = frozenset(
    (
        "og",
        "i",
        "jeg",
        "det",
        "at",
        "en",
        "den",
        "til",
        "er",
        "som",
        "på",
        "de",
        "med",
        "han",
        "af",
        "for",
        "ikke",
        "der",
        "var",
        "mig",
        "sig",
        "men",
        "et",
        "har",
        "om",
        "vi",
        "min",
        "havde",
        "ham",
        "hun",
        "nu",
        "over",
        "da",
        "fra",
        "du",
        "ud",
        "sin",
        "dem",
        "os",
        "op",
        "man",
        "hans",
        "hvor",
        "eller",
        "hvad",
        "skal",
        "selv",
        "her",
        "alle",
        "vil",
        "blev",
        "kunne",
        "ind",
        "når",
        "være",
        "dog",
        "noget",
        "ville",
        "jo",
        "deres",
        "efter",
        "ned",
        "skulle",
        "denne",
        "end",
        "dette",
        "mit",
        "også",
        "under",
        "have",
        "dig",
        "anden",
        "hende",
        "mine",
        "alt",
        "meget",
        "sit",
        "sine",
        "vor",
        "mod",
        "disse",
        "hvis",
        "din",
        "nogle",
        "hos",
        "blive",
        "mange",
        "ad",
        "bliver",
        "hendes",
        "været",
        "thi",
        "jer",
        "sådan",
    )
)

_stemmer = snowballstemmer.stemmer("danish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    """Lower-case words in order; numbers count as words."""
    return [w.lower() for w in WORD_RE.findall(text)]


def query_terms(query: str) -> list[str]:
    """The words of a query that narrow it (stop words dropped unless nothing else is left)."""
    found = words(query)
    narrowing = [w for w in found if w not in STOP_WORDS]
    return list(dict.fromkeys(narrowing or found))


def search_stem(word: str) -> str:
    """The Snowball stem of the stem: Danish Snowball alone leaves "budget" as "budg" but
    "budgettet" as "budget", so one pass does not bring them together; two passes do."""
    return stem(stem(word))


def stems_text(text: str) -> str:
    """Once-stemmed words; PostgreSQL's 'danish' configuration stems them a second time."""
    return " ".join(stem(w) for w in words(text))


def search_stems_text(text: str) -> str:
    return " ".join(search_stem(w) for w in words(text))


def exact_text(text: str) -> str:
    return " ".join(words(text))
