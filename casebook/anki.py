"""Anki decks (.apkg) of a case's questions, or of the questions a learner missed, to keep reviewing in Anki.

One note per question. Its front tells what is known at that question's stage and asks it; its back
gives the answer, why, and the source. Ids are fixed, so importing a newer deck updates the notes
already in Anki instead of adding copies; a missed question is the same note in both kinds of deck.
"""
from __future__ import annotations

import hashlib
import html
import io
import itertools
import re
import sqlite3
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import genanki

from casebook.kinds import kind_of
from casebook.kinds.base import letter as _letter
from casebook.model import Case, Question, Source, Stage
from casebook.reveal import question_view

DISCLAIMER = "For education, not for clinical decisions."
KNOWN_LIMIT = 600
"""About how many characters of a stage's narrative the front of a card repeats."""
REVIEW_DECK_NAME = "Casebook::Questions I missed"


def stable_id(name: str) -> int:
    """An Anki id that is the same on every machine and every export (Anki keys models and decks on it)."""
    return int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:8], 16)


CSS = """
.card { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 18px;
        line-height: 1.45; text-align: left; max-width: 42em; margin: 0 auto; color: #111; background: #fff; }
.nightMode.card, .night_mode .card { color: #eee; background: #1e1e1e; }
.case { font-size: 14px; color: #555; }
.stage { font-size: 14px; font-weight: 600; margin-bottom: .6em; }
.known { font-size: 16px; border-left: 3px solid #999; padding-left: .7em; margin-bottom: 1em; }
.prompt { font-weight: 600; }
.how { font-size: 14px; color: #555; }
.answer { font-weight: 600; }
.why { margin-top: .6em; }
.source { margin-top: 1em; font-size: 13px; color: #555; }
.nightMode .case, .nightMode .how, .nightMode .source { color: #bbb; }
"""

FRONT = """<div class="case">{{Case}}</div>
<div class="stage">{{Stage}}</div>
{{#Known}}<div class="known">{{Known}}</div>{{/Known}}
<div class="prompt">{{Question}}</div>
{{#Options}}<div class="options">{{Options}}</div>{{/Options}}"""

BACK = """{{FrontSide}}
<hr id="answer">
<div class="answer">{{Answer}}</div>
<div class="why">{{Explanation}}</div>
<div class="source">{{Source}}</div>"""

FRONT_FIELDS = ("Question", "Options", "Case", "Stage", "Known")
BACK_FIELDS = ("Answer", "Explanation", "Source")

# The prompt is the first field: Anki sorts and checks duplicates on it, and a case title is shared by
# every note of the case.
QUESTION_MODEL = genanki.Model(
    stable_id("casebook:anki:question-model:v1"),
    "Casebook question",
    fields=[{"name": name} for name in FRONT_FIELDS + BACK_FIELDS],
    templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}],
    css=CSS,
)


def case_deck(case: Case, *, now: datetime | None = None) -> bytes:
    """Every question of a case, one note each, in a deck named after the case."""
    deck = genanki.Deck(stable_id(f"casebook:anki:case-deck:{case.id}"), f"Casebook::{_deck_title(case.title)}")
    for stage in case.stages:
        for question in stage.questions:
            deck.add_note(question_note(case, stage, question))
    return _apkg(deck, now)


def review_deck(items: Iterable[tuple[Case, Stage, Question]], *, now: datetime | None = None) -> bytes:
    """The questions a learner missed, each as the same note a case deck has for it."""
    deck = genanki.Deck(stable_id("casebook:anki:review-deck"), REVIEW_DECK_NAME)
    for case, stage, question in items:
        deck.add_note(question_note(case, stage, question))
    return _apkg(deck, now)


