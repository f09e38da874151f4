"""Draft a new case from the plain text of a published case report, for an author to finish.

The importer finds what it can (sections, the patient's age and sex, lab values with reference
ranges, imaging sentences, the likely diagnosis) and lays it out as a case file. The report's own
sentences go in only as text marked DRAFT, and what the author must write is a TODO placeholder;
`casebook.loader.validate_text` reports every mark until it is gone, so a draft is never mistaken
for a finished case. Questions are left for the author: the validator asks for them too.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from casebook.loader import DRAFT_MARK, TODO_MARK, draft_mark, placeholder_text
from casebook.model import ID_PATTERN

# --- what the importer returns ------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    heading: str
    """The heading as printed, e.g. "Case presentation"."""
    kind: str
    """What the section is: abstract, background, a stage kind (presentation … outcome), discussion,
    conclusion, or back matter."""
    text: str
    in_abstract: bool = False


@dataclass(frozen=True)
class LabValue:
    name: str
    value: float
    unit: str
    ref_low: float | None
    ref_high: float | None
    population: str | None
    sentence: str

    def as_case_lab(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "value": _number(self.value), "unit": self.unit}
        if self.ref_low is not None:
            out["ref_low"] = _number(self.ref_low)
        if self.ref_high is not None:
            out["ref_high"] = _number(self.ref_high)
        if self.population:
            out["population"] = self.population
        return out


@dataclass(frozen=True)
class ImagingMention:
    sentence: str
    section: str
    """Where the sentence was: a section heading, or "Figure 2 caption"."""
    modality: str
    region: str | None = None
    plane: str | None = None
    technique: str | None = None
    contrast: str | None = None
    finding: str | None = None
    """What the study showed, as the report words it (to be rewritten)."""
    figure: int | None = None
    """The figure the sentence points at, e.g. 2 for "(Fig. 2)"."""


@dataclass(frozen=True)
class Todo:
    field: str
    """Where in the case file, e.g. stages[2].narrative; empty for the case as a whole."""
    action: str

    def __str__(self) -> str:
        return f"{self.field}: {self.action}" if self.field else self.action


@dataclass(frozen=True)
class DraftResult:
    case: dict[str, Any]
    """A case.yaml-shaped draft: it validates once the author has replaced every mark and added questions."""
    yaml_text: str
    """The draft as a case file, with the to-do list in comments at the top."""
    sections: list[Section]
    age: int | None
    sex: str | None
    labs: list[LabValue]
    imaging: list[ImagingMention]
    diagnosis: str | None
    diagnosis_candidates: list[str]
    todo: list[Todo]
    warnings: list[str] = field(default_factory=list)
    diagnosis_evidence: str | None = None
    """The report's sentence that names the diagnosis as the authors' conclusion (or the title)."""
    patient_evidence: str | None = None
    """The report's sentence that gives the patient's age and sex."""


# --- vocabularies -------------------------------------------------------------------------------

STAGE_ORDER = ["presentation", "history", "examination", "investigations", "imaging", "diagnosis",
               "treatment", "outcome", "teaching"]
STAGE_TITLES = {
    "presentation": "The presenting problem", "history": "The history", "examination": "On examination",
    "investigations": "Investigations", "imaging": "Imaging", "diagnosis": "The diagnosis",
    "treatment": "Treatment", "outcome": "Outcome", "teaching": "What this case teaches",
}
GENERIC_CLINICAL = "case"  # a "Case presentation" section holds the whole story; split it by content

HEADING_NAMES = {
    "abstract": "abstract|summary",
    "background": "background|introduction|rationale|purpose|objectives?|introduction and importance|methods",
    GENERIC_CLINICAL: "case presentation|case report|case description|case history|case|presentation of case|"
                      "clinical presentation|case summary|patient information|case details|case and methods|"
                      "case reports?|patient concerns|case demonstration|results",
    "history": "history|history of present illness|medical history|past medical history",
    "examination": "examination|physical examination|clinical examination|clinical findings|physical findings|"
                   "neurological examination",
    "investigations": "investigations|laboratory findings|laboratory investigations|laboratory results|"
                      "diagnostic assessment|diagnostic work-?up|work-?up|laboratory tests",
    "imaging": "imaging|imaging findings|radiological findings|radiology",
    "diagnosis": "diagnosis|final diagnosis|differential diagnosis|pathology|histopathology|pathological findings|"
                 "histopathological findings",
    "treatment": "treatment|management|therapeutic interventions?|interventions?|surgery|operative findings|"
                 "treatment and management",
    "outcome": "outcome|outcomes?|follow-?up|outcome and follow-?up|clinical course|course|"
               "outcome and follow up",
    "discussion": "discussion|comment|discussion and conclusions?",
    "conclusion": "conclusions?|learning points|teaching points|take-home messages?|key points|lessons(?: learned)?|"
                  "key clinical message",
    "back": "keywords|key words|references|acknowledg(?:e)?ments?|abbreviations|funding|declarations|consent|"
            "consent for publication|ethics approval and consent to participate|ethics|competing interests|"
            "conflicts? of interest|authors'? contributions|availability of data and materials|"
            "publisher's note|author details|supplementary material",
}
HEADING_KINDS = [(re.compile(rf"(?:{names})", re.I), kind) for kind, names in HEADING_NAMES.items()]
_HEADING_WORDS = "|".join(sorted((n for names in HEADING_NAMES.values() for n in names.split("|")), key=len, reverse=True))
_NUMBERING = r"(?:#+\s*)?(?:(?:\d+(?:\.\d+)*|[IVX]+)[.)]?\s+)?"
STANDALONE_HEADING = re.compile(rf"^\s*{_NUMBERING}(?P<h>{_HEADING_WORDS})\s*:?\s*$", re.I)
INLINE_HEADING = re.compile(rf"^\s*{_NUMBERING}(?P<h>{_HEADING_WORDS})\s*:\s+(?P<rest>\S.*)$", re.I)
CAPTION_START = re.compile(r"^\s*(?:Fig(?:ure)?s?\.?|FIGURE)\s*(?P<n>\d+)\s*[.:|]", re.I)
FIGURE_REF = re.compile(r"\(\s*(?:Figs?\.?|Figures?)\s*(?P<n>\d+)[^)]*\)", re.I)
CITATION = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")

MODALITIES = [  # (label, pattern); abbreviations are matched in capitals only
    ("PET-CT", re.compile(r"\bPET[-/ ]?CT\b")),
    ("PET", re.compile(r"\bPET\b|\bpositron emission tomography\b", re.I)),
    ("MRI", re.compile(r"\bMRI\b|\bMRA\b|\bMR (?:imaging|angiography)\b|\bmagnetic resonance\b", re.I)),
    ("CT", re.compile(r"\bCT\b|\bCTA\b|\bcomputed tomograph\w*\b|\bcomputerized tomograph\w*\b", re.I)),
    ("Echocardiography", re.compile(r"\bechocardiogra\w*\b", re.I)),
    ("Ultrasound", re.compile(r"\bultrasound\b|\bultrasonograph\w*\b|\bsonograph\w*\b|\bdoppler\b|\bechograph\w*\b",
                              re.I)),
    ("Radiograph", re.compile(r"\bradiograph\w*\b|\bx-?rays?\b|\bplain films?\b|\broentgenogra\w*\b", re.I)),
    ("Scintigraphy", re.compile(r"\bscintigraph\w*\b|\bbone scan\b", re.I)),
]
PLANES = re.compile(r"\b(sagittal|coronal|axial|transverse|oblique)\b", re.I)
TECHNIQUES = re.compile(
    r"\b(fat[- ](?:suppressed|saturated|sat)|T1[- ]weighted|T2[- ]weighted|T1WI|T2WI|STIR|FLAIR|short tau inversion "
    r"recovery|diffusion[- ]weighted|DWI|(?:modified )?(?:two-point )?Dixon(?: method)?|gradient[- ]echo|"
    r"maximum intensity projection|water[- ]only|non-?contrast|Doppler|3D|three-dimensional)\b",
    re.I)
CONTRAST = re.compile(r"\b(gadolinium|Gd-DTPA|gadoxetic acid|iodinated contrast|contrast medium|contrast agent|"
                      r"intravenous contrast|contrast[- ]enhanced)\b", re.I)
FINDING_VERB = re.compile(r"\b(?:showed|shows|demonstrated|demonstrates|revealed|reveals|disclosed|identified|"
                          r"detected|found|confirmed|depicted)\s+(?:that\s+)?", re.I)
REGION = re.compile(r"\bof (?:the |his |her |their |this )?(?:patient'?s |patient’s )?(?P<r>(?:left |right |bilateral )?"
                    r"[a-z][a-z -]{2,40}?)(?=\s+(?:showed|shows|demonstrated|revealed|disclosed|was|were|found|"
                    r"identified|detected|confirmed)\b|[.,;(]|$)", re.I)

BODY_PART_BEFORE = re.compile(r"\b(?P<r>chest|abdomen|abdominal|pelvis|pelvic|head|brain|cranial|neck|spine|spinal|"
                              r"cervical|thoracic|lumbar|knee|hip|shoulder|elbow|wrist|hand|ankle|foot|leg|arm|"
                              r"renal|cardiac|thyroid|breast|liver|hepatic)\s+(?:[A-Za-z-]+\s+)?$", re.I)

# A sentence's place in the clinical story, by its words; the first rule that matches wins, and a
# sentence that matches none continues the one before it.
SENTENCE_KINDS = [
    ("teaching", re.compile(r"\b(?:clinicians should|physicians should|should be considered|we (?:suggest|propose|"
                            r"recommend)|this case (?:suggests|shows|highlights|illustrates)|in conclusion|to our "
                            r"knowledge|literature)\b", re.I)),
    ("outcome", re.compile(r"\b(?:after (?:the )?(?:surgery|surgical|excision|resection|operation|treatment|"
                           r"injections?|discharge|\w+ (?:months|weeks|years))|at discharge|was discharged|"
                           r"follow-?up|recovered|resumed|recurrence|remained (?:free|asymptomatic|well)|"
                           r"(?:months|weeks|years) later)\b", re.I)),
    ("imaging", None),  # any imaging modality
    ("diagnosis", re.compile(r"\b(?:diagnosis|diagnosed|histopatholog\w*|histolog\w*|patholog(?:y|ical examination|"
                             r"ical findings)|immunohistochem\w*|biopsy|biopsies|confirmed the)\b", re.I)),
    ("investigations", re.compile(r"\b(?:serum|plasma|laboratory|blood tests?|blood count|urinalysis|nerve "
                                  r"conduction|conduction velocit\w*|action potential|electromyogra\w*|EMG|"
                                  r"electrocardiogra\w*|ECG|EEG|cerebrospinal fluid|culture|level of|levels of)\b",
                                  re.I)),
    ("treatment", re.compile(r"\b(?:underwent|treated|treatment with|was given|were given|received|prescribed|"
                             r"administered|excision|excised|resection|resected|surgery|operation|injections?|"
                             r"started on)\b", re.I)),
    ("examination", re.compile(r"\b(?:examination|examined|on exam|palpat\w*|tender\w*|reflex\w*|inspection|"
                               r"auscultat\w*|vital signs|blood pressure|was observed|were observed|"
                               r"was noted|were noted|muscle strength|gait)\b", re.I)),
]

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
UNIT = (r"(?:(?:[pnµμumk]?(?:g|mol|Eq|U|IU|kat)|m?IU|cells)\s?/\s?(?:[dmµμ]?[Ll]|mm3|mm³|h)|mmHg|mm/h|%|"
        r"[×x]\s?10\^?\s?\d{1,2}\s?/\s?[Ll]|/\s?[µμu]?[Ll]|/mm3|/mm³|fL)")
DASH = r"(?:-|–|—|−|to)"
LAB_VALUE = re.compile(rf"(?<![\w.])(?P<value>{NUM})\s?(?P<unit>{UNIT})(?![A-Za-z0-9])")
LAB_RANGE = re.compile(
    rf"^\s*[(\[,;]?\s*(?P<pop>(?:[A-Za-z-]+\s+){{0,3}}?)(?:normal|reference|ref\.)"
    rf"(?:\s+(?:range|value|values|interval|limits?))?(?:\s+(?:for|in)\s+[A-Za-z ]+?)?\s*[:,]?\s*"
    rf"(?:(?P<low>{NUM})\s?(?:{UNIT})?\s*{DASH}\s*(?P<high>{NUM})|(?P<lt><=?|≤|less than|below|up to|under)\s*"
    rf"(?P<ltv>{NUM})|(?P<gt>>=?|≥|more than|above|over)\s*(?P<gtv>{NUM}))", re.I)
BARE_RANGE = re.compile(
    rf"^\s*\(\s*(?:(?P<low>{NUM})\s?{DASH}\s?(?P<high>{NUM})|(?P<lt><=?|≤)\s*(?P<ltv>{NUM})|"
    rf"(?P<gt>>=?|≥)\s*(?P<gtv>{NUM}))\s*(?:{UNIT})?\s*\)")
ULN = re.compile(rf"^\s*[(,;]?\s*(?:upper limit of normal|ULN)\s*[:,]?\s*(?P<v>{NUM})", re.I)
LAB_NAME_STOP = set("""his her their its the a an and or with was were is are had has have showed revealed
elevated raised increased decreased reduced low high normal mildly markedly slightly including while whereas but on
in at of by to from for than about approximately around only over under up down within after before admission
levels level value values measured measuring concentration concentrations patient patients this these that total
initial repeat further""".split())
LAB_NAME_DROP = {"serum", "plasma"}

AGE_SEX = re.compile(r"\b(?P<age>\d{1,3})[- ]?(?:year|yr)s?[- ]?old\b(?:[ ,]+[A-Za-z-]+){0,4}?[ ,]+"
                     r"(?P<sex>man|woman|male|female|boy|girl|gentleman|lady)\b", re.I)
SEX_AGED = re.compile(r"\b(?P<sex>man|woman|male|female|boy|girl)\b,?\s+aged\s+(?P<age>\d{1,3})\b", re.I)
AGE_ONLY = re.compile(r"\b(?P<age>\d{1,3})[- ]?(?:year|yr)s?[- ]?old\b", re.I)
AGE_MONTHS = re.compile(r"\b\d{1,2}[- ]?(?:month|week|day)s?[- ]?old\b", re.I)
SEX_WORDS = {"man": "male", "male": "male", "boy": "male", "gentleman": "male",
             "woman": "female", "female": "female", "girl": "female", "lady": "female"}
SERIES = re.compile(r"\b(?:we (?:describe|report|present)|series of)\s+(?P<n>two|three|four|five|six|seven|eight|nine|"
                    r"ten|\d{1,3})\s+(?:[a-z-]+\s+){0,2}?(?:patients|cases)\b", re.I)

ABBREVIATIONS = re.compile(r"\b(Figs?|e\.g|i\.e|et al|vs|Dr|approx|No|Nos|Mr|Mrs|Ms|ca|cf|resp|incl|Ref)\.\s+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[]?[A-Z0-9])")
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


# --- the draft ----------------------------------------------------------------------------------


def draft_case(text: str, case_id: str | None = None) -> DraftResult:
    """Draft a case from a report's plain text (as copied from a PDF or a web page)."""
    warnings: list[str] = []
    clean = _normalise(text)
    body, captions = _split_captions(clean)
    front, sections = _sections(body)

    full_text_clinical = [s for s in sections if not s.in_abstract and _is_clinical(s.kind)]
    abstract_clinical = [s for s in sections if s.in_abstract and _is_clinical(s.kind)]
    story = full_text_clinical or abstract_clinical
    teaching = [s for s in sections if s.kind in ("discussion", "conclusion") and s.in_abstract == (not full_text_clinical)]
    headless = bool(story) and all(not s.heading for s in story)
    if not story:
        # No headings we know: the whole text (minus back matter) is the story, split by content.
        if not sections:
            front, sections = "", [Section("", GENERIC_CLINICAL, _flow(body.split("\n")))]
        story = [Section(s.heading, GENERIC_CLINICAL, s.text, s.in_abstract)
                 for s in sections if s.kind not in ("back", "background")]
        teaching = []
        headless = True
    if headless:
        warnings.append("No section headings were recognised; the stages were guessed sentence by sentence. "
                        "Check that each sentence is in the right stage.")
    if any(s.kind == "background" for s in sections):
        warnings.append("The report's Background is left out: it is general knowledge, and could name the diagnosis "
                        "early. Use it for teaching points marked basis: general, in your own words.")

    grouped = _group_by_stage(story, teaching)
    all_sentences = [(s.heading, sent) for s in sections if s.kind != "back" for sent in _sentences(s.text)]
    story_text = " ".join(s.text for s in story)
    everything = " ".join(s.text for s in sections if s.kind != "back")
    age, sex, description = _patient(story_text, everything, warnings)
    patient_evidence = _sentence_with(_patient_words(age, sex), [sent for _, sent in all_sentences]) \
        if age is not None or sex is not None else None
    labs = _dedupe_labs([lab for _, sent in all_sentences for lab in find_labs(sent)])
    # A caption is read as one piece: its plane, sequence and contrast words are spread over its sentences.
    caption_mentions = [replace(m, figure=n) for n, cap in captions for m in find_imaging(cap, f"Figure {n} caption")]
    imaging = [m for heading, sent in all_sentences for m in find_imaging(sent, heading)] + caption_mentions
    found = find_diagnosis(_report_title(front) or "", sections, clean)
    candidates = [c.phrase for c in found]
    diagnosis = candidates[0] if candidates else None
    diagnosis_evidence = found[0].evidence if found else None

    case_id, id_todo = _case_id(case_id, diagnosis, warnings)
    stages = _stages(grouped, {n: [m for m in caption_mentions if m.figure == n] for n, _ in captions}, diagnosis,
                     diagnosis_evidence)
    if len(stages) < 2:
        warnings.append("Too little of the story was found for two stages; stages were added for you to write.")
    for kind in ("presentation", "diagnosis"):
        if len(stages) < 2 and not any(s["kind"] == kind for s in stages):
            stage = {"id": kind, "kind": kind, "title": STAGE_TITLES[kind],
                     "narrative": f"{TODO_MARK} what the student reads at this stage, in your own words"}
            stages.insert(0 if kind == "presentation" else len(stages), stage)

    source = _source(front, clean, material="full text" if full_text_clinical else "abstract")
    case: dict[str, Any] = {
        "id": case_id,
        "title": f"{TODO_MARK} a title that does not give the diagnosis away",
        "summary": f"{TODO_MARK} one or two sentences on the presenting problem only",
        "specialty": [f"{TODO_MARK} specialty, e.g. Neurology"],
        "body_region": [f"{TODO_MARK} body region, e.g. Lower limb"],
        "tags": [],
        "difficulty": "intermediate",
        "minutes": min(240, 5 + 4 * len(stages)),
        "objectives": [f"{TODO_MARK} what a student should be able to do after this case"],
        "source": source,
    }
    patient = {k: v for k, v in (("age", age), ("sex", sex), ("description", description)) if v is not None}
    if patient:
        case["patient"] = patient
    case["stages"] = stages

    todo = id_todo + _todos(case, labs, imaging, diagnosis, age, sex)
    stage_labs = [lab for kind in STAGE_ORDER for lab in _dedupe_labs(
        [x for sent in grouped.get(kind, []) for x in find_labs(sent)])]
    evidence = {"patient": patient_evidence, "labs": [lab.sentence for lab in stage_labs],
                "diagnosis": diagnosis_evidence}
    yaml_text = _yaml_text(case, todo, evidence)
    return DraftResult(case, yaml_text, sections, age, sex, labs, imaging, diagnosis, candidates, todo, warnings,
                       diagnosis_evidence, patient_evidence)


