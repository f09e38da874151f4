"""Grading of each question type: a fraction of the points, and feedback on every option."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Levenshtein
from unidecode import unidecode

from casebook.model import FreeText, Question, Ranking
from casebook.points import to_half_points


class InvalidResponse(ValueError):
    """The response does not fit the question (unknown option, not a number...)."""


@dataclass(frozen=True)
class OptionFeedback:
    id: str
    text: str
    chosen: bool
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Grade:
    fraction: float
    """0..1 share of the question's points before any hint penalty."""
    correct: bool
    options: list[OptionFeedback] = field(default_factory=list)
    matched: str | None = None
    """For free text: the accepted answer that matched."""
    note: str | None = None
    """A remark on how the answer was graded, shown as plain text: a misspelling accepted, or why a
    ranking lost more than a swap lower down would have cost."""

    @property
    def verdict(self) -> str:
        if self.correct:
            return "correct"
        return "partly correct" if self.fraction > 0 else "incorrect"


_SPELLINGS = {"tumour": "tumor", "oedema": "edema", "haem": "hem", "anaem": "anem", "oesoph": "esoph", "paed": "ped"}


def normalise(text: str) -> str:
    """Lower case, accents and ligatures spelled out in ASCII (Œdème → oedeme), no punctuation,
    British/American spelling and plural -s folded."""
    text = unidecode(str(text)).lower()
    for british, american in _SPELLINGS.items():
        text = text.replace(british, american)
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def check_response(question: Question, response: Any) -> Any:
    """Return the response in canonical form, or raise InvalidResponse saying what is wrong.

    The response may come straight from a phone's JSON, so it can be anything JSON holds: lists of
    lists, mixed types, numbers of any size. Whatever it is, the only error is InvalidResponse.
    How a response must look is the question kind's to say (casebook.kinds)."""
    from casebook.kinds import KINDS  # the kinds build on this module's Grade

    kind = KINDS.get(getattr(question, "type", None))
    if kind is None:
        raise InvalidResponse(f"unsupported question type {type(question).__name__}")
    return kind.check(question, response)


def grade(question: Question, response: Any) -> Grade:
    from casebook.kinds import kind_of

    response = check_response(question, response)
    return kind_of(question).grade(question, response)


def ranking_score(correct: list[str], given: list[str]) -> float:
    """Half the credit for the most likely diagnosis in first place, half for the share of pairs in
    the right relative order.

    In a differential the first place is what a clinician acts on, so a wrong first choice must cost
    more than any slip lower down: with the right diagnosis first a ranking keeps at least half the
    credit; with a wrong one first it keeps less than half. Swapping two lower items costs only a
    pair or two of the second half.
    """
    if len(correct) < 2:
        return 1.0
    top = 1.0 if given and given[0] == correct[0] else 0.0
    return 0.5 * top + 0.5 * ranking_agreement(correct, given)


def ranking_note(question: Ranking, given: list[str], fraction: float) -> str | None:
    if fraction == 1.0:
        return None
    texts = {i.id: i.text for i in question.items}
    if given[0] != question.items[0].id:
        return (f"Your first choice, {texts[given[0]]}, is not the most likely diagnosis ({question.items[0].text}). "
                "Half the points go to the first place, because that is the diagnosis acted on, so this costs "
                "more than a slip in the order lower down.")
    return ("You put the most likely diagnosis first, which earns half the points; only the order lower down "
            "differs, which costs less.")


def ranking_agreement(correct: list[str], given: list[str]) -> float:
    """Share of item pairs the student put in the same relative order as the answer (1 = identical)."""
    pos = {item: i for i, item in enumerate(given)}
    pairs = [(a, b) for i, a in enumerate(correct) for b in correct[i + 1:]]
    if not pairs:
        return 1.0
    return sum(pos[a] < pos[b] for a, b in pairs) / len(pairs)


# --- free text: accepted answers, their spelling variants, and what must never pass for them ---------


@dataclass(frozen=True)
class FreeTextMatch:
    accepted: str | None
    """The accepted answer (as the author wrote it) that the response is taken as, or None."""
    exact: bool = False
    """True when it matched after normalising alone; False for a misspelling accepted."""


