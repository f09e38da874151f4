"""The case player sends the browser few elements per stage advance (each element is a message, and
each message is a hand-off between the script and the server's event loop), while showing the same."""
from __future__ import annotations

from tests.app.helpers import page_text
from tests.app.test_study_page import MINI, open_case


def _stage_text(at) -> list[str]:
    return [str(m.value) for m in at.markdown if "A cough for three weeks" in str(m.value)]


def test_the_open_stage_heading_and_its_text_are_one_element(app_factory):
    at = open_case(app_factory)
    heading = f"1. {MINI.stages[0].title}"
    [text] = _stage_text(at)
    assert text.startswith(f"### {heading}\n\n")
    assert heading not in [str(s.value) for s in at.subheader]  # not also drawn on its own


def test_learning_objectives_are_sent_only_when_opened(app_factory):
    at = open_case(app_factory)
    assert "Learning objectives" in [e.label for e in at.expander]
    assert "Practise the case player." not in page_text(at)
    confidence = next(w.key for w in at.radio if w.key and w.key.endswith(":confidence"))
    attempt_key = confidence.rsplit(":", 2)[0]  # case:<case>:<attempt>
    at.session_state[f"{attempt_key}:objectives"] = True  # the student opens the expander
    at.run()
    assert "Practise the case player." in page_text(at)


def test_the_answer_buttons_are_one_row_not_two_columns(app_factory):
    at = open_case(app_factory)
    assert len(at.columns) == 2  # the story and the timeline; the open question's buttons are one row
    labels = [b.label for b in at.button]
    assert "Submit answer" in labels and "I don't know — show me" in labels
