"""The study page with a differential board: kept from the first stage, changed with what moved the
student, closed at the diagnosis, and compared with the expert's only at the end."""
from casebook.board import BoardConfidence
from tests.app.helpers import answer_open_question, open_question_id, page_text, reveal_next, widget
from tests.board_case import board_cases
from casebook.loader import load_case

STUDY = "pages/study.py"


def open_board_case(app_factory, tmp_path, learner="board-learner-app-1"):
    cases = board_cases(tmp_path)
    return app_factory(cases, query={"case": "mini-case", "learner": learner}, page=STUDY), \
        load_case(cases / "mini-case").case


def board_text(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def add(at, *, pick=None, typed=None, likely=BoardConfidence.medium, ref=None):
    if pick:
        widget(at.selectbox, ":board:add:pick").set_value(pick)
    if typed:
        widget(at.text_input, ":board:add:typed").input(typed)
    if likely:
        widget(at.radio, ":board:add:likely").set_value(likely)
    if ref:
        widget(at.selectbox, ":board:add:ref").set_value(ref)
    return next(b for b in at.button if b.label == "Add to my board").click().run()


def change(at, pick, kind, ref=None, likely=None):
    widget(at.selectbox, ":board:change:pick").set_value(pick)
    widget(at.radio, ":board:change:kind").set_value(kind)
    if likely:
        widget(at.radio, ":board:change:likely").set_value(likely)
    if ref:
        widget(at.selectbox, ":board:change:ref").set_value(ref)
    return next(b for b in at.button if b.label == "Update my board").click().run()


def finish_stage(at, case):
    while open_question_id(at):
        at = answer_open_question(at, case)
    return reveal_next(at)


def test_the_board_is_kept_through_the_case_and_compared_at_the_end(app_factory, tmp_path):
    at, case = open_board_case(app_factory, tmp_path)
    assert "Your differential board" in page_text(at)
    pick = widget(at.selectbox, ":board:add:pick")
    assert pick.options == ["Lung cancer", "Pneumonia", "Tuberculosis"]  # alphabetical, nothing marked final
    assert "EXPERT" not in page_text(at) and "final" not in page_text(at).lower()

    at = add(at, pick="tb", likely=BoardConfidence.high, ref="cough")
    at = add(at, typed="chest infektion")  # typed, matched to the board's Pneumonia despite the slip
    assert not at.exception
    text = board_text(at)
    assert "1. **Tuberculosis** — high confidence" in text and "2. **Pneumonia** — medium confidence" in text
    at = add(at, typed="Whooping *cough*", likely=BoardConfidence.low)
    assert "3. **Whooping \\*cough\\*** — low confidence" in board_text(at)  # the student's words, shown as typed

    at = finish_stage(at, case)
    assert "SECRET-SHADOW" in page_text(at)
    at = change(at, "pneumonia", "promote")  # no reason given
    assert "Say what moved you" in " ".join(e.value for e in at.error)
    at = change(at, "pneumonia", "promote", ref="crackles")
    at = change(at, "tb", "strike", ref="CRP")
    text = board_text(at)
    assert "1. **Pneumonia**" in text and "~~Tuberculosis~~" in text
    assert "Moved up Pneumonia — moved by: Crackles at the right apex" in text.replace("\\", "")
    assert "EXPERT" not in page_text(at)

    at.run()  # a refresh keeps the board
    assert "1. **Pneumonia**" in board_text(at)

    at = finish_stage(at, case)  # the outcome: the diagnosis is out, the board is closed
    assert not any(b.label == "Add to my board" for b in at.button)
    assert "EXPERT" not in page_text(at)
    at = finish_stage(at, case)
    text = page_text(at).replace("\\", "")  # as read: Markdown escapes dropped
    assert "Your reasoning beside the expert's" in text
    assert "EXPERT-WHY-SECOND" in text and "From stage 2 your most likely diagnosis was the expert's." in text
    [table] = at.table
    assert table.value.loc[("Pneumonia (the diagnosis)", "You"), "Stage 1"] == "2nd"
    assert table.value.loc[("Tuberculosis", "You"), "Stage 2"] == "struck"
    assert len(at.get("plotly_chart")) >= 1


def test_a_refused_change_is_explained_beside_the_board(app_factory, tmp_path):
    at, _ = open_board_case(app_factory, tmp_path, learner="board-learner-app-2")
    at = add(at, likely=None)
    assert [e.value for e in at.error] == ["Choose a diagnosis from the list or type your own."]
    at = add(at, pick="tb", likely=None)
    assert [e.value for e in at.error] == ["Say how likely it is."]
    assert not at.exception
