"""Anki decks: one self-contained card per question, answers only on the back, safe to import twice."""
import html
import io
import json
import re
import sqlite3
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from casebook.anki import case_deck, known_at_stage, plain_text, review_deck
from casebook.loader import load_case
from casebook.model import Case
from casebook.progress import Confidence
from tests.conftest import CASES, FIXTURE_CASES, NOW

MINI = load_case(FIXTURE_CASES / "mini-case").case
SEED_CASES = [load_case(folder).case for folder in sorted(CASES.iterdir()) if (folder / "case.yaml").exists()]
SURE = Confidence.confident


def open_deck(data: bytes, tmp_path: Path) -> dict:
    """What Anki would import: the notes (fields by name, tags, guid), the note type and the decks."""
    with zipfile.ZipFile(io.BytesIO(data)) as apkg:
        name = next(n for n in ("collection.anki21", "collection.anki2") if n in apkg.namelist())
        db = tmp_path / f"deck-{len(list(tmp_path.iterdir()))}.sqlite"
        db.write_bytes(apkg.read(name))
    conn = sqlite3.connect(db)
    try:
        models_json, decks_json = conn.execute("select models, decks from col").fetchone()
        notes = conn.execute("select guid, mid, tags, flds from notes order by id").fetchall()
        cards = conn.execute("select count(*) from cards").fetchone()[0]
    finally:
        conn.close()
    [model] = json.loads(models_json).values()
    field_names = [f["name"] for f in model["flds"]]
    [template] = model["tmpls"]
    front = set(re.findall(r"{{[#/^]?([^}]+)}}", template["qfmt"])) & set(field_names)
    return {
        "model": model,
        "decks": {d["name"]: d["id"] for d in json.loads(decks_json).values()},
        "cards": cards,
        "notes": [{"guid": guid, "mid": mid, "tags": tags.split(),
                   "fields": dict(zip(field_names, flds.split("\x1f"))), "front_fields": front}
                  for guid, mid, tags, flds in notes],
    }


def front(note: dict) -> str:
    return "\n".join(v for k, v in note["fields"].items() if k in note["front_fields"])


def back(note: dict) -> str:
    return "\n".join(v for k, v in note["fields"].items() if k not in note["front_fields"])


def shown(text: str) -> str:
    """A case text as it appears on a card: Markdown marks gone, HTML-escaped."""
    return html.escape(plain_text(text))


def with_script(case: Case, payload: str = "<script>alert('x')</script>") -> Case:
    first = case.stages[0]
    question = first.questions[0]
    option = question.options[0].model_copy(update={"text": f"Weight loss {payload}"})
    question = question.model_copy(update={
        "prompt": f"Which sign {payload} matters?", "explanation": f"Because {payload} <b>bold</b>.",
        "options": [option, *question.options[1:]]})
    stage = first.model_copy(update={"narrative": f"A cough {payload} for weeks.", "title": f"Story {payload}",
                                     "questions": [question, *first.questions[1:]]})
    return case.model_copy(update={"title": f"Cough {payload}", "stages": [stage, *case.stages[1:]]})


@pytest.mark.parametrize("case", [MINI, *SEED_CASES], ids=lambda c: c.id)
def test_a_case_deck_has_one_card_per_question_asked_on_the_front_and_explained_on_the_back(case, tmp_path):
    deck = open_deck(case_deck(case), tmp_path)
    assert len(deck["notes"]) == deck["cards"] == len(case.questions)
    for stage in case.stages:
        for question in stage.questions:
            [note] = [n for n in deck["notes"] if shown(question.prompt) in n["fields"]["Question"]]
            assert shown(question.prompt) in front(note)
            assert shown(question.explanation) in back(note)
            assert shown(question.explanation) not in front(note)
            assert "For education, not for clinical decisions." in back(note)
            assert set(note["tags"]) == {"casebook", case.id, stage.kind.value}


def test_a_card_tells_only_its_own_stage_and_gives_away_no_other_answer(tmp_path):
    deck = open_deck(case_deck(MINI), tmp_path)
    [first] = [n for n in deck["notes"] if "Which sign matters most?" in n["fields"]["Question"]]
    card = front(first) + back(first)
    assert "A cough for three weeks after a cold." in front(first)
    for later in ("SECRET-SHADOW", "OUTCOME-TEXT", "HIDDEN-DIAGNOSIS", "Hidden diagnosis", "Start simple."):
        assert later not in card
    # the options are on the front, the right one and every option's feedback only on the back
    assert "Weight loss" in first["fields"]["Options"] and "Sneezing" in first["fields"]["Options"]
    assert "A red flag." not in front(first) and "A red flag." in back(first)
    assert "Weight loss" in first["fields"]["Answer"] and "Sneezing" not in first["fields"]["Answer"]


