"""Every bundled case validates, is a real quiz, cites its source, and is written in our own words."""
import re
import subprocess
import sys

import pytest

from casebook.loader import load_library
from casebook.model import Ranking
from tests.conftest import CASES, ROOT

LIBRARY = load_library(CASES)
ALL = sorted(LIBRARY.cases.values(), key=lambda c: c.id)
GENERIC_WORDS = {"muscle", "tumour", "tumours", "tumor", "tumors", "multiple", "syndrome", "disease",
                 "lumbar", "right", "nerve", "roots", "benign", "symptomatic"}
SEED_CASES = {"painful-wasted-leg", "exertional-ankle-pain", "constipation-only"}


def test_every_case_file_validates():
    assert [str(p) for b in LIBRARY.broken for p in b.errors] == []
    assert SEED_CASES <= set(LIBRARY.cases)


def test_no_case_has_warnings():
    assert [str(w) for f in LIBRARY.files for w in f.warnings] == []


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_case_is_a_full_quiz(case):
    assert len(case.questions) >= 6
    assert len({s.id for s in case.stages if s.questions}) >= 3, "questions spread across stages"
    assert any(isinstance(q, Ranking) for q in case.questions) or any(s.differential for s in case.stages)
    assert any(s.differential for s in case.stages), "a differential diagnosis is discussed"
    assert any(s.teaching_points for s in case.stages)
    assert {q.type for q in case.questions} >= {"single_choice", "multiple_choice", "free_text", "ranking", "numeric"}


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_case_names_its_source_and_what_was_changed(case):
    s = case.source
    assert s.authors and s.journal and s.licence and s.adapted
    assert s.doi or s.pmid or s.url


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_the_card_and_objectives_do_not_give_the_diagnosis_away(case):
    final = [d.diagnosis.lower() for s in case.stages for d in s.differential if d.final]
    assert final, "the differential marks the final diagnosis"
    card = case.searchable_text() + " " + case.id + " " + " ".join(case.objectives).lower()
    telling = [w for d in final for w in re.findall(r"[a-z]{5,}", d) if w not in GENERIC_WORDS]
    assert telling
    assert [w for w in telling if w in card] == [], f"the library card of {case.id} names the diagnosis"


def test_no_passage_is_copied_from_the_source_reports():
    tool = ROOT.parent / "shared" / "tools" / "check_paraphrase.py"
    if not tool.exists():
        pytest.skip("../shared/tools/check_paraphrase.py is not beside this checkout")
    run = subprocess.run([sys.executable, str(tool), str(CASES)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
