"""Grading a student can trust: a slip of spelling in the right answer still counts (and says how it
was read), a different diagnosis never does, and a wrong first place in a differential costs most."""
from itertools import permutations

import pytest

from casebook.grading import free_text_key, grade, match_free_text, normalise, ranking_score
from casebook.loader import load_case
from casebook.model import FreeText, Ranking
from casebook.poll import tally_responses
from tests.conftest import CASES, FIXTURE_CASES

LEG = load_case(CASES / "painful-wasted-leg").case
BOWEL = load_case(CASES / "constipation-only").case
ANKLE = load_case(CASES / "exertional-ankle-pain").case
MINI = load_case(FIXTURE_CASES / "mini-case").case


def free_text(*accepted: str) -> FreeText:
    return FreeText(id="q", type="free_text", prompt="Name it.", explanation="Because.", accepted=list(accepted))


@pytest.mark.parametrize("question,typed,spelled", [
    (BOWEL.question("suspected-tumour"), "schwanoma", "schwannoma"),
    (BOWEL.question("suspected-tumour"), "Shwannoma", "schwannoma"),
    (BOWEL.question("suspected-tumour"), "nuerilemmoma", "neurilemmoma"),
    (LEG.question("suspected-tumour"), "glomous tumour", "glomus tumour"),
    (LEG.question("suspected-tumour"), "glomus tumuor", "glomus tumour"),
    (ANKLE.question("name-the-variant"), "acessory soleus", "accessory soleus"),
    (ANKLE.question("name-the-variant"), "accessory soleous", "accessory soleus"),
])
def test_a_misspelt_right_answer_is_accepted_and_says_how_it_was_read(question, typed, spelled):
    g = grade(question, typed)
    assert g.correct and g.fraction == 1 and g.matched == spelled
    assert g.note == f"accepted — spelled {spelled}"


def test_an_exact_answer_needs_no_note():
    g = grade(BOWEL.question("suspected-tumour"), "Schwannoma")
    assert g.correct and g.note is None


@pytest.mark.parametrize("accepted,typed", [
    ("neurinoma", "neuroma"),            # a different lesion, two letters away
    ("neuroma", "neurinoma"),
    ("myasthenia", "myositis"),
    ("myositis", "myasthenia"),
    ("myositis", "myosis"),
    ("hypothyroidism", "hyperthyroidism"),
    ("hypertension", "hypotension"),
    ("bradycardia", "tachycardia"),
    ("intradural", "extradural"),
    ("lipoma", "lymphoma"),
    ("melanoma", "myeloma"),
    ("ileus", "ileum"),
    ("peroneal", "perineal"),
    ("glomus tumour", "glioma tumour"),
    ("schwannoma", "neurofibroma"),
    ("dysphagia", "dysphasia"),
    ("arthritis", "arthrosis"),
    ("mydriasis", "miosis"),
])
def test_a_different_diagnosis_that_looks_alike_is_not_accepted(accepted, typed):
    g = grade(free_text(accepted), typed)
    assert not g.correct and g.matched is None and g.note is None


def test_the_real_cases_do_not_accept_their_look_alikes():
    assert not grade(BOWEL.question("suspected-tumour"), "neuroma").correct
    assert not grade(BOWEL.question("suspected-tumour"), "neurofibroma").correct
    assert not grade(LEG.question("suspected-tumour"), "glioma").correct
    assert not grade(ANKLE.question("name-the-variant"), "accessory soleus tendon").correct


def test_short_words_get_no_slack():
    assert not grade(free_text("gout"), "got").correct
    assert grade(free_text("gout"), "Gout!").correct


def test_accents_and_ligatures_are_spelled_out():
    assert normalise("Œdème") == "oedeme"
    assert normalise("Ménière's disease") == normalise("meniere's disease")
    assert normalise("Sjögren") == "sjogren"
    assert grade(free_text("Ménière disease"), "meniere disease").correct


def test_poll_tally_counts_a_misspelling_with_the_answer_it_is_graded_as():
    question = BOWEL.question("suspected-tumour")
    t = tally_responses(question, ["schwanoma", "Schwannoma", "schwannoma", "neuroma"], joined=4)
    assert dict(zip(t.labels, t.counts)) == {"Schwannoma": 3, "neuroma": 1}  # words typed, the well-spelt first
    assert t.correct == [True, False] and t.right == 3
    assert free_text_key(question, "schwanoma") == (normalise("schwannoma"), "schwannoma")
    only_slips = tally_responses(question, ["schwanoma"], joined=1)
    assert only_slips.labels == ["schwanoma"] and only_slips.correct == [True]
    assert free_text_key(question, "neuroma") == ("neuroma", None)
    assert match_free_text(question, "neuroma").accepted is None


# --- ranking --------------------------------------------------------------------------------------

RANKING = LEG.question("differential-ranking")
RIGHT = [i.id for i in RANKING.items]


def swapped(order, i, j):
    order = list(order)
    order[i], order[j] = order[j], order[i]
    return order


def test_a_wrong_first_place_costs_more_than_swapping_two_lower_items():
    top_swap = grade(RANKING, swapped(RIGHT, 0, 1)).fraction
    low_swap = grade(RANKING, swapped(RIGHT, 3, 4)).fraction
    assert top_swap < low_swap < 1


def test_any_ranking_with_the_right_first_place_beats_any_without():
    right_first = [ranking_score(RIGHT, list(p)) for p in permutations(RIGHT) if p[0] == RIGHT[0]]
    wrong_first = [ranking_score(RIGHT, list(p)) for p in permutations(RIGHT) if p[0] != RIGHT[0]]
    assert min(right_first) >= 0.5 > max(wrong_first)


def test_ranking_feedback_says_what_the_first_place_costs():
    wrong = grade(RANKING, swapped(RIGHT, 0, 1))
    assert "is not the most likely diagnosis" in wrong.note and "costs more" in wrong.note
    assert RANKING.items[1].text in wrong.note and RANKING.items[0].text in wrong.note
    lower = grade(RANKING, swapped(RIGHT, 3, 4))
    assert "most likely diagnosis first" in lower.note and "costs less" in lower.note
    assert grade(RANKING, RIGHT).note is None


def test_a_two_item_ranking_still_grades():
    question = Ranking(id="r", type="ranking", prompt="Rank.", explanation="e",
                       items=[{"id": "a", "text": "A", "feedback": "f"}, {"id": "b", "text": "B", "feedback": "f"}])
    assert grade(question, ["a", "b"]).fraction == 1 and grade(question, ["b", "a"]).fraction == 0
    assert MINI.question("q-rank")


def test_a_phone_is_told_how_its_misspelt_answer_was_read():
    from datetime import datetime, timezone

    from casebook.poll import Phase, PollSession, phone_view
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    session = PollSession(id="s", case_id=BOWEL.id, join_code="ABC", stage_index=2, question_id="suspected-tumour",
                          phase=Phase.revealed, version=1, created_at=now, expires_at=now.replace(year=2027))
    view = phone_view(BOWEL, session, "schwanoma", now)
    assert view["my_result"] == {"correct": True, "verdict": "correct", "note": "accepted — spelled schwannoma"}
