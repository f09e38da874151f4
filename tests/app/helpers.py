"""Helpers that act on the study page the way a student does."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from casebook.progress import Confidence
from casebook.model import Case, FreeText, Investigation, MultipleChoice, Numeric, Ranking, SingleChoice


STAFF_PASSPHRASE = "lecture-hall-passphrase"
STAFF_PAGE = "pages/staff.py"


def sign_in_as_staff(at: AppTest, passphrase: str = STAFF_PASSPHRASE) -> AppTest:
    """Type the passphrase on the Staff sign-in page (the page the app was on is left)."""
    at.switch_page(STAFF_PAGE).run()
    at.text_input(key="staff:passphrase").input(passphrase)
    return next(b for b in at.button if b.label == "Sign in").click().run()


def page_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "title", "subheader", "header", "info", "success", "error", "warning", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(e.label) for e in at.expander]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    for w in list(at.radio) + list(at.multiselect):
        parts += [str(w.label)] + [str(o) for o in w.options]
    parts += [str(c.label) for c in at.checkbox]
    return "\n".join(parts)


def widget(collection, suffix: str):
    found = [w for w in collection if w.key and w.key.endswith(suffix)]
    return found[0] if found else None


def open_question_id(at: AppTest) -> str | None:
    for w in at.button:
        if w.key and w.key.endswith(":hint"):
            return w.key.split(":")[-2]
    for w in list(at.radio) + list(at.text_input) + list(at.multiselect) + list(at.number_input) + list(at.checkbox):
        if w.key and w.key.endswith(":confidence"):
            return w.key.split(":")[-2]
    return None


def answer_open_question(at: AppTest, case: Case, *, correctly: bool = True) -> AppTest:
    qid = open_question_id(at)
    assert qid, "no open question on the page"
    q = case.question(qid)
    suffix = f":{qid}"
    if isinstance(q, SingleChoice):
        pick = next(o.id for o in q.options if o.correct == correctly)
        widget(at.radio, f"{suffix}:choice").set_value(pick)
    elif isinstance(q, MultipleChoice):
        for o in q.options:
            widget(at.checkbox, f"{suffix}:opt:{o.id}").set_value(o.correct == correctly)
    elif isinstance(q, FreeText):
        widget(at.text_input, f"{suffix}:text").input(q.accepted[0] if correctly else "no idea at all")
    elif isinstance(q, Ranking):
        order = [i.id for i in q.items]
        widget(at.multiselect, f"{suffix}:rank").set_value(order if correctly else order[::-1])
    elif isinstance(q, Numeric):
        widget(at.number_input, f"{suffix}:number").set_value(q.answer if correctly else q.answer + q.tolerance + 1000)
    elif isinstance(q, Investigation):
        return order_and_finish(at, q, [o.id for o in q.options if (o.value == "decisive") == correctly])
    widget(at.radio, f"{suffix}:confidence").set_value(Confidence.confident)
    submit = next(b for b in at.button if b.label == "Submit answer")
    return submit.click().run()


def order_and_finish(at: AppTest, q: Investigation, tests: list[str]) -> AppTest:
    """Order each test by its button, as a student does, then finish the work-up."""
    for test_id in tests:
        at = widget(at.button, f":{q.id}:order:{test_id}").click().run()
    widget(at.radio, f":{q.id}:confidence").set_value(Confidence.confident)
    return next(b for b in at.button if b.label == "Finish the work-up").click().run()


def reveal_next(at: AppTest) -> AppTest:
    button = next(b for b in at.button if b.key and b.key.endswith(":next"))
    return button.click().run()


def play_to_the_end(at: AppTest, case: Case, *, correctly: bool = True) -> AppTest:
    for _ in range(len(case.questions) + len(case.stages) + 2):
        if open_question_id(at):
            at = answer_open_question(at, case, correctly=correctly)
        elif any(b.key and b.key.endswith(":next") for b in at.button):
            at = reveal_next(at)
        else:
            break
        assert not at.exception, at.exception
    return at


def in_page_order(block) -> list:
    """Every element inside a block (columns and containers opened), in the order the page shows them."""
    out = []
    for child in getattr(block, "children", {}).values():
        if isinstance(child, Block):
            out += in_page_order(child)
        else:
            out.append(child)
    return out


def answer_form(at: AppTest):
    """The open question's form: the one with the 'How sure are you?' choice."""
    return next(f for f in at.get("form") if any(w.key and w.key.endswith(":confidence") for w in f.get("radio")))


def scroll_scripts(at: AppTest) -> list[str]:
    """The page's own scroll scripts (not the script that marks the timeline as a region)."""
    return [h.proto.body for h in at.get("html") if "<script>" in h.proto.body and "casebookScrolled" in h.proto.body]