def test_every_kind_of_answer_is_on_the_back(tmp_path):
    notes = {n["fields"]["Question"]: n for n in open_deck(case_deck(MINI), tmp_path)["notes"]}
    assert "Hidden diagnosis" in notes["Name the most likely diagnosis."]["fields"]["Answer"]
    assert "HD" in notes["Name the most likely diagnosis."]["fields"]["Answer"]
    numeric = notes["How many weeks of cough?"]["fields"]
    assert "3 weeks" in numeric["Answer"] and "± 0.5" in numeric["Answer"]
    assert "weeks" in numeric["Options"] and "3" not in numeric["Options"]
    ranking = notes["Rank the differential."]["fields"]["Answer"]
    assert ranking.index("First") < ranking.index("Second") < ranking.index("Third")


def test_case_text_is_escaped_not_rendered_as_html(tmp_path):
    deck = open_deck(case_deck(with_script(MINI)), tmp_path)
    everything = "\n".join(front(n) + back(n) for n in deck["notes"]) + "\n".join(deck["decks"])
    assert "<script" not in everything and "<b>" not in everything
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in everything
    [first] = [n for n in deck["notes"] if "matters?" in n["fields"]["Question"]]
    for field in ("Question", "Options", "Case", "Stage", "Known", "Answer", "Explanation"):
        assert "&lt;script&gt;" in first["fields"][field], field


def test_exporting_again_gives_the_same_ids_so_anki_updates_instead_of_duplicating(tmp_path):
    one = open_deck(case_deck(MINI, now=NOW), tmp_path)
    two = open_deck(case_deck(MINI, now=NOW + timedelta(days=30)), tmp_path)
    assert [n["guid"] for n in one["notes"]] == [n["guid"] for n in two["notes"]]
    assert len({n["guid"] for n in one["notes"]}) == len(MINI.questions)
    assert one["model"]["id"] == two["model"]["id"] and one["decks"] == two["decks"]
    other = open_deck(case_deck(SEED_CASES[0]), tmp_path)
    assert other["model"]["id"] == one["model"]["id"]  # one note type for every case
    assert set(other["decks"].values()) != set(one["decks"].values())  # a deck of its own per case


def test_the_review_deck_holds_exactly_the_queued_questions_as_the_same_notes(book, tmp_path):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    book.answer(attempt.id, "q-single", "b", SURE, now=NOW)               # missed
    book.answer(attempt.id, "q-multi", ["xr", "sp"], SURE, now=NOW)       # right, not queued
    book.reveal_next(attempt.id, now=NOW)
    book.answer(attempt.id, "q-free", "no idea", SURE, now=NOW)           # missed
    later = NOW + timedelta(hours=1)
    book.review_answer("learner-0001", "mini-case", "q-single", "a", SURE, later)  # right: not due for days

    queued = book.queued_reviews("learner-0001")
    assert sorted(q.id for _, _, q in queued) == ["q-free", "q-single"]
    assert [q.id for _, _, q in book.due_reviews("learner-0001", later)] == ["q-free"]
    assert {(c.id, s.id) for c, s, _ in queued} == {("mini-case", "history"), ("mini-case", "results")}
    assert book.queued_reviews("someone-else") == []

    review = open_deck(review_deck(queued), tmp_path)
    case = {n["fields"]["Question"]: n for n in open_deck(case_deck(book.case("mini-case")), tmp_path)["notes"]}
    assert sorted(n["fields"]["Question"] for n in review["notes"]) == \
        ["Name the most likely diagnosis.", "Which sign matters most?"]
    for note in review["notes"]:
        assert note["guid"] == case[note["fields"]["Question"]]["guid"]
        assert note["fields"] == case[note["fields"]["Question"]]["fields"]
    assert "Casebook::Questions I missed" in review["decks"]


def test_a_long_stage_is_cut_at_a_sentence_end():
    long_stage = next(s for c in SEED_CASES for s in c.stages if len(plain_text(s.narrative)) > 700)
    known = known_at_stage(long_stage)
    assert len(known) <= 610 and known.endswith(". …")
    assert plain_text(long_stage.narrative).startswith(known.removesuffix(" …"))
    assert plain_text("A **bold** claim, *really*; see [the report](https://example.org).\n\n- one\n- two") == \
        "A bold claim, really; see the report. • one • two"
