"""The printed handout: a worksheet that stops before the diagnosis, or the whole case with answers."""
import io

import pytest
from pypdf import PdfReader

from casebook.handout import handout_pdf, markdown_blocks, worksheet_stages
from casebook.loader import load_case
from casebook.model import StageKind
from tests.conftest import CASES

CASE = load_case(CASES / "painful-wasted-leg").case


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def words(text: str, n: int = 6) -> str:
    """The first few words of a case text, as they read once Markdown marks are gone."""
    return " ".join(text.replace("**", "").replace("*", "").split()[:n])


@pytest.fixture(scope="module")
def worksheet() -> str:
    return pdf_text(handout_pdf(CASE, with_answers=False))


@pytest.fixture(scope="module")
def answers() -> str:
    return pdf_text(handout_pdf(CASE, with_answers=True))


def test_the_worksheet_stops_before_the_diagnosis_and_gives_no_answers(worksheet):
    shown = worksheet_stages(CASE)
    assert all(s.kind != StageKind.diagnosis for s in shown) and len(shown) < len(CASE.stages)
    assert words(shown[0].narrative) in worksheet
    for hidden in CASE.stages[len(shown):]:
        assert words(hidden.narrative) not in worksheet
    for q in (q for s in shown for q in s.questions):
        assert words(q.prompt) in worksheet and words(q.explanation) not in worksheet
    assert CASE.source.title not in worksheet and "the diagnosis in this case" not in worksheet


def test_the_worksheet_still_credits_the_source_and_says_it_is_for_education(worksheet):
    assert CASE.source.doi in worksheet and CASE.source.licence in worksheet
    assert "For education, not for clinical decisions." in worksheet


def test_the_answer_version_has_every_stage_answer_and_the_full_citation(answers):
    for stage in CASE.stages:
        assert words(stage.narrative) in answers
    for q in CASE.questions:
        assert words(q.explanation) in answers
    assert CASE.source.title in " ".join(answers.split())
    assert "general teaching point" in answers


def test_markdown_paragraphs_and_lists_reflow_for_print():
    assert markdown_blocks("One line\nwrapped here.\n\n- first\n- second\n\nLast.") == [
        ("para", "One line wrapped here."), ("item", "first"), ("item", "second"), ("para", "Last.")]


def test_an_expert_trace_naming_the_answer_does_not_cut_the_worksheet_short():
    """The trace is shown only once a case is finished and is not printed, so a stage whose trace names the typed
    answer stays on the worksheet, and the trace's words are not on it."""
    from casebook.model import ExpertBoard, ExpertHolding
    trace = ExpertBoard.model_construct(live=[ExpertHolding.model_construct(
        diagnosis="glomus", why="A glomus tumour under the nail fits best here.", basis="general")], struck=[], moved_by=[])
    extra = CASE.stages[2].model_copy(update={"id": "more-tests", "expert": trace})
    case = CASE.model_copy(update={"stages": CASE.stages[:4] + [extra] + CASE.stages[4:]})
    assert "more-tests" in [s.id for s in worksheet_stages(case)]
    assert "under the nail fits best" not in pdf_text(handout_pdf(case, with_answers=False))
