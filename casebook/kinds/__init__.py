"""Question kinds, one module each, found by the `type:` an author writes.

The rest of Casebook asks a question's kind (`kind_of(question)`) instead of testing its type:
adding a kind means one module here (and one in components/kinds/ for drawing it) and one line below.
"""
from __future__ import annotations

from casebook.kinds.base import QuestionKind
from casebook.kinds import free_text, investigation, multiple_choice, numeric, ranking, single_choice

KINDS: dict[str, QuestionKind] = {k.type: k for k in (
    single_choice.KIND, multiple_choice.KIND, free_text.KIND, ranking.KIND, numeric.KIND, investigation.KIND,
)}


def kind_of(question) -> QuestionKind:
    """The kind of a question, a question view, or a `type` name."""
    name = question if isinstance(question, str) else question.type
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown question type {name!r}") from None


__all__ = ["KINDS", "QuestionKind", "kind_of"]
