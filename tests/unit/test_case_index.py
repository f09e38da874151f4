"""The library's index of checked cases: kept across restarts, and a changed file is checked again."""
import os
import shutil
from pathlib import Path

from casebook.case_index import CaseIndex, quick_card
from casebook.loader import load_case
from tests.conftest import FIXTURE_CASES

GOOD = (FIXTURE_CASES / "mini-case" / "case.yaml").read_text()
MINI = load_case(FIXTURE_CASES / "mini-case").case


def library(tmp_path: Path, *names: str) -> Path:
    root = tmp_path / "cases"
    for name in names:
        (root / name).mkdir(parents=True)
        (root / name / "case.yaml").write_text(GOOD.replace("id: mini-case", f"id: {name}", 1))
    return root


def edit(path: Path, text: str) -> None:
    """Write the file as an editor would; the time moves on even on a coarse clock."""
    before = path.stat().st_mtime_ns
    path.write_text(text)
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_a_restart_reads_the_index_instead_of_the_files(tmp_path, monkeypatch):
    root = library(tmp_path, "mini-case")
    index = tmp_path / "index.pickle"
    first = CaseIndex(root, index)
    assert list(first.cards) == ["mini-case"] and index.is_file()

    import casebook.case_index as module
    monkeypatch.setattr(module, "load_case", lambda folder: (_ for _ in ()).throw(AssertionError("file read")))
    again = CaseIndex(root, index)
    assert list(again.cards) == ["mini-case"]
    assert again.cards["mini-case"].title == MINI.title


def test_a_changed_file_is_checked_again_at_the_next_start(tmp_path):
    root = library(tmp_path, "mini-case")
    index = tmp_path / "index.pickle"
    CaseIndex(root, index)
    edit(root / "mini-case" / "case.yaml", GOOD.replace(MINI.title, "A brand new title"))
    again = CaseIndex(root, index)
    assert again.cards["mini-case"].title == "A brand new title"
    assert again.case("mini-case").title == "A brand new title"


def test_a_file_broken_after_it_was_indexed_is_reported_with_file_and_line(tmp_path):
    root = library(tmp_path, "mini-case", "other-case")
    index = tmp_path / "index.pickle"
    assert len(CaseIndex(root, index).cards) == 2
    path = root / "other-case" / "case.yaml"
    broken = GOOD.replace("id: mini-case", "id: other-case", 1).replace("minutes: ", "minutes: lots #", 1)
    edit(path, broken)
    again = CaseIndex(root, index)
    assert list(again.cards) == ["mini-case"]
    [bad] = again.broken
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if text.startswith("minutes:"))
    assert [str(p) for p in bad.errors] == [f"{path}:{line}: minutes: Input should be a valid integer, unable to "
                                             f"parse string as an integer"]
    assert again.case("other-case") is None
    # ... and the broken file stays reported from the index, without being read, until it changes.
    assert [str(p) for p in CaseIndex(root, index).broken[0].errors] == [str(p) for p in bad.errors]


def test_a_deep_problem_is_found_before_a_student_gets_the_case(tmp_path):
    """Checked in the background, a file's card may be listed first; opening it still checks it in full."""
    root = library(tmp_path, "mini-case")
    path = root / "mini-case" / "case.yaml"
    path.write_text(GOOD.replace("          - {id: b, text: Sneezing, feedback: Common with colds.}",
                                 "          - {id: b, text: Sneezing, feedback: Common with colds., colour: red}"))
    index = CaseIndex(root, None, background=True)
    assert index.case("mini-case") is None
    index.wait()
    assert "colour" in str(index.broken[0].errors[0]) and not index.cards


def test_a_case_edited_while_the_app_runs_is_served_as_it_is_now(tmp_path):
    root = library(tmp_path, "mini-case")
    index = CaseIndex(root, None)
    edit(root / "mini-case" / "case.yaml", GOOD.replace(MINI.title, "Edited while running"))
    import casebook.case_index as module
    module_open = index._open
    module_open.clear()  # as if the case had not been opened since the start
    assert index.case("mini-case").title == "Edited while running"
    assert index.cards["mini-case"].title == "Edited while running"


def test_a_copied_folder_that_keeps_the_id_is_unavailable(tmp_path):
    root = library(tmp_path, "mini-case")
    shutil.copytree(root / "mini-case", root / "zz-copy")
    index = CaseIndex(root, None)
    assert list(index.cards) == ["mini-case"]
    assert [b.folder.name for b in index.broken] == ["zz-copy"]
    assert "must equal the folder name 'zz-copy'" in index.broken[0].errors[0].message


def test_the_quick_card_agrees_with_the_full_check():
    for folder in sorted((FIXTURE_CASES.parent.parent.parent / "cases").iterdir()):
        case = load_case(folder).case
        card = quick_card((folder / "case.yaml").read_text())
        assert card is not None
        assert (card.id, card.title, card.summary, list(card.specialty), list(card.body_region), card.difficulty,
                list(card.tags), card.minutes) == (case.id, case.title, case.summary, case.specialty,
                                                   case.body_region, case.difficulty, case.tags, case.minutes)
        assert card.searchable_text() == case.searchable_text()
