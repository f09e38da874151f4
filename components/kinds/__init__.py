"""How each question kind is drawn, found by its `type` (the core's casebook.kinds decides the rest)."""
from __future__ import annotations

from components.kinds import choice, free_text, investigation, numeric, ranking
from components.kinds.base import KindDrawing

DRAWINGS: dict[str, KindDrawing] = {d.type: d for d in (
    choice.SINGLE, choice.MULTIPLE, free_text.DRAWING, ranking.DRAWING, numeric.DRAWING, investigation.DRAWING,
)}


def drawing_of(question) -> KindDrawing:
    """How to draw a question, a question view or a `type` name."""
    return DRAWINGS[question if isinstance(question, str) else question.type]


__all__ = ["DRAWINGS", "KindDrawing", "drawing_of"]