def _patient_words(age: int | None, sex: str | None) -> re.Pattern:
    if age is not None:
        return re.compile(rf"\b{age}[- ]?(?:year|yr)s?[- ]?old\b|\baged\s+{age}\b", re.I)
    return AGE_SEX if sex is None else re.compile(r"\b(?:man|woman|male|female|boy|girl|gentleman|lady)\b", re.I)


def _sentence_with(pattern: re.Pattern, sentences: list[str]) -> str | None:
    return next((s for s in sentences if pattern.search(s)), None)


def _is_clinical(kind: str) -> bool:
    return kind == GENERIC_CLINICAL or kind in STAGE_ORDER


def _group_by_stage(story: list[Section], teaching: list[Section]) -> dict[str, list[str]]:
    """Sentences per stage kind, in the report's order within each stage."""
    grouped: dict[str, list[str]] = {}
    for section in story:
        previous = "presentation"
        for sent in _sentences(section.text):
            if section.kind == GENERIC_CLINICAL:
                previous = classify_sentence(sent) or previous
                kind = previous
            else:
                kind = section.kind
            grouped.setdefault(kind, []).append(sent)
    for section in teaching:
        grouped.setdefault("teaching", []).extend(_sentences(section.text))
    return grouped


def classify_sentence(sentence: str) -> str | None:
    """The stage a sentence of a case story most likely belongs to, or None when its words do not say."""
    for kind, pattern in SENTENCE_KINDS:
        if kind == "imaging":
            if any(p.search(sentence) for _, p in MODALITIES):
                return kind
        elif pattern.search(sentence) or (kind == "investigations" and find_labs(sentence)):
            return kind
    if AGE_SEX.search(sentence) or SEX_AGED.search(sentence):
        return "presentation"
    return None


