"""Nothing a student sees gives away what a later stage reveals, and no question is a look-up.

(a) Learning objectives are shown from the first stage, so they must not name or hint at the
    diagnosis, the nature of the lesion, the treatment or the outcome.
(b) A free-text answer must not be readable in anything the student has seen when the question
    is asked: the stage content up to and including the question's own stage, and the prompts,
    options, hints, feedback and explanations of the questions before it.
(c) Every case asks the student to rank a real differential diagnosis.
"""
from __future__ import annotations

import re

import pytest

from casebook.grading import normalise
from casebook.loader import load_library
from casebook.model import Case, FreeText, Ranking, StageKind
from tests.conftest import CASES

LIBRARY = load_library(CASES)
ALL = sorted(LIBRARY.cases.values(), key=lambda c: c.id)

# Word stems that would give away a later stage if a learning objective used them.
SPOILERS_EVERY_CASE = ["benign", "malignan", "recover", "cure", "cured", "resolv", "relief", "relieve"]
SPOILERS = {
    "painful-wasted-leg": ["glomus", "tumour", "tumor", "nodule", "neoplas", "lesion", "biops", "excis",
                           "resect", "surgery", "surgical", "operat", "histolog", "immunostain", "actin",
                           "desmin"],
    "exertional-ankle-pain": ["accessory", "soleus", "supernumerary", "variant", "extra muscle", "botulinum",
                              "toxin", "inject", "conservative", "surgery", "operat", "pain-free", "resum",
                              "return to", "back to sport"],
    "constipation-only": ["schwannoma", "neurilemmoma", "neurinoma", "nerve sheath", "nerve root", "tumour",
                          "tumor", "mass", "retroperiton", "lumbar", "root", "spine", "spinal", "excision",
                          "resection", "surgery", "surgical", "operat", "histolog", "strength", "neurosurg"],
    "foot-drop-on-a-march": ["ganglion", "cyst", "intraneural", "articular", "tibiofibular", "joint", "decompress",
                             "surgery", "surgical", "operat", "resect", "ligat", "epineur"],
    "weak-arms-and-legs-at-sixty-three": ["necrotis", "necrotiz", "immune", "autoimmun", "hmgcr", "antibod",
                                          "myositis", "prednisolone", "methotrexate", "rituximab", "steroid",
                                          "remission", "relapse"],
    "teenager-hip-pain-at-night": ["osteoid", "osteoma", "nidus", "tumour", "tumor", "neoplas", "lesion", "ablat",
                                   "radiofrequency", "intra-articular", "benign"],
    "rugby-player-calf-pain": ["popliteal", "entrapment", "artery", "arterial", "vascular", "doppler", "duplex",
                               "release", "symptom-free", "resum", "return to"],
    "painful-suprapubic-plaque": ["pyoderma", "gangren", "neutrophil", "myelodysplas", "marrow", "leukaem",
                                  "pathergy", "debrid", "steroid", "cyclospor", "immunosupp", "heal"],
    "jaundice-and-itching": ["autoimmun", "igg4", "lymphoplasm", "pancreatitis", "inflammat", "benign", "steroid",
                             "prednis", "whipple", "pancreaticoduoden", "resect", "surgery", "operat", "histolog",
                             "mimic", "unnecessary"],
    "lumps-on-back-and-forehead": ["kidney", "renal", "metasta", "carcinoma", "calvari", "skull", "bone scan",
                                   "spread", "prognos", "primary", "deposit"],
    "early-morning-attacks": ["insulin", "hypoglyc", "glucose", "sugar", "pancrea", "islet", "whipple", "tumour",
                              "tumor", "surgery", "operat", "resect", "seizure-free"],
    "chest-pain-clean-arteries": ["pheochromocytoma", "phaeochromocytoma", "catecholamin", "adrenal", "tumour",
                                  "tumor", "normal coronar", "alpha", "surgery", "operat", "excis", "asymptomatic"],
    "blurred-eye-in-a-smoker": ["metasta", "cancer", "carcinoma", "lung", "bronch", "tumour", "tumor", "choroid",
                                "biops", "vats", "thorac", "spread", "primary"],
    "fever-flank-pain-red-urine": ["iga", "nephropathy", "glomerulonephritis", "biops", "mesang", "immunoglobulin",
                                   "lisinopril", "methylpred", "steroid", "ace inhibitor"],
    "tired-pale-and-yellow": ["vitamin", "b12", "cobalamin", "deficien", "haemoly", "hemoly", "methylmalon",
                              "homocyst", "iron", "ferritin", "pernicious", "diet", "nutrition", "megaloblast"],
    "pneumonia-again-in-pregnancy": ["tumour", "tumor", "carcinoma", "mucoepidermoid", "bronchus", "bronchoscop",
                                     "obstruct", "resect", "bronchoplasty", "caesarean", "cesarean", "malignan"],
    "sudden-change-at-eighteen": ["nmda", "encephalitis", "teratoma", "ovar", "antibod", "autoimmun", "cyclophosph",
                                  "laparoscop", "dermoid", "tumour", "tumor", "immun", "fertil", "pelvi"],
    "pain-dysuria-and-loose-stools": ["ectopic", "tubal", "tube", "pregnan", "gestation", "fetus", "foetus", "hcg",
                                      "adnexa", "salping", "laparotom", "chorionic", "villi", "decidua"],
    "three-fingers-on-waking": ["stroke", "infarct", "ischaem", "ischem", "cortex", "cortical", "precentral",
                                "hand knob", "brain", "diffusion", "thromboly", "pseudo", "embol"],
    "fever-and-two-painful-legs": ["pyomyositis", "abscess", "pus", "staph", "aureus", "bacteri", "drain", "aspirat",
                                   "culture", "gluteal", "vastus", "walking"],
    "a-year-of-thigh-pain": ["slip", "epiphys", "femoral", "capital", "growth plate", "physis", "pin", "screw",
                             "fixation", "fix", "surgery", "surgical", "operat", "fusion", "fused", "avascular",
                             "necrosis", "stable"],
    "a-stiff-painful-hip": ["myositis", "ossific", "heterotopic", "bone forming", "bone formation", "mature bone",
                            "excis", "radiother", "radiation", "surgery", "surgical", "operat"],
    "first-one-foot-then-the-other": ["hereditary", "inherit", "genetic", "gene", "pmp22", "deletion", "chromosome",
                                      "17p", "tomacul", "sausage", "myelin", "biops", "hnpp", "liability",
                                      "polyneuropathy"],
    "two-fingers-that-hang": ["lipoma", "fat", "fatty", "adipose", "intramuscular", "interosseous", "excis",
                              "decompress", "operat", "surg", "histopath", "sarcoma", "tumour", "tumor"],
    "weak-limbs-and-a-dry-mouth": ["lambert", "eaton", "lems", "paraneoplas", "cancer", "carcinoma", "tumour",
                                   "tumor", "lung", "small-cell", "sclc", "calcium", "vgcc", "chemo", "etoposide",
                                   "cisplatin", "malignan", "regress"],
    "right-side-pain-at-twenty": ["perforat", "colon", "colonic", "retroperiton", "abscess", "scrot", "faecal",
                                  "fecal", "pus", "collection", "drain", "caecum", "cecum", "conservative",
                                  "hernia", "spontaneous"],
    "leak-from-the-wound-on-day-six": ["heterotopic", "ossific", "myositis", "bone", "lamellar", "ectopic",
                                       "enterotomy", "excis", "repair", "sharp", "scar"],
    "two-years-of-a-weak-wrist": ["lipoma", "giant", "fat", "fatty", "adipose", "mass", "tumour", "tumor",
                                  "sarcoma", "transfer", "irreparab", "disrupt", "overstretch", "neurotmesis",
                                  "excis", "operat", "surg", "tendon"],
    "a-numb-thumb-that-would-not-settle": ["lipoma", "giant", "fat", "fatty", "adipose", "mass", "tumour", "tumor",
                                           "intermuscular", "envelop", "excis", "operat", "surg", "explor",
                                           "sarcoma", "pronator"],
}
# The ranking question of each case that orders a differential diagnosis (items are diagnoses).
DIFFERENTIAL_RANKING = {
    "painful-wasted-leg": "differential-ranking",
    "exertional-ankle-pain": "differential-ranking",
    "constipation-only": "differential-ranking",
    "foot-drop-on-a-march": "differential-ranking",
    "weak-arms-and-legs-at-sixty-three": "differential-ranking",
    "teenager-hip-pain-at-night": "differential-ranking",
    "rugby-player-calf-pain": "differential-ranking",
    "painful-suprapubic-plaque": "differential-ranking",
    "jaundice-and-itching": "differential-ranking",
    "lumps-on-back-and-forehead": "differential-ranking",
    "early-morning-attacks": "differential-ranking",
    "chest-pain-clean-arteries": "differential-ranking",
    "blurred-eye-in-a-smoker": "differential-ranking",
    "fever-flank-pain-red-urine": "differential-ranking",
    "tired-pale-and-yellow": "differential-ranking",
    "pneumonia-again-in-pregnancy": "differential-ranking",
    "sudden-change-at-eighteen": "differential-ranking",
    "pain-dysuria-and-loose-stools": "differential-ranking",
    "three-fingers-on-waking": "differential-ranking",
    "fever-and-two-painful-legs": "differential-ranking",
    "a-year-of-thigh-pain": "differential-ranking",
    "a-stiff-painful-hip": "differential-ranking",
    "first-one-foot-then-the-other": "differential-ranking",
    "two-fingers-that-hang": "differential-ranking",
    "weak-limbs-and-a-dry-mouth": "differential-ranking",
    "right-side-pain-at-twenty": "differential-ranking",
    "leak-from-the-wound-on-day-six": "differential-ranking",
    "two-years-of-a-weak-wrist": "differential-ranking",
    "a-numb-thumb-that-would-not-settle": "differential-ranking",
}
GENERIC_DIAGNOSIS_WORDS = {"multiple", "symptomatic", "muscle", "right", "roots", "tumour", "tumours",
                           "tumor", "tumors"}
