from casebook.library import LibraryFilter, Status, facets, filter_cases
from casebook.loader import load_case
from tests.conftest import FIXTURE_CASES

CASE = load_case(FIXTURE_CASES / "mini-case").case
OTHER = CASE.model_copy(update={"id": "other", "title": "Ankle pain", "specialty": ["Sports medicine"],
                                "body_region": ["Lower limb"], "tags": ["exercise"]})


def ids(flt, progress=None):
    return [c.id for c in filter_cases([CASE, OTHER], flt, progress or {})]


def test_search_matches_card_text_only():
    assert ids(LibraryFilter(query="ankle")) == ["other"]
    assert ids(LibraryFilter(query="COUGH settle")) == ["mini-case"]
    assert ids(LibraryFilter(query="SECRET-SHADOW")) == []  # later-stage text is not searchable


def test_filters_combine():
    assert ids(LibraryFilter(specialties=["Sports medicine"])) == ["other"]
    assert ids(LibraryFilter(regions=["Chest"], tags=["practice"])) == ["mini-case"]
    assert ids(LibraryFilter(difficulties=["advanced"])) == []


def test_status_filter_uses_the_learners_progress(book):
    attempt = book.attempt_for("learner-0001", "mini-case")
    progress = {"mini-case": attempt}
    assert ids(LibraryFilter(statuses=[Status.in_progress]), progress) == ["mini-case"]
    assert ids(LibraryFilter(statuses=[Status.not_started]), progress) == ["other"]


def test_facets_list_what_exists():
    f = facets([CASE, OTHER])
    assert f.specialties == ["Respiratory medicine", "Sports medicine"]
    assert f.difficulties == ["introductory"]