def _stages(grouped: dict[str, list[str]], caption_mentions: dict[int, list[ImagingMention]],
            diagnosis: str | None, evidence: str | None = None) -> list[dict[str, Any]]:
    stages = []
    imaging_count: Counter[str] = Counter()
    for kind in STAGE_ORDER:
        sentences = grouped.get(kind)
        if not sentences:
            continue
        stage: dict[str, Any] = {
            "id": kind, "kind": kind, "title": STAGE_TITLES[kind],
            "narrative": f"{DRAFT_MARK} rewrite in your own words. Copied from the report:\n\n"
                         + "\n\n".join(_paragraphs(sentences)),
        }
        labs = _dedupe_labs([lab for s in sentences for lab in find_labs(s)])
        if labs:
            stage["labs"] = [lab.as_case_lab() for lab in labs]
        studies = []
        for sent in sentences:
            for mention in find_imaging(sent, kind):
                mention = _with_caption(mention, caption_mentions.get(mention.figure or -1, []))
                imaging_count[mention.modality] += 1
                studies.append(_study(mention, f"{_slug(mention.modality)}-{imaging_count[mention.modality]}"))
        if studies:
            stage["imaging"] = studies
        stages.append(stage)
    if diagnosis:
        # The diagnosis goes where the report reveals it: the diagnosis stage, else the stage with the sentence
        # that concludes it, else the first stage naming it, else the last stage of the story.
        key = _diagnosis_key(diagnosis)
        said = re.sub(r"\s+", " ", evidence or "\x00")
        story = [s for s in stages if s["kind"] != "teaching"] or stages
        where = next((s for s in stages if s["kind"] == "diagnosis"), None) or next(
            (s for s in story if said in re.sub(r"\s+", " ", s["narrative"])), None) or next(
            (s for s in story if key in _diagnosis_key(s["narrative"])), None) or (story[-1] if story else None)
        if where is not None:
            where["differential"] = [{"diagnosis": diagnosis[0].upper() + diagnosis[1:],
                                      "reasoning": f"{TODO_MARK} what in this case speaks for it", "final": True}]
    return stages


def _paragraphs(sentences: list[str], size: int = 5) -> list[str]:
    return [" ".join(sentences[i:i + size]) for i in range(0, len(sentences), size)]


def _study(m: ImagingMention, study_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": study_id, "modality": m.modality,
                           "region": m.region or f"{TODO_MARK} the body part imaged"}
    for name in ("technique", "plane", "contrast"):
        if getattr(m, name):
            out[name] = getattr(m, name)
    out["findings"] = [f"{DRAFT_MARK} rewrite in your own words, one finding per entry: {m.finding or m.sentence}"]
    return out