REVEALING_KINDS = {StageKind.diagnosis, StageKind.treatment, StageKind.outcome}
# Ordinary words of teaching prose that may appear first in a late stage without telling anything.
PLAIN_WORDS = {"about", "after", "again", "before", "being", "could", "every", "first", "their", "there",
               "these", "those", "three", "through", "under", "until", "where", "which", "while", "would",
               "whether", "other", "might", "should", "shows", "cannot", "patient", "patients", "treatment",
               "diagnosis", "against", "within", "without", "second", "still", "often", "usually", "general",
               "knowledge", "report", "authors", "describe", "described", "choose", "apply", "explain",
               "things", "important", "function"}


def strings(value, skip=("id", "type", "kind", "file", "correct", "keep_last", "final", "abnormal")) -> list[str]:
    """Every piece of text (and number) in a dumped model, leaving out ids and flags never shown as text."""
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in skip for s in strings(v, skip)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v, skip)]
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [f"{value:g}"]
    return [value] if isinstance(value, str) else []


def card_text(case: Case) -> list[str]:
    """What the library card and the case header show from the start."""
    return [case.title, case.summary, *case.specialty, *case.body_region, *case.tags, *case.objectives,
            case.patient.description or ""]


def stage_content(stage) -> list[str]:
    """What a revealed stage shows, without its questions, the lecturer's notes and the expert's trace (shown to a
    student only once the case is finished)."""
    return strings(stage.model_copy(update={"questions": [], "speaker_notes": None, "expert": None}).model_dump(mode="json"))


