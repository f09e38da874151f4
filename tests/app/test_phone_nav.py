"""On a phone the sidebar hides behind an unlabelled »: the page body names the pages too."""
from tests.conftest import FIXTURE_CASES

PAGES = ["Case library", "Study a case", "Review", "Progress", "Present to a class", "Write a case", "Staff sign-in"]


def test_the_page_body_names_every_page(app_factory):
    # AppTest runs app.py (where the names are drawn) only for the first page: switch_page runs a page alone.
    at = app_factory(FIXTURE_CASES, query={"learner": "phone-nav-0001"})
    labels = [link.proto.label for link in at.main.get("page_link")]
    assert labels[:len(PAGES)] == PAGES  # at the top, before the page's own content
    assert not at.exception