def _with_caption(m: ImagingMention, captions: list[ImagingMention]) -> ImagingMention:
    """Fill plane, technique and contrast from the caption of the figure the sentence points at."""
    same = [c for c in captions if c.modality == m.modality]
    if not same:
        return m
    pick = lambda name: getattr(m, name) or next((getattr(c, name) for c in same if getattr(c, name)), None)  # noqa: E731
    return ImagingMention(m.sentence, m.section, m.modality, pick("region"), pick("plane"), pick("technique"),
                          pick("contrast"), m.finding, m.figure)


def _case_id(case_id: str | None, diagnosis: str | None, warnings: list[str]) -> tuple[str, list[Todo]]:
    if not case_id:
        return "new-case", [Todo("id", "choose a permanent id that does not name the diagnosis; it is also the "
                                       "folder name (cases/<id>/case.yaml)")]
    slug = _slug(case_id)
    if slug != case_id:
        warnings.append(f"The id {case_id!r} was changed to {slug!r}: lower-case letters, digits and hyphens only.")
    if diagnosis and set(_words(diagnosis)) & set(slug.split("-")) - {"of", "the", "a"}:
        warnings.append(f"The id {slug!r} shares a word with the diagnosis ({diagnosis}); students see the id in "
                        "the address bar, so choose a neutral one.")
    return slug, []


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-") or "new-case"
    return slug if re.match(ID_PATTERN, slug) else "new-case"


def _todos(case: dict, labs: list[LabValue], imaging: list[ImagingMention], diagnosis: str | None,
           age: int | None, sex: str | None) -> list[Todo]:
    marked = _marked(case)
    todo = [Todo(path, f"replace the placeholder: {placeholder_text(value)}")
            for path, value in marked if draft_mark(value) == TODO_MARK]
    todo += [Todo(path, "rewrite the report's sentences in your own words (facts may stay, sentences may not), "
                        "then remove the DRAFT mark")
             for path, value in marked if draft_mark(value) == DRAFT_MARK]
    stages = case["stages"]
    for i, stage in enumerate(stages[:-1]):
        todo.append(Todo(f"stages[{i}]", f"add a question about the {stage['kind']} stage (with feedback for every "
                                         "option and an explanation); answering it opens the next stage"))
    source = case["source"]
    found = [k for k in ("title", "year", "doi", "pmid", "licence") if k in source and not draft_mark(str(source[k]))]
    if found:
        todo.append(Todo("source", f"check {', '.join(found)} against the published report (found in the text)"))
    if "year" not in source:
        todo.append(Todo("source.year", "add the year of publication"))
    todo.append(Todo("source.material_used", f"check: {source['material_used']!r} (what you wrote the case from)"))
    if age is not None or sex is not None:
        todo.append(Todo("patient", "check age and sex against the report"))
    if labs:
        todo.append(Todo("stages[*].labs", f"check the {len(labs)} lab value(s), units and reference ranges "
                                           "against the report"))
    if imaging:
        todo.append(Todo("stages[*].imaging", "check modality, region, plane, technique and contrast of each study"))
    if diagnosis:
        todo.append(Todo("", f"the report's diagnosis looks like {diagnosis!r}: keep it out of the id, title, "
                             "summary, tags and every stage before the diagnosis"))
    todo.append(Todo("", "add timeline events, examination findings (body map) and teaching points where the "
                         "report supports them; set difficulty and minutes"))
    return todo