# Terms a student may type that sit one or two letters from another term meaning something else.
# A typed word that is (or is closer to) one of these and is not the accepted word is never taken
# for it: "neuroma" is a different lesion from "neurinoma", "myositis" a different disease from
# "myasthenia", however close the letters.
NEAR_NEIGHBOURS = frozenset(normalise(t) for t in """
    neuroma neurinoma neurilemmoma neurofibroma neuritis neuropathy neuralgia
    myositis myasthenia myopathy myelitis myelopathy myeloma myoma myelinolysis
    lipoma lymphoma melanoma myeloma glioma glomus glomangioma fibroma fibromatosis
    angioma angiomyoma leiomyoma rhabdomyoma hemangioma lymphangioma adenoma carcinoma sarcoma
    meningioma meningitis encephalitis encephalopathy arteritis arthritis arthrosis osteitis osteoma
    osteopathy osteoporosis osteopenia nephritis nephrosis nephropathy hepatitis hepatoma
    ileus ileum ilium peroneal perineal tibial fibular radial ulnar
    hypothyroidism hyperthyroidism hypotension hypertension hypokalemia hyperkalemia hypocalcemia
    hypercalcemia hypoglycemia hyperglycemia hyponatremia hypernatremia hypotonia hypertonia
    bradycardia tachycardia bradypnea tachypnea intradural extradural intramedullary extramedullary
    dysphagia dysphasia aphasia aphagia apraxia ataxia atrophy dystrophy hypertrophy
    mydriasis miosis ptosis psoriasis sclerosis stenosis fibrosis necrosis
    """.split())

# Word endings and beginnings that carry the meaning of a medical word: two words that differ in one
# of these are different words, however few letters apart ("hypo-" / "hyper-", "-itis" / "-osis").
SUFFIXES = ("itis", "osis", "oma", "emia", "pathy", "algia", "plasia", "trophy", "ectomy", "otomy", "ostomy",
            "plegia", "paresis", "phagia", "phasia", "cele", "rrhea", "uria")
PREFIXES = ("hyper", "hypo", "brady", "tachy", "intra", "extra", "endo", "exo", "micro", "macro", "hemi",
            "para", "dys", "an", "a", "pre", "post", "ante", "retro", "inter", "sub", "supra", "epi", "peri")


def allowed_slips(word: str) -> int:
    """How many letters a typed word may be off: none for short words (where one letter makes another
    word: "ileus"/"ileum" are five letters), one from six letters, two from ten."""
    return 0 if len(word) <= 5 else 1 if len(word) <= 9 else 2


def match_free_text(question: FreeText, response: str) -> FreeTextMatch:
    """The accepted answer a typed response counts as: exactly after normalising, else the closest
    accepted answer within a few letters, word by word, unless a word is a different medical term."""
    given = normalise(response)
    accepted = [(a, normalise(a)) for a in question.accepted]
    for a, norm in accepted:
        if norm == given:
            return FreeTextMatch(a, exact=True)
    close = [(sum(slips), i) for i, (_, norm) in enumerate(accepted) if (slips := _word_slips(given, norm)) is not None]
    if not close:
        return FreeTextMatch(None)
    return FreeTextMatch(accepted[min(close)[1]][0])  # the closest; on a tie, the author's first


def free_text_key(question: FreeText, response: Any) -> tuple[str, str | None]:
    """How a typed answer is grouped when a room's answers are counted: under the accepted answer it
    counts as (so misspellings of it join it, as they are graded), else under its normalised form."""
    found = match_free_text(question, str(response))
    return (normalise(found.accepted), found.accepted) if found.accepted else (normalise(response), None)


def _word_slips(given: str, accepted: str) -> list[int] | None:
    """Letters off per word, if every word of `given` is a tolerable misspelling of its counterpart."""
    typed, wanted = given.split(), accepted.split()
    if len(typed) != len(wanted) or not typed:
        return None
    slips = []
    for t, w in zip(typed, wanted):
        d = Levenshtein.distance(t, w)
        # The longer of the two words sets the slack: normalising drops a plural -s ("glomus" is
        # "glomu"), which must not leave a five-letter word with no room for a slip.
        if d > allowed_slips(max(t, w, key=len)) or (d and _different_term(t, w)):
            return None
        slips.append(d)
    return slips


def _different_term(typed: str, wanted: str) -> bool:
    if typed in NEAR_NEIGHBOURS and typed != wanted:
        return True
    # Closer to a different known term than to the wanted one: a slip towards another word.
    d = Levenshtein.distance(typed, wanted)
    if any(Levenshtein.distance(typed, n) <= d for n in NEAR_NEIGHBOURS if n != wanted):
        return True
    ends = lambda word: next((x for x in SUFFIXES if word.endswith(x)), None)
    starts = lambda word: next((x for x in PREFIXES if word.startswith(x)), None)
    return ends(typed) != ends(wanted) or starts(typed) != starts(wanted)


def points_earned(question: Question, fraction: float, *, hint_used: bool) -> float:
    """The points stored and shown for an answer: the answer's share rounded to half points, less
    the hint's cost (casebook/points.py has the rule)."""
    penalty = question.hint_cost if hint_used and question.hint else 0.0
    share = to_half_points(question.points * fraction, question.points)
    return to_half_points(max(0.0, share - penalty), question.points)

