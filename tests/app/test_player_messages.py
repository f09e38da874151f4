"""The case player sends the browser few elements per stage advance (each element is a message, and
each message is a hand-off between the script and the server's event loop), while showing the same."""
from __future__ import annotations

from tests.app.helpers import page_text
from tests.app.test_study_page import MINI, open_case


def test_the_open_stage_text_is_one_element_under_its_heading(app_factory):
    at = open_case(app_factory)
    assert f"1. {MINI.stages[0].title}" in [str(s.value) for s in at.subheader]  # a heading without a link
    assert len([m for m in at.markdown if "A cough for three weeks" in str(m.value)]) == 1


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


def _draw_results_stage():
    from pathlib import Path

    from casebook.model import OtherTest
    from components.stage import render_stage_content
    from tests.app.test_study_page import MINI

    stage = next(s for s in MINI.stages if s.labs)
    stage = stage.model_copy(update={"tests": [OtherTest(name="Spirometry", result="Normal flow.")]})
    render_stage_content(stage, case_id="mini-case", case_dir=Path("."))


def test_a_stage_lab_table_and_other_tests_are_one_element():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_draw_results_stage).run()
    assert not at.exception
    [table] = [str(m.value) for m in at.markdown if "| Test | Result |" in str(m.value)]
    assert "**Other tests**" in table and "Spirometry" in table
    assert "**Laboratory results**" in "\n".join(str(m.value) for m in at.markdown)