def question_note(case: Case, stage: Stage, question: Question) -> genanki.Note:
    number = next(i for i, s in enumerate(case.stages, 1) if s.id == stage.id)
    choices = question_view(question, hint_taken=False, shuffle_seed=f"anki:{case.id}").choices
    letters = {option_id: _letter(i) for i, (option_id, _) in enumerate(choices)}
    fields = {
        "Question": _html(question.prompt),
        "Options": _options(question, choices),
        "Case": _html(case.title),
        "Stage": _html(f"Stage {number}: {stage.title}"),
        "Known": _html(known_at_stage(stage)),
        "Answer": _answer(question, letters),
        "Explanation": _explanation(question, letters),
        "Source": _html(source_line(case.source)),
    }
    return genanki.Note(
        model=QUESTION_MODEL,
        fields=[fields[name] for name in FRONT_FIELDS + BACK_FIELDS],
        guid=genanki.guid_for("casebook", case.id, question.id),
        tags=["casebook", case.id, stage.kind.value],
    )


# --- what the card says ---------------------------------------------------------------------------


def plain_text(markdown: str) -> str:
    """Case text without its Markdown marks, on one line; list items keep a bullet."""
    lines = []
    for line in markdown.splitlines():
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "• ", line)
        lines.append(line)
    text = " ".join(lines)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [label](url) -> label
    text = re.sub(r"(\*\*|__)(\S(?:.*?\S)?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(\S(?:[^_]*?\S)?)_(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return " ".join(text.split())


def known_at_stage(stage: Stage, limit: int = KNOWN_LIMIT) -> str:
    """The stage's narrative as plain text, cut at a sentence end near `limit` characters."""
    text = plain_text(stage.narrative)
    if len(text) <= limit:
        return text
    window = text[: limit + 1]
    ends = [m.end() for m in re.finditer(r"[.!?…][)\"'”’]?(?=\s)", window)]
    if ends and ends[-1] >= limit // 3:
        return text[: ends[-1]] + " …"
    return window.rsplit(" ", 1)[0].rstrip(",;:") + " …"


def source_line(source: Source) -> str:
    where = " ".join(str(x) for x in (source.journal, source.year) if x)
    ids = f"doi:{source.doi}" if source.doi else f"PMID {source.pmid}" if source.pmid else source.url or ""
    authors = ", ".join(source.authors[:6]) + (" et al." if len(source.authors) > 6 else "")
    return f"Source: {authors}, {where}" + (f", {ids}" if ids else "") + \
        f" — {source.licence}. {DISCLAIMER}"


def _options(question: Question, choices: list[tuple[str, str]]) -> str:
    return kind_of(question).anki_options(question, choices, _html)


def _answer(question: Question, letters: dict[str, str]) -> str:
    return kind_of(question).anki_answer(question, letters, _html)


def _explanation(question: Question, letters: dict[str, str]) -> str:
    why = _html(question.explanation)
    parts = sorted(kind_of(question).anki_explanation_parts(question, letters), key=lambda p: p[0])
    if not parts:
        return why
    rows = "".join(f"<li>{letter}. {_html(text)}: {_html(feedback)}</li>" for letter, text, feedback in parts)
    return f'{why}<ul style="padding-left: 1.2em">{rows}</ul>'


def _html(text: str) -> str:
    """Case text as safe Anki field content: Markdown marks dropped, every character escaped."""
    return html.escape(_printable(plain_text(text)), quote=True)


def _printable(text: str) -> str:
    # \x1f separates fields in Anki's database; no control character belongs in a card.
    return "".join(ch for ch in text if ch >= " " or ch in "\t")


def _deck_title(title: str) -> str:
    # A deck name is not a field: Anki shows it as it is, and "::" in it would make a sub-deck.
    return " ".join(re.sub(r"[<>]", "", _printable(plain_text(title))).replace("::", ":").split())


def _apkg(deck: genanki.Deck, now: datetime | None) -> bytes:
    # genanki's write_to_file leaves its temporary database behind; write the same package here
    # from a folder that is removed afterwards.
    timestamp = (now or datetime.now(timezone.utc)).timestamp()
    with tempfile.TemporaryDirectory(prefix="casebook-anki-") as folder:
        db_path = Path(folder) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            genanki.Package(deck).write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as apkg:
            apkg.write(db_path, "collection.anki2")
            apkg.writestr("media", "{}")
    return out.getvalue()
