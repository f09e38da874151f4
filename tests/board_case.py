"""A small case with a differential board and an expert trace, made from the mini case (for board tests)."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURE_CASES

BOARD = """board:
  - {id: tb, name: Tuberculosis}
  - {id: pneumonia, name: Pneumonia, synonyms: [chest infection], final: true}
  - {id: cancer, name: Lung cancer, synonyms: [bronchial carcinoma]}
"""
FIRST = """    expert:
      live:
        - {diagnosis: pneumonia, why: EXPERT-WHY-FIRST a cough after a cold., basis: general}
        - {diagnosis: tb, why: Three weeks is long enough to think of it., basis: general}
        - {diagnosis: cancer, why: Never forget it in a cough that lingers., basis: general}
      moved_by:
        - {ref: cough, promotes: [pneumonia], why: EXPERT-MOVE-COUGH follows a cold., basis: general}
"""
SECOND = """    expert:
      live:
        - {diagnosis: pneumonia, why: EXPERT-WHY-SECOND crackles and a raised CRP., basis: source}
        - {diagnosis: cancer, why: A shadow can still be a tumour., basis: general}
      struck:
        - {diagnosis: tb, why: No night sweats or weight loss., basis: general}
      moved_by:
        - {ref: crackles, promotes: [pneumonia], why: EXPERT-MOVE-CRACKLES focal crackles., basis: general}
        - {ref: CRP, promotes: [pneumonia], demotes: [tb], why: An inflammatory response., basis: general}
"""


def board_case_text() -> str:
    text = (FIXTURE_CASES / "mini-case" / "case.yaml").read_text()
    text = text.replace("    speaker_notes: Ask the room about red flags.\n",
                        "    speaker_notes: Ask the room about red flags.\n" + FIRST, 1)
    text = text.replace("        unit: weeks\n", "        unit: weeks\n" + SECOND, 1)
    return text.replace("stages:\n", BOARD + "stages:\n", 1)


def board_cases(root: Path) -> Path:
    """A case folder holding the mini case with a board (same id), for a Casebook or an app under test."""
    target = root / "board-cases"
    shutil.copytree(FIXTURE_CASES, target)
    (target / "mini-case" / "case.yaml").write_text(board_case_text())
    return target