def question_text(question) -> list[str]:
    return strings(question.model_dump(mode="json"))


def seen_when_asked(case: Case, question) -> list[str]:
    """Everything on screen by the time `question` is asked (its own hint included, as if taken)."""
    seen = card_text(case)
    for stage in case.stages:
        seen += stage_content(stage)
        for q in stage.questions:
            if q.id == question.id:
                return seen + [q.prompt, q.hint or "", q.placeholder or ""]
            seen += question_text(q)
    raise AssertionError(f"{question.id} not found in {case.id}")


def contains(haystack: str, needle: str) -> bool:
    return f" {needle} " in f" {haystack} "


def test_every_seed_case_is_covered():
    assert set(SPOILERS) == set(DIFFERENTIAL_RANKING) == {c.id for c in ALL}


# --- (a) objectives ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_objectives_use_no_spoiler_words(case):
    objectives = " ".join(case.objectives).lower()
    found = [w for w in SPOILERS[case.id] + SPOILERS_EVERY_CASE if re.search(r"\b" + re.escape(w), objectives)]
    assert found == [], f"{case.id}: learning objectives give away later stages with {found}"


def telling_words(case: Case) -> set[str]:
    final = " ".join(d.diagnosis for s in case.stages for d in s.differential if d.final).lower()
    return set(re.findall(r"[a-z]{5,}", final)) - GENERIC_DIAGNOSIS_WORDS


