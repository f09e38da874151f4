"""The lecturer's choice of what the projector shows while the room votes, on SQLite and PostgreSQL."""
import pytest

from casebook.core import Casebook
from casebook.poll import NotLecturer, Phase
from casebook.projector import chart_hidden
from tests.conftest import NOW


def test_the_chart_is_held_back_only_while_voting_is_open_and_only_if_chosen():
    assert [chart_hidden(p, True) for p in Phase] == [p == Phase.open for p in Phase]
    assert not any(chart_hidden(p, False) for p in Phase)


def test_only_the_lecturer_sets_it_and_every_window_reads_the_same_choice(cases_dir, database_url):
    book = Casebook(cases_dir, database_url)
    case = book.case("mini-case")
    session, key = book.polls.create(case, NOW)
    other, _ = book.polls.create(case, NOW)
    assert book.screen.hide_chart_while_voting(session.id) is False
    book.screen.set_hide_chart_while_voting(session.id, key, True)
    book.screen.set_hide_chart_while_voting(session.id, key, True)  # twice is fine
    assert Casebook(cases_dir, database_url).screen.hide_chart_while_voting(session.id) is True
    assert book.screen.hide_chart_while_voting(other.id) is False
    with pytest.raises(NotLecturer):
        book.screen.set_hide_chart_while_voting(session.id, "a guess", False)
    book.screen.set_hide_chart_while_voting(session.id, key, False)
    assert book.screen.hide_chart_while_voting(session.id) is False