def _marked(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(field path, text) of every string in the draft, for the to-do list."""
    if isinstance(value, str):
        return [(path, value)] if draft_mark(value) else []
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in _marked(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [m for i, v in enumerate(value) for m in _marked(v, f"{path}[{i}]")]
    return []


# --- reading the text ---------------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u00ad", "")
    text = text.replace("ﬁ", "fi").replace("ﬂ", "fl").replace("\t", " ")
    text = text.replace("\u2010", "-").replace("\u2011", "-")  # typographic hyphens: "50‐year‐old"

    # Words hyphenated across a line break: join them, unless the text also hyphenates them mid-line.
    hyphenated = {w.lower() for w in re.findall(r"\b\w+-\w+", text)}
    out, last = [], 0
    for m in re.finditer(r"-[ ]*\n[ ]*", text):
        before = re.search(r"\w{1,40}$", text[max(0, m.start() - 40):m.start()])
        after = re.match(r"\w{1,40}", text[m.end():m.end() + 40])
        if before and after:
            word = f"{before.group(0)}-{after.group(0)}"
            out += [text[last:m.start()], "-" if word.lower() in hyphenated else ""]
            last = m.end()
    return "".join(out) + text[last:]


def _split_captions(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without figure captions (PDF text puts them mid-sentence), and the captions by number."""
    body: list[str] = []
    captions: list[tuple[int, list[str]]] = []
    in_caption = False
    for line in text.split("\n"):
        start = CAPTION_START.match(line)
        if start:
            captions.append((int(start.group("n")), [line[start.end():].strip()]))
            in_caption = True
            continue
        if in_caption:
            ends = not line.strip() or (line[:1].isspace() and line.strip()[:1].islower()) or _heading(line)
            if not ends:
                captions[-1][1].append(line.strip())
                continue
            in_caption = False
            if line.strip() and line[:1].isspace() and body and body[-1].strip():
                body[-1] = body[-1].rstrip() + " " + line.strip()  # the interrupted sentence goes on
                continue
        body.append(line)
    return "\n".join(body), [(n, " ".join(lines)) for n, lines in captions]


def _heading(line: str) -> tuple[str, str, str] | None:
    """(heading as printed, kind, text after an inline heading) for a heading line, else None."""
    m = STANDALONE_HEADING.match(line) or INLINE_HEADING.match(line)
    if not m:
        return None
    kind = next(k for pattern, k in HEADING_KINDS if pattern.fullmatch(m.group("h")))
    return m.group("h"), kind, m.groupdict().get("rest") or ""


def _sections(text: str) -> tuple[str, list[Section]]:
    """The text before the first heading (title, authors), and the sections in order.

    After an "Abstract" heading, headings belong to the abstract until one repeats a kind already
    seen there, or the keywords (or other back matter) end it.
    """
    front: list[str] = []
    sections: list[tuple[str, str, list[str], bool]] = []
    in_abstract = False
    seen_in_abstract: set[str] = set()
    for line in text.split("\n"):
        found = _heading(line)
        if found is None:
            (sections[-1][2] if sections else front).append(line)
            continue
        heading, kind, rest = found
        if kind == "abstract":
            in_abstract, seen_in_abstract = True, set()
        elif in_abstract and (kind in seen_in_abstract or kind == "back"):
            in_abstract = False
        seen_in_abstract.add(kind)
        sections.append((heading.strip(), kind, [rest] if rest else [], in_abstract))
    if len(sections) > 1 and sections[0][1] == GENERIC_CLINICAL and sections[1][1] == "abstract" \
            and len(" ".join(sections[0][2])) < 300:
        # "CASE REPORT" printed above the title is the article's type, not its case presentation.
        front += [sections[0][0], *sections[0][2]]
        sections.pop(0)
    out = [Section(h, k, _flow(lines), a) for h, k, lines, a in sections]
    front_text = _flow(front, keep_lines=True)
    # An abstract pasted without its heading (or with headings only after it) is prose among the title lines:
    # it is the story, and must not be lost with the title block.
    title_block, prose = [], []
    for paragraph in front_text.split("\n\n"):
        (prose if _is_prose(paragraph) else title_block).append(paragraph)
    if prose:
        out.insert(0, Section("", GENERIC_CLINICAL, _flow("\n\n".join(prose).split("\n")), in_abstract=True))
        front_text = "\n\n".join(title_block)
    return front_text, [s for s in out if s.text or s.kind == "abstract"]


FRONT_MATTER = re.compile(r"\b(?:copyright|©|licen[cs]e|creative commons|received|accepted|published|correspondence|"
                          r"corresponding author|e-?mail|department of|university|hospital,|doi\b|https?://)", re.I)


def _is_prose(paragraph: str) -> bool:
    """Sentences of a report, as against a title, author list, affiliation or copyright line."""
    flat = re.sub(r"\s+", " ", paragraph)
    sentences = [x for x in _sentences(flat) if len(x.split()) >= 5]
    return len(sentences) >= 2 and len(flat.split()) >= 25 and not FRONT_MATTER.search(flat)


def _flow(lines: list[str], keep_lines: bool = False) -> str:
    """Lines joined into paragraphs (blank lines separate them), spaces tidied."""
    paragraphs, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(("\n" if keep_lines else " ").join(current))
            current = []
    return "\n\n".join(re.sub(r"[ ]{2,}", " ", p) for p in paragraphs)


def _sentences(text: str) -> list[str]:
    protected = ABBREVIATIONS.sub(lambda m: m.group(0).rstrip() + "\x00", text.replace("\n", " "))
    out = []
    for s in SENTENCE_END.split(protected):
        s = re.sub(r"\s+", " ", s.replace("\x00", " ")).strip()
        if len(s) > 1:
            out.append(s)
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


# --- facts --------------------------------------------------------------------------------------


def find_labs(sentence: str) -> list[LabValue]:
    """Lab values with units, and their reference ranges where the sentence gives them."""
    out = []
    for m in LAB_VALUE.finditer(sentence):
        before = sentence[max(0, m.start() - 80):m.start()]
        name = _lab_name(before if m.start() <= 80 else before.partition(" ")[2])
        if not name:
            continue
        after = sentence[m.end():m.end() + 120]
        low = high = population = None
        r = LAB_RANGE.match(after) or BARE_RANGE.match(after)
        if r:
            if r.group("low"):
                low, high = _float(r.group("low")), _float(r.group("high"))
            elif r.group("ltv"):
                high = _float(r.group("ltv"))
            elif r.group("gtv"):
                low = _float(r.group("gtv"))
            population = _population(r.groupdict().get("pop") or "")
        elif u := ULN.match(after):
            high = _float(u.group("v"))
        unit = re.sub(r"\s+", "", m.group("unit")).replace("x10", "×10")
        out.append(LabValue(name, _float(m.group("value")), unit, low, high, population, sentence))
    return out


def _lab_name(before: str) -> str | None:
    before = re.sub(r"(?:\s*(?:\b(?:was|were|is|of|at|to|measured|measuring|levels?|concentrations?|values?)\b|[:=(]))+"
                    r"\s*$", "", before)
    tokens = before.split()
    name: list[str] = []
    while tokens and len(name) < 5:
        token = tokens.pop()
        if re.fullmatch(r"\([A-Za-z0-9-]{1,12}\)", token) and not name:
            name.insert(0, token)  # an abbreviation in brackets: "creatine kinase (CK)"
            continue
        if re.fullmatch(r"\d{1,3}(?:-\d{1,3})?", token) and not name and tokens and re.fullmatch(r"[A-Z]{1,4}", tokens[-1]):
            name.insert(0, token)  # a marker named with a number: "CA 19-9", "CA 125"
            continue
        opens = token.startswith("(")  # "(thyroid stimulating hormone: 0.04 …": the name starts in the bracket
        token = token.lstrip("(")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", token) or token.lower() in LAB_NAME_STOP:
            break
        name.insert(0, token)
        if opens:
            break
    while name and name[0].lower() in LAB_NAME_DROP and len(name) > 1:
        name.pop(0)
    if not name or all(t.startswith("(") for t in name):
        return None
    text = " ".join(name)
    return text if text[:2].isupper() else text[0].upper() + text[1:]


def _population(words: str) -> str | None:
    words = words.strip().lower()
    return {"male": "men", "men": "men", "female": "women", "women": "women"}.get(words, words or None)


def _dedupe_labs(labs: list[LabValue]) -> list[LabValue]:
    seen, out = set(), []
    for lab in labs:
        key = (lab.name.lower(), lab.value, lab.unit)
        if key not in seen:
            seen.add(key)
            out.append(lab)
    return out


def find_imaging(sentence: str, section: str) -> list[ImagingMention]:
    """One mention per imaging modality the sentence names, with plane, technique and contrast words."""
    found = []
    for label, pattern in MODALITIES:
        m = pattern.search(sentence)
        if not m or (label in ("PET", "CT") and any(f.modality == "PET-CT" for f in found)):
            continue
        planes = sorted({p.lower() for p in PLANES.findall(sentence)})
        techniques = list(dict.fromkeys(t[0].lower() + t[1:] if t[1:2].islower() else t
                                        for t in TECHNIQUES.findall(sentence)
                                        if not (label == "Ultrasound" and t.lower() == "doppler")))
        contrast = CONTRAST.search(sentence)
        region = REGION.search(sentence, m.end()) or REGION.search(sentence) or BODY_PART_BEFORE.search(sentence[:m.start()])
        verb = FINDING_VERB.search(sentence, m.end())
        finding = CITATION.sub("", FIGURE_REF.sub("", sentence[verb.end():])).strip(" .;,") if verb else None
        figure = FIGURE_REF.search(sentence)
        found.append(ImagingMention(
            sentence=sentence, section=section, modality=label,
            region=_tidy_region(region.group("r")) if region else None,
            plane=", ".join(planes) or None, technique=", ".join(techniques) or None,
            contrast=contrast.group(1).lower() if contrast else None,
            finding=finding or None, figure=int(figure.group("n")) if figure else None,
        ))
    return found


def _tidy_region(region: str) -> str | None:
    region = re.sub(r"\s+", " ", region).strip(" -")
    if not region or region.split()[0].lower() in ("a", "an", "multiple", "several", "two", "the"):
        return None
    return region


def _patient(story: str, everything: str, warnings: list[str]) -> tuple[int | None, str | None, str | None]:
    series = SERIES.search(everything)
    if series:
        n = series.group("n").lower()
        count = NUMBER_WORDS.get(n) or int(n)
        if count > 1:
            warnings.append(f"The report describes {count} patients; age and sex are left out.")
            return None, None, f"{n} patients"
    for text in (story, everything):
        m = AGE_SEX.search(text) or SEX_AGED.search(text)
        if m:
            return int(m.group("age")), SEX_WORDS[m.group("sex").lower()], None
    m = AGE_ONLY.search(story) or AGE_ONLY.search(everything)
    age = int(m.group("age")) if m else None
    if age is None:
        warnings.append("No age in years was found" + (" (the report gives an age in months, weeks or days: "
                                                      "write it in the narrative)" if AGE_MONTHS.search(everything)
                                                      else "") + "; patient.age is left out.")
    warnings.append("The patient's sex was not stated with the age (e.g. 'a 62-year-old woman'); patient.sex is "
                    "left out: add it only if the report says it.")
    return age, None, None


# --- the diagnosis ------------------------------------------------------------------------------
# A report names many conditions: the one the authors conclude, the working diagnoses they dropped,
# the patient's past illnesses and the mimics of the title. Each mention is weighed by how it is said.

CONCLUDED = 5   # "biopsy led to the diagnosis of X", "final diagnosis was X", "X was diagnosed"
STATED = 3      # "diagnosed with X", "diagnosis of X", "pathology confirmed X", "a case of X"
IN_TITLE = 2    # the title names X
SEEN = 2        # "biopsy revealed X": often a finding (granulomas, spindle cells) rather than the diagnosis
HINTED = 1      # "consistent with X", "due to X"
# A finding or a hint said again and again is still a finding: those weights count once per condition.
_COUNT_ONCE = {SEEN, HINTED}
DROPPED = -3    # "X was suspected", "initial diagnosis of X", "history of X", "mimicking X"

_PATHOLOGY = re.compile(r"\b(?:biops\w*|histolog\w*|histopatholog\w*|patholog\w*|cytolog\w*|immunohistochem\w*|"
                        r"specimens?|excision|resection|postoperative|surgical)\b", re.I)
_PAST = re.compile(r"\b(?:\d+|one|two|three|four|five|six|several|many)\s+(?:years?|months?|decades?)\s+(?:ago|earlier|"
                   r"before|previously)\b|\bremembered\b|\bin the past\b|\bchildhood\b", re.I)
_HEDGE_BEFORE = re.compile(r"\b(?:initial|initially|provisional|working|presumptive|presumed|differential|clinical|"
                           r"preliminary|tentative|suspected|possible|probable|first|previous|prior|earlier|original|"
                           r"misdiagnos\w*|wrong|incorrect)\s+(?:\w+\s+){0,1}$", re.I)

_AFTER = [  # (weight, pattern that ends where the named condition starts)
    (CONCLUDED, r"\b(?:led|leading|lead)\s+to\s+(?:the|a)\s+(?:final\s+|definitive\s+|definite\s+|correct\s+)?diagnosis\s+"
                r"of\s+"),
    (CONCLUDED, r"\b(?:final|definitive|definite|conclusive|ultimate|established|confirmed|histological|"
                r"histopathological|pathological)\s+diagnosis\s+(?:of|was|is)\s+(?:made\s+as\s+)?"),
    (CONCLUDED, r"\bconfirm(?:ed|ing|s)?\s+the\s+diagnosis\s+of\s+"),
    (CONCLUDED, r"\b(?:establish\w*|made|make|rendered|reached|provid\w*|giv\w*|yield\w*)\s+(?:the|a)\s+diagnosis\s+of\s+"),
    (CONCLUDED, r"\bchanged\s+the\s+diagnosis\s+from\s+(?:a\s+|an\s+)?[^.;]{1,60}?\s+to\s+"),
    (CONCLUDED, r"\b(?:was|were)\s+(?:finally|eventually|ultimately|definitively|definitely|subsequently|later|then)\s+"
                r"diagnosed\s+(?:with|as(?:\s+having)?)\s+"),
    (STATED, r"\bdiagnosed\s+(?:with|as(?:\s+having)?)\s+"),
    (STATED, r"\bdiagnosis\s+(?:of|was)\s+"),
    (STATED, r"\b(?:was|were)\s+(?:found|confirmed|shown|proven|proved)\s+to\s+be\s+"),
    (STATED, r"\bconfirming\s+(?=[^.;]{3,60}?\s+as\s+the\s+(?:true\s+|actual\s+|final\s+)?(?:cause|diagnosis)\b)"),
    (STATED, r"\b(?:we\s+(?:report|present|describe)|this\s+is|here\s+is)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?case\s+of\s+"),
    (STATED, r"\b(?:made|makes|making)\s+(?=[^.;]{3,60}?\s+(?:more|most)\s+likely\b)"),
    (HINTED, r"\b(?:consistent|compatible)\s+with\s+(?:the\s+diagnosis\s+of\s+)?"),
    (HINTED, r"\b(?:indicating|indicative\s+of)\s+"),
    (HINTED, r"\b(?:caused\s+by|due\s+to|secondary\s+to|attributed\s+to)\s+"),
]
_AFTER = [(w, re.compile(p, re.I)) for w, p in _AFTER]
# Found by pathology: "biopsy revealed X" — only in a sentence about tissue.
_PATHOLOGY_VERB = re.compile(r"\b(?:revealed|showed|confirmed|demonstrated|disclosed)\s+", re.I)
_SUBJECT_DIAGNOSED = re.compile(r"\s+(?:was|were)\s+(?:finally\s+|eventually\s+|then\s+)?diagnosed\b(?!\s+(?:with|as)\b)",
                                re.I)

_DROPPED_AFTER = [re.compile(p, re.I) for p in (
    r"\b(?:initial|provisional|working|presumptive|differential|clinical|preliminary|tentative|first|previous|prior|"
    r"original)\s+diagnos[ie]s\s+(?:of|was|were)\s+",
    r"\b(?:initially|first|previously|originally|wrongly|mistakenly)\s+(?:been\s+)?diagnosed\s+(?:with|as(?:\s+having)?)\s+",
    r"\bmisdiagnos\w*\s+(?:as|with)\s+(?:having\s+)?",
    r"\b(?:mimick?(?:ing|ed|s)?|masquerad\w*\s+as|simulat\w*|resembl\w*)\s+",
    r"\bsuspect(?:ing|ed)?\s+(?:of\s+)?",
    r"\b(?:could|may|might)\s+(?:be|have\s+been|represent)\s+",
    r"\b(?:history|background)\s+of\s+",
    r"\b(?:known|underlying|long-?standing)\s+",
    r"\b(?:suggestive|suspicious|concerning)\s+(?:of|for)\s+",
    r"\bchanged\s+the\s+diagnosis\s+from\s+",
    r"\b(?:ruled\s+out|excluded|exclude|negative\s+for)\s+",
)]
_DROPPED_BEFORE = re.compile(r"\s+(?:was|were)\s+(?:initially\s+|first\s+|clinically\s+|also\s+)?(?:suspected|considered|"
                             r"presumed|thought|proposed|favou?red|entertained)\b", re.I)

_PHRASE_END = re.compile(r"[,.;:()\[\]!?\"]|\s(?:only|in|on|at|with|without|which|that|who|was|were|is|are|after|before|"
                         r"because|and|or|but|by|for|from|located|confirmed|based|as|when|may|might|could|showing|"
                         r"presenting|mimicking|masquerading|misdiagnosed|causing|following|resulting|resulted|led|"
                         r"prevent\w*|more|most|rather|than|despite|since|whose|requiring|involving)\b", re.I)
_PHRASE_LEAD = re.compile(r"^(?:(?:a|an|the|multiple|several|two|three|an? case of|case of|possible|probable|likely|"
                          r"typical|rare|benign|sporadic|very|extremely|unusual|atypical|true|final)\s+)+", re.I)
_FEATURES_OF = re.compile(r"^(?:the\s+)?(?:[\w-]+\s+){0,8}?(?:characteristics|features|morphology|appearance|picture|"
                          r"findings|pattern)\s+of\s+(?:an?\s+|the\s+)?", re.I)
_NOT_A_DIAGNOSIS = {"pain", "patient", "patients", "case", "cases", "symptom", "symptoms", "treatment", "surgery", "this",
                    "it", "age", "him", "her", "exclusion", "need", "tumor", "tumour", "tumors", "mass", "lesion", "lesions",
                    "nodule", "disease", "syndrome", "cancer", "malignancy", "cause", "true cause", "diagnosis"}
_NOT_A_DIAGNOSIS_LAST = {"results", "result", "findings", "finding", "symptoms", "levels", "level", "values", "signs",
                         "features", "presence", "absence", "examination", "test", "tests", "scan", "imaging", "count"}

# Words that make a phrase a disease name, for titles (which have no verbs to go by).
_DISEASE_WORD = re.compile(r"(?:itis|omas?|osis|oses|pathy|pathies|plasia|trophy|emia|aemia|oidism|onism)$|^(?:toxicity|syndrome|disease|"
                           r"carcinoma|sarcoma|tumou?rs?|neoplasms?|abscess(?:es)?|paralysis|palsy|infection|cysts?|"
                           r"malformation|leuka?emia|deficiency|failure|fracture|lupus|vulgaris|dystrophy|aneurysm|"
                           r"embolism|thrombosis|cancer|ulcers?|hernia|stenosis|annulare|toxicosis)$", re.I)
_TITLE_DROPPED = re.compile(r"\b(?:mimick?(?:ing|ed|s)?|masquerad\w*\s+as|misdiagnosed\s+as|presenting\s+(?:as|with)|"
                            r"simulating|in\s+an?\s+(?:[\w-]+\s+){0,3}?(?:patient|man|woman|male|female|child|boy|girl)"
                            r"(?:\s+with)?|with\s+(?:a\s+)?history\s+of)\b", re.I)
_TITLE_CAUSE = re.compile(r"\b(?:from|due\s+to|caused\s+by|secondary\s+to|induced\s+by)\b", re.I)
_TITLE_SPLIT = re.compile(r"\b(?:of|in|with|and|or|the|a|an|for|by|to|on|at|after|as|its|is|requiring|originating|arising|"
                          r"presenting|mimicking|revealing|causing|diagnosed|following|associated)\b|[,:;!?()]", re.I)


@dataclass(frozen=True)
class DiagnosisCandidate:
    phrase: str
    score: int
    evidence: str
    """The sentence that weighed most for it."""


def find_diagnosis(title: str, sections: list[Section], full_text: str = "") -> list[DiagnosisCandidate]:
    """The conditions the report names, the authors' concluded diagnosis first; dropped and past ones left out."""
    short = abbreviations(full_text or " ".join([title] + [s.text for s in sections]))
    scores: Counter[str] = Counter()
    once: dict[str, int] = {}
    forms: dict[str, Counter[str]] = {}
    best: dict[str, tuple[int, str]] = {}

    def weigh(phrase: str, weight: int, sentence: str, where: str = "body") -> None:
        phrase = _tidy_phrase(phrase, short)
        if not phrase:
            return
        key = _diagnosis_key(phrase)
        if weight in _COUNT_ONCE:
            scores[key] += max(0, weight - once.get(key, 0))
            once[key] = max(weight, once.get(key, 0))
        else:
            scores[key] += weight
        if weight > 0:
            forms.setdefault(key, Counter())[phrase if where == "body" else _title_case_down(phrase)] += \
                2 if where == "body" else 1
            if weight > best.get(key, (0, ""))[0]:
                best[key] = (weight, sentence)

    texts = [(s.kind, s.heading, s.text) for s in sections if s.kind not in ("back", "background")]
    for kind, heading, text in texts:
        flat = CITATION.sub("", text.replace("\n", " "))
        if kind == "diagnosis" and heading and _is_noun_phrase(flat):
            weigh(flat.strip().rstrip("."), CONCLUDED + 1, flat)  # a structured abstract's "Diagnosis: X."
            continue
        for sentence in _sentences(flat):
            _weigh_sentence(sentence, weigh)

    for phrase, weight in _title_conditions(title):
        weigh(phrase, weight, title, where="title")
        if weight > 0:  # a condition the body names in other words, as the title does, counts the title too
            key = _diagnosis_key(_tidy_phrase(phrase, short) or phrase)
            for other in list(scores):
                if other != key and scores[other] > 0 and _contains_words(other, key):
                    scores[other] += IN_TITLE

    ranked = [k for k, v in sorted(scores.items(), key=lambda kv: -kv[1]) if v > 0 and k in forms]
    lowered = (full_text or "").lower()

    def shown(key: str) -> str:  # the report's own wording where it has one (an expanded abbreviation may not be)
        named = [f for f, _ in forms[key].most_common() if f.lower() in lowered]
        return named[0] if named else forms[key].most_common(1)[0][0]
    return [DiagnosisCandidate(shown(k), scores[k], best[k][1]) for k in ranked]


def _weigh_sentence(sentence: str, weigh) -> None:
    past = bool(_PAST.search(sentence))
    claimed: list[tuple[int, int]] = []  # spans already read as dropped, so a positive trigger does not re-read them
    for pattern in _DROPPED_AFTER:
        for m in pattern.finditer(sentence):
            if pattern.pattern.startswith(r"\bchanged"):
                phrase = re.split(r"\s+to\s+", sentence[m.end():], maxsplit=1)[0]
            else:
                phrase = _phrase_after(sentence, m.end())
            weigh(phrase, DROPPED, sentence)
            claimed.append((m.start(), m.end()))
    for m in _DROPPED_BEFORE.finditer(sentence):
        weigh(_phrase_before(sentence, m.start()), DROPPED, sentence)
    for weight, pattern in _AFTER:
        for m in pattern.finditer(sentence):
            if any(a < m.start() < b for a, b in claimed) or _HEDGE_BEFORE.search(sentence[max(0, m.start() - 40):m.start()]):
                continue
            if weight == HINTED and _PATHOLOGY.search(sentence):
                weight = SEEN  # "the pathology was consistent with X"
            weigh(_phrase_after(sentence, m.end()), 0 if past else weight, sentence)
    if _PATHOLOGY.search(sentence) and not past:
        for m in _PATHOLOGY_VERB.finditer(sentence):
            if not _HEDGE_BEFORE.search(sentence[max(0, m.start() - 40):m.start()]):
                weigh(_phrase_after(sentence, m.end()), STATED + 1 if m.group(0).lower().startswith("confirm") else SEEN,
                      sentence)
    for m in _SUBJECT_DIAGNOSED.finditer(sentence):
        weigh(_phrase_before(sentence, m.start()), 0 if past else CONCLUDED, sentence)


def _phrase_after(text: str, start: int) -> str:
    rest = text[start:start + 160]
    rest = _FEATURES_OF.sub("", rest, count=1) if _FEATURES_OF.match(rest) else rest
    end = _PHRASE_END.search(rest)
    return rest[:end.start()] if end else rest


def _phrase_before(text: str, end: int) -> str:
    before = re.sub(r"\s*\([^()]{1,15}\)\s*$", "", text[:end])  # "Stevens-Johnson Syndrome (SJS) was considered"
    before = re.split(r"[,;:()\[\]]|\b(?:and|but|which|that|because|initially|then|however|surprisingly|finally|"
                      r"although|while|when|if|so|thus|therefore)\b", before, flags=re.I)[-1]
    words = before.split()[-6:]
    return " ".join(words)


def _tidy_phrase(phrase: str, short: dict[str, str]) -> str | None:
    phrase = re.sub(r"\s+", " ", phrase).strip(" -'\"")
    phrase = _PHRASE_LEAD.sub("", phrase).strip()
    if phrase.lower().startswith(("presence of", "absence of", "evidence of")) or phrase.split()[:1] and \
            phrase.split()[0].lower() in ("that", "if", "whether", "how", "this", "these", "his", "her", "their", "its"):
        return None
    phrase = re.sub(r"\s+\w+ing$", "", phrase)  # "tumours arising [from …]"
    words = [short.get(w, short.get(w.rstrip("s"), w)) if w.isupper() or w[:-1].isupper() else w
             for w in phrase.split()]
    phrase = " ".join(words)
    words = phrase.split()
    if not words or len(words) > 8 or not phrase[0].isalpha() or phrase.lower() in _NOT_A_DIAGNOSIS \
            or words[-1].lower() in _NOT_A_DIAGNOSIS_LAST or re.search(r"\d+-year", phrase):
        return None
    return phrase


def _is_noun_phrase(text: str) -> bool:
    text = text.strip().rstrip(".")
    return 0 < len(text.split()) <= 10 and not re.search(r"[.;]|\b(?:was|were|is|are|had|has|showed|revealed)\b", text)


def _title_case_down(phrase: str) -> str:
    words = phrase.split()
    if all(w[:1].isupper() for w in words if w.isalpha() and len(w) > 3):
        return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return phrase


def _title_conditions(title: str) -> list[tuple[str, int]]:
    """(condition, weight) named by a title: "X mimicking Y" names X and drops Y; "… from a Z" names Z."""
    title = re.sub(r"[:.]\s*(?:an?\s+)?(?:rare\s+|unusual\s+)?case\s+reports?.*$|[:.]\s*report\s+of\s+.*$", "",
                   title, flags=re.I)
    out = []
    parts = _TITLE_DROPPED.split(title)
    for i, part in enumerate(parts):
        weight = IN_TITLE if i == 0 else DROPPED
        cause = _TITLE_CAUSE.split(part)
        for j, piece in enumerate(cause):
            for chunk in _TITLE_SPLIT.split(piece):
                words = chunk.split()
                if words and any(_DISEASE_WORD.search(w.strip("'’")) for w in words) and len(words) <= 6:
                    out.append((chunk.strip(), IN_TITLE if j > 0 else weight))
    return out


def _contains_words(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} " or f" {longer} " in f" {shorter} "


def abbreviations(text: str) -> dict[str, str]:
    """Abbreviations the report defines, "pulmonary tuberculosis (PTB)" → {"PTB": "pulmonary tuberculosis"}."""
    out: dict[str, str] = {}
    for m in re.finditer(r"((?:[\w-]+\s+){1,6})\((?P<abbr>[A-Z][A-Za-z]{1,7}?)s?\)", text):
        abbr = m.group("abbr")
        letters = abbr.lower()
        words = m.group(1).split()
        for k in range(1, min(len(words), len(letters) + 1) + 1):
            long = words[-k:]
            joined = " ".join(long).lower()
            if not joined.startswith(letters[0]):
                continue
            it = iter(joined.replace(" ", "").replace("-", ""))
            if all(ch in it for ch in letters):
                form = " ".join(long)
                if form.lower().endswith("s") and not form.lower().endswith(("sis", "ss", "us")) and abbr + "s" in text:
                    form = form[:-1]
                out.setdefault(abbr, form if not form[:1].isupper() or form.isupper() else form[0].lower() + form[1:])
                break
    return out


def _diagnosis_key(phrase: str) -> str:
    """One key for the spellings of a diagnosis: case, tumour/tumor and plurals aside."""
    words = [w.replace("tumour", "tumor").rstrip("s") if len(w) > 3 else w for w in _words(phrase)]
    return " ".join(words)


def _source(front: str, text: str, material: str) -> dict[str, Any]:
    source: dict[str, Any] = {"authors": [f"{TODO_MARK} authors as printed, e.g. Akechi Y"]}
    title = _report_title(front)
    source["title"] = title or f"{TODO_MARK} title of the published report"
    source["journal"] = f"{TODO_MARK} journal name"
    year = re.search(r"(?:©|\(c\)|Copyright)\s*(?:The Author\(s\)\s*)?((?:19|20)\d\d)\b", text, re.I) \
        or re.search(r"\bPublished(?: online)?:?\s*(?:\d{1,2}\s+\w+\s+)?((?:19|20)\d\d)\b", text, re.I)
    if year:
        source["year"] = int(year.group(1))
    doi = re.search(r"\b(10\.\d{4,9}/[^\s\"<>]+)", text)
    pmid = re.search(r"\bPMID:?\s*(\d{1,9})\b", text)
    if doi:
        source["doi"] = doi.group(1).rstrip(".,;)")
    if pmid:
        source["pmid"] = pmid.group(1)
    if not doi and not pmid:
        source["url"] = f"{TODO_MARK} the report's doi, pmid or address (give at least one)"
    source["licence"] = _licence(text) or f"{TODO_MARK} licence of the report, e.g. CC BY 4.0"
    source["material_used"] = material
    source["adapted"] = f"{TODO_MARK} what this case changed: rewording, staging, questions and teaching points added"
    return source


def _report_title(front: str) -> str | None:
    m = re.search(r"^\s*Title:\s*(.+)$", front, re.I | re.M)
    if m:
        return m.group(1).strip()
    for paragraph in front.split("\n\n"):
        lines = [ln.strip() for ln in paragraph.split("\n") if ln.strip()]
        lines = [ln for ln in lines if not re.fullmatch(r"(?:case reports?|open access|research|article|review)", ln, re.I)
                 and not re.search(r"\bdoi\b|https?://|©|received|accepted|journal", ln, re.I)]
        title = re.sub(r"\s+", " ", " ".join(lines))
        if 15 <= len(title) <= 300 and not re.search(r"[.!?]\s+[A-Z]", title):  # a title, not a paragraph
            return title
    return None


def _licence(text: str) -> str | None:
    m = re.search(r"\bCC[ -]BY(?:[ -](?:NC|ND|SA))*(?:[ -]\d\.\d)?\b", text)
    if m:
        return m.group(0).replace("-", " ", 1) if m.group(0).startswith("CC-") else m.group(0)
    m = re.search(r"Creative Commons Attribution(?P<kinds>(?:[- ](?:Non-?Commercial|NoDerivs|NoDerivatives|ShareAlike))*)"
                  r"(?: License)?\s*(?P<v>\d\.\d)?", text, re.I)
    if not m:
        return None
    parts = ["CC BY"] + [{"noncommercial": "NC", "non-commercial": "NC", "noderivs": "ND", "noderivatives": "ND",
                          "sharealike": "SA"}[k.lower()] for k in re.findall(r"Non-?Commercial|NoDerivs|NoDerivatives|"
                                                                              r"ShareAlike", m.group("kinds"), re.I)]
    return "-".join(parts).replace("CC-BY", "CC BY") + (f" {m.group('v')}" if m.group("v") else "")


def _float(text: str) -> float:
    return float(text.replace(",", ""))


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


# --- writing the file ---------------------------------------------------------------------------


class _CaseDumper(yaml.SafeDumper):
    """Block style for multi-line text; lists indented under their key, as the library's files are."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_CaseDumper.add_representer(str, _represent_str)


def case_yaml(case: dict[str, Any]) -> str:
    return yaml.dump(case, Dumper=_CaseDumper, sort_keys=False, allow_unicode=True, width=110)


def _yaml_text(case: dict[str, Any], todo: list[Todo], evidence: dict[str, Any] | None = None) -> str:
    header = [
        "# DRAFT of a Casebook case, made from the text of a case report. It is not finished:",
        f"# every \"{TODO_MARK}\" placeholder and every \"{DRAFT_MARK}\" text must be replaced, and questions added.",
        "# Check what is left with: python -m casebook validate cases/<id>/  (or the app's \"Write a case\" page)",
        "#",
        "# To do:",
        *[f"#  - {t}" for t in todo],
        "",
    ]
    return "\n".join(header) + _with_evidence(case_yaml(case), evidence or {})


def _with_evidence(text: str, evidence: dict[str, Any]) -> str:
    """The report's sentence above each fact taken from it (patient, lab values, the diagnosis), as a comment,
    so the author checks the fact against its source without searching the report."""
    lab_sentences = list(evidence.get("labs") or [])
    out: list[str] = []
    in_labs: int | None = None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if in_labs is not None and stripped and indent <= in_labs and not stripped.startswith("- "):
            in_labs = None
        if stripped == "labs:":
            in_labs = indent
        elif in_labs is not None and stripped.startswith("- name:") and lab_sentences:
            out.append(_evidence_comment(lab_sentences.pop(0), indent))
        elif stripped == "differential:" and evidence.get("diagnosis"):
            out.append(_evidence_comment(evidence["diagnosis"], indent))
        out.append(line)
        if line == "patient:" and evidence.get("patient"):
            out.append(_evidence_comment(evidence["patient"], 2))
    return "\n".join(out)


def _evidence_comment(sentence: str, indent: int) -> str:
    return " " * indent + "# evidence: " + re.sub(r"\s+", " ", sentence).strip()


def blank_case_yaml(case_id: str = "new-case") -> str:
    """A case file to start from: every field a case needs, with TODO placeholders and a sample question."""
    return BLANK_TEMPLATE.replace("{id}", _slug(case_id))


BLANK_TEMPLATE = f"""\
# A new Casebook case. Replace every "{TODO_MARK}" placeholder; docs/authoring.md explains every field.
id: {{id}}  # permanent; also the folder name: cases/{{id}}/case.yaml
title: "{TODO_MARK} a title that does not give the diagnosis away"
summary: "{TODO_MARK} one or two sentences on the presenting problem only"
specialty: ["{TODO_MARK} e.g. Neurology"]
body_region: ["{TODO_MARK} e.g. Lower limb"]
tags: []
difficulty: intermediate  # introductory, intermediate or advanced
minutes: 15
objectives:
  - "{TODO_MARK} what a student should be able to do after this case"
source:
  authors: ["{TODO_MARK} authors as printed, e.g. Akechi Y"]
  title: "{TODO_MARK} title of the published report"
  journal: "{TODO_MARK} journal name"
  # year: 2021  # year of publication, when known
  url: "{TODO_MARK} the report's address; or give doi: / pmid: instead"
  licence: "{TODO_MARK} e.g. CC BY 4.0"
  material_used: full text  # or: abstract
  adapted: "{TODO_MARK} what this case changed: rewording, staging, questions and teaching points added"
# patient: {{age: 47, sex: male}}  # only what the report gives
stages:
  - id: presentation
    kind: presentation
    title: The presenting problem
    narrative: |
      {TODO_MARK} what the student reads first, in your own words.
    questions:
      # A question gates the next stage. Types: single_choice, multiple_choice, free_text, ranking, numeric.
      - id: first-question
        type: single_choice
        prompt: "{TODO_MARK} the question"
        explanation: "{TODO_MARK} why the answer is what it is"
        options:
          - id: right
            text: "{TODO_MARK} the right answer"
            correct: true
            feedback: "{TODO_MARK} why it is right"
          - id: wrong
            text: "{TODO_MARK} a plausible wrong answer"
            feedback: "{TODO_MARK} why it is wrong"
  - id: diagnosis
    kind: diagnosis
    title: The diagnosis
    narrative: |
      {TODO_MARK} what the work-up showed and what the diagnosis was, in your own words.
    teaching_points:
      - text: "{TODO_MARK} a point to remember"
        basis: source  # source (from the report) or general (general medical knowledge)
"""
