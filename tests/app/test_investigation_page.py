"""Choose-your-investigation on the study page: a student orders tests one by one and reads only those results."""
from __future__ import annotations

from casebook.loader import load_case
from tests.app.helpers import answer_open_question, open_question_id, order_and_finish, page_text, reveal_next, widget
from tests.conftest import CASES

CASE = load_case(CASES / "painful-wasted-leg").case
MENU = CASE.question("order-work-up")
RESULTS = {o.id: o.result for o in MENU.options}


def at_the_menu(app_factory, tmp_path):
    at = app_factory(CASES, query={"case": CASE.id, "learner": "learner-0001"}, page="pages/study.py")
    while open_question_id(at) != MENU.id:
        at = answer_open_question(at, CASE) if open_question_id(at) else reveal_next(at)
        assert not at.exception, at.exception
    return at


def everything_drawn(at) -> str:
    """Every element's content, buttons and their help included: what the browser was sent (Markdown's
    escapes taken out, as the student reads it)."""
    return (page_text(at) + "\n".join(f"{b.label} {b.help}" for b in at.button)).replace("\\", "")


def test_only_ordered_results_appear_and_the_work_up_is_explained(app_factory, tmp_path):
    at = at_the_menu(app_factory, tmp_path)
    drawn = everything_drawn(at)
    assert "Serum creatine kinase" in drawn and "low cost" in drawn
    assert not any(r and r in drawn for r in RESULTS.values())

    at = widget(at.button, f":{MENU.id}:order:ck").click().run()
    drawn = everything_drawn(at)
    assert RESULTS["ck"] in drawn
    assert RESULTS["mri"] not in drawn and RESULTS["biopsy"] not in drawn

    at = widget(at.button, f":{MENU.id}:order:lumbar-mri").click().run()
    assert "Not done in this case." in everything_drawn(at)

    at = order_and_finish(at, MENU, ["xray"])
    drawn = everything_drawn(at)
    assert "Not ordered, and needed to decide: MRI of the right lower leg with gadolinium" in drawn
    assert "Added nothing: MRI of the lumbar spine, Plain radiographs of the leg" in drawn
    assert RESULTS["mri"] not in drawn  # never ordered: its result stays out even after the work-up


def test_orders_survive_a_refresh(app_factory, tmp_path):
    at = at_the_menu(app_factory, tmp_path)
    at = widget(at.button, f":{MENU.id}:order:mri").click().run()
    again = app_factory(CASES, query={"case": CASE.id, "learner": "learner-0001"}, page="pages/study.py")
    assert RESULTS["mri"] in everything_drawn(again)
    assert widget(again.button, f":{MENU.id}:order:mri") is None  # ordered: off the menu
