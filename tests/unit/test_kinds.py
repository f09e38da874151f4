"""Every question type an author may write has one kind that answers for it, and one way to draw it."""
from __future__ import annotations

from typing import get_args

from casebook.kinds import KINDS, kind_of
from casebook.model import Question


def question_types() -> set[str]:
    return {get_args(m.model_fields["type"].annotation)[0] for m in get_args(get_args(Question)[0])}


def test_every_question_type_in_the_case_format_has_a_kind():
    assert set(KINDS) == question_types()
    for name, kind in KINDS.items():
        assert kind.type == name and kind.how_to_answer


def test_every_kind_has_a_drawing():
    from components.kinds import DRAWINGS  # the drawing side may import streamlit; the core never does

    assert set(DRAWINGS) == set(KINDS)


def test_an_unknown_type_is_a_clear_error():
    try:
        kind_of("essay")
    except KeyError as exc:
        assert "essay" in str(exc)
    else:
        raise AssertionError("an unknown type must not pass")