def first_revealing_stage(case: Case) -> int:
    """The diagnosis stage, or an earlier stage whose content already names the final diagnosis."""
    telling = telling_words(case)
    names_it = [i for i, s in enumerate(case.stages)
                if telling & set(re.findall(r"[a-z]{5,}", " ".join(stage_content(s)).lower()))]
    by_kind = [i for i, s in enumerate(case.stages) if s.kind in REVEALING_KINDS]
    return min(names_it + by_kind)


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_objectives_use_no_word_first_met_at_the_diagnosis_or_later(case):
    """A word the story only introduces once the diagnosis is revealed must not be in an objective."""
    first_reveal = first_revealing_stage(case)
    before = case.stages[:first_reveal]
    earlier = " ".join([case.title, case.summary, *case.tags, *(d.name for d in case.board)]
                       + [t for s in before for t in stage_content(s)]
                       + [x for s in before for q in s.questions for x in question_text(q)]).lower()
    late = " ".join(t for s in case.stages[first_reveal:] if s.kind != StageKind.teaching
                    for t in stage_content(s)).lower()
    earlier_words = set(re.findall(r"[a-z]{5,}", earlier))
    revealed = {w for w in re.findall(r"[a-z]{5,}", late) if w not in earlier_words and w not in PLAIN_WORDS}
    in_objectives = set(re.findall(r"[a-z]{5,}", " ".join(case.objectives).lower()))
    assert sorted(revealed & in_objectives) == [], f"{case.id}: objectives use words the story reveals later: {sorted(revealed & in_objectives)}"


# --- (b) free-text questions are not look-ups ------------------------------------------------------


FREE_TEXT = [(c, q) for c in ALL for q in c.questions if isinstance(q, FreeText)]


def test_every_case_has_a_free_text_question():
    assert {c.id for c, _ in FREE_TEXT} == {c.id for c in ALL}


@pytest.mark.parametrize("case,question", FREE_TEXT, ids=lambda x: x.id)
def test_free_text_answer_is_not_on_screen_when_asked(case, question):
    seen = normalise(" ".join(seen_when_asked(case, question)))
    leaks = [a for a in question.accepted if len(normalise(a)) >= 4 and contains(seen, normalise(a))]
    assert leaks == [], f"{case.id}/{question.id}: the answer can be copied from the screen: {leaks}"


def test_the_lookup_check_catches_an_answer_in_the_narrative():
    case = LIBRARY.cases["painful-wasted-leg"]
    question = next(q for q in case.questions if isinstance(q, FreeText))
    stage = next(s for s in case.stages if question in s.questions)
    leaky_stage = stage.model_copy(update={"narrative": stage.narrative + "\n\nIt is " + question.accepted[0] + "."})
    leaky = case.model_copy(update={"stages": [leaky_stage if s is stage else s for s in case.stages]})
    seen = normalise(" ".join(seen_when_asked(leaky, question)))
    assert contains(seen, normalise(question.accepted[0]))


# --- (c) a real differential ranking --------------------------------------------------------------


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_each_case_ranks_a_differential_diagnosis(case):
    question = case.question(DIFFERENTIAL_RANKING[case.id])
    assert isinstance(question, Ranking)
    assert len(question.items) >= 3
    assert re.search(r"\blikely\b", question.prompt.lower()), "the prompt asks for an order of likelihood"
    final = [d.diagnosis.lower() for s in case.stages for d in s.differential if d.final]
    top = question.items[0].text.lower()
    shared = set(re.findall(r"[a-z]{5,}", top)) & set(re.findall(r"[a-z]{5,}", " ".join(final)))
    assert shared, f"{case.id}: the first item of the ranking should be the final diagnosis"
    ask_at = next(i for i, s in enumerate(case.stages) if question in s.questions)
    assert ask_at < first_revealing_stage(case), "the differential is ranked before the diagnosis is revealed"


# --- numeric questions are not look-ups either --------------------------------------------------

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten", 40: "forty"}
NUMERIC = [(c, q) for c in ALL for q in c.questions if q.type == "numeric"]


@pytest.mark.parametrize("case,question", NUMERIC, ids=lambda x: x.id)
def test_numeric_answer_is_not_written_in_its_own_stage(case, question):
    stage = next(s for s in case.stages if question in s.questions)
    shown = " ".join(stage_content(stage) + [question.prompt, question.hint or ""]).lower()
    answer = f"{question.answer:g}"
    tokens = set(re.findall(r"[a-z]+|\d+(?:\.\d+)?", shown))
    spelled = NUMBER_WORDS.get(int(question.answer)) if question.answer == int(question.answer) else None
    assert answer not in tokens and (spelled is None or spelled not in tokens), (
        f"{case.id}/{question.id}: the answer {answer} is written in the same stage")
