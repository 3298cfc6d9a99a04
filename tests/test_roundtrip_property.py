"""parse(render(document)) is the identity, for generated documents in every text style."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dagsorden.documents.contract import Document, document_from_json
from dagsorden.importers.parsers.text import parse_text
from dagsorden.publishing.renderers.txt import (
    RECOMMENDATION_FIRST,
    TEMPLATE_ORDER,
    TextStyle,
    render_text,
)
from tests.strategies import documents

STYLES = st.builds(
    TextStyle,
    dash=st.sampled_from(["-", "–"]),
    section_order=st.sampled_from([TEMPLATE_ORDER, RECOMMENDATION_FIRST]),
    bulleted_points=st.booleans(),
    proposer_suffix=st.sampled_from([",", ", at:", ":"]),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(), style=STYLES)
def test_parse_render_parse_is_identity(document: Document, style: TextStyle) -> None:
    text = render_text(document, style=style)
    parsed = parse_text(text, source="generated.txt")
    assert parsed == document
    assert parse_text(render_text(parsed, style=style)) == parsed


@settings(max_examples=100, deadline=None)
@given(document=documents())
def test_json_round_trip(document: Document) -> None:
    assert document_from_json(document.to_json()) == document
