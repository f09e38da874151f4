"""On a phone the sidebar hides behind an unlabelled »: every page also names the pages in its body."""
from tests.conftest import FIXTURE_CASES

PAGES = ["Case library", "Study a case", "Review", "Present to a class", "Write a case", "Staff sign-in"]


def test_every_page_names_the_pages_in_its_body(app_factory):
    for page in ("pages/library.py", "pages/study.py", "pages/review.py"):
        at = app_factory(FIXTURE_CASES, query={"learner": "phone-nav-0001"}, page=page)
        nav = at.main.get("page_link")
        labels = [link.proto.label for link in nav]
        assert all(name in labels for name in PAGES), (page, labels)
        assert not at.exception
