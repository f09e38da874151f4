"""The player's cached charts are plain figure dicts, built without plotly's validation (it was most
of the time a chart took to build). Validating each one must leave it unchanged, for every case."""
import copy
import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from casebook.loader import load_library
from casebook.timeline import is_ordered_only, timeline_rows
from components.body_map import FIGURES as BODY_MAPS
from components.labs import FIGURES as LABS
from components.timeline import FIGURES as TIMELINES
from tests.conftest import CASES

LIBRARY = load_library(CASES)


def _validated(spec: dict) -> dict:
    return json.loads(pio.to_json(go.Figure(copy.deepcopy(spec)), validate=True))


def _as_sent(figure) -> dict:
    return json.loads(pio.to_json(figure.to_dict(), validate=False))


@pytest.mark.parametrize("case_id", sorted(LIBRARY.cases))
@pytest.mark.parametrize("large", [False, True])
def test_every_timeline_body_map_and_lab_chart_is_what_plotly_would_validate(case_id, large):
    case = LIBRARY.cases[case_id]
    events = []
    for stage in case.stages:
        events += stage.timeline
        if events:
            sent = _as_sent(TIMELINES.get(events, large=large))
            assert sent == _validated(sent), (case_id, stage.id)
            assert sent["layout"]["template"] == go.Figure().to_dict()["layout"]["template"]
            assert len(sent["layout"]["annotations"]) >= len(timeline_rows(events))
            assert is_ordered_only(events) == ("Order of events" in sent["layout"]["xaxis"]["title"]["text"])
        located = [f for f in stage.findings if f.location]
        if located:
            sent = _as_sent(BODY_MAPS.get(located, large=large))
            assert sent == _validated(sent), (case_id, stage.id)
        if stage.labs:
            sent = _as_sent(LABS.get(stage.labs, large=large))
            assert sent == _validated(sent), (case_id, stage.id)


def test_a_spec_with_a_misspelt_property_is_caught_by_the_check():
    """The check above can fail: plotly's validation rejects what it does not know."""
    with pytest.raises(ValueError):
        _validated({"data": [{"type": "scatter", "markr": {"size": 3}}], "layout": {}})
