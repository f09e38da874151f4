"""Every case's public worksheet (no sign-in needed) gives away none of the answers its typed-answer
questions ask for, whatever the case's shape: no diagnosis stage, treatment before the diagnosis, or
an answer named in an imaging report."""
import io

import pytest
from pypdf import PdfReader

from casebook.grading import normalise
from casebook.handout import _texts, handout_pdf, worksheet_stages
from casebook.loader import load_library
from casebook.model import FreeText
from tests.conftest import CASES

LIBRARY = load_library(CASES).cases


@pytest.mark.parametrize("case_id", sorted(LIBRARY))
def test_no_worksheet_stage_names_an_answer_the_worksheet_asks_for(case_id):
    stages = worksheet_stages(LIBRARY[case_id])
    shown = " " + normalise(" ".join(_texts([s.model_dump(exclude={"questions", "speaker_notes", "expert"}) for s in stages]))) + " "
    answers = {normalise(a) for s in stages for q in s.questions if isinstance(q, FreeText) for a in q.accepted}
    assert not sorted(a for a in answers if f" {a} " in shown)


@pytest.mark.parametrize("case_id, answer", [
    ("early-morning-attacks", "insulinoma"), ("early-morning-attacks", "whipple"),
    ("pneumonia-again-in-pregnancy", "mucoepidermoid"), ("teenager-hip-pain-at-night", "osteoid osteoma"),
])
def test_worksheets_that_once_printed_the_diagnosis_no_longer_do(case_id, answer):
    pdf = handout_pdf(LIBRARY[case_id], with_answers=False)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).lower()
    assert answer not in " ".join(text.split())
