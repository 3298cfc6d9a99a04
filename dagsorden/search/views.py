"""The search page: query, filters and page live in the URL."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from dagsorden.core import vocabulary
from dagsorden.search.selectors import SearchFilters, search_items

OUTCOME_LABELS = {code: gettext_lazy(label) for code, label in vocabulary.OUTCOME_LABELS.items()}
FACET_TITLES = {
    "forum": _("Forum"),
    "year": _("År"),
    "type": _("Sagstype"),
    "outcome": _("Beslutning"),
    "kle": _("KLE-hovedgruppe"),
}
PARAM_OF_FACET = {
    "forum": "forum",
    "year": "aar",
    "type": "type",
    "outcome": "udfald",
    "kle": "kle",
}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str | None, *, limit: int = 100_000) -> int | None:
    """A small positive whole number from the URL, or None (``isdecimal``: "²" is a digit
    to ``isdigit`` but no number; anything longer than the limit is no year or page)."""
    if not value or not value.isascii() or not value.isdecimal() or len(value) > 6:
        return None
    number = int(value)
    return number if 0 < number <= limit else None


def search(request: HttpRequest) -> HttpResponse:
    params = request.GET
    query = params.get("q", "").strip()
    filters = SearchFilters(
        forum=params.get("forum") or None,
        year=_int(params.get("aar")),
        date_from=_date(params.get("fra")),
        date_to=_date(params.get("til")),
        case_type=params.get("type") or None,
        outcome=params.get("udfald") or None,
        kle=params.get("kle") or None,
    )
    sort = "date" if params.get("sorter") == "dato" else "relevance"
    results = (
        search_items(
            query=query,
            user=request.user,
            filters=filters,
            sort=sort,
            page=_int(params.get("side")) or 1,
        )
        if query
        else None
    )
    facets = []
    if results is not None:
        for name, values in results.facets.items():
            param = PARAM_OF_FACET[name]
            options = []
            for value, label, count in values:
                chosen = params.copy()
                chosen[param] = value
                chosen.pop("side", None)
                shown = OUTCOME_LABELS.get(label, label) if name == "outcome" else label
                options.append(
                    {
                        "label": shown,
                        "count": count,
                        "url": "?" + chosen.urlencode(),
                        "active": params.get(param) == value,
                    }
                )
            cleared = params.copy()
            cleared.pop(param, None)
            cleared.pop("side", None)
            facets.append(
                {
                    "title": FACET_TITLES[name],
                    "options": options,
                    "clear": "?" + cleared.urlencode(),
                    "active": bool(params.get(param)),
                }
            )
    pages = {}
    if results is not None:
        for key, number in (("prev", results.page - 1), ("next", results.page + 1)):
            if 1 <= number <= results.pages:
                moved = params.copy()
                moved["side"] = str(number)
                pages[key] = "?" + moved.urlencode()
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "results": results,
            "facets": facets,
            "pages": pages,
            "sort": sort,
            "params": params,
            "outcome_labels": OUTCOME_LABELS,
        },
    )
