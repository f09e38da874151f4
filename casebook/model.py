"""The case file model: what a `cases/<id>/case.yaml` may say, checked strictly.

Every model forbids unknown keys and is frozen once loaded. The JSON Schema in
`schema/case.schema.json` is generated from these classes (`python -m casebook schema`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any, Iterator, Literal, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from casebook.body_sites import LIMB_SITES, REGION_SITES, BodySite

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
Id = Annotated[str, Field(pattern=ID_PATTERN, description="Stable lower-case id: letters, digits and hyphens.")]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Difficulty(str, Enum):
    introductory = "introductory"
    intermediate = "intermediate"
    advanced = "advanced"


class StageKind(str, Enum):
    presentation = "presentation"
    history = "history"
    examination = "examination"
    investigations = "investigations"
    imaging = "imaging"
    diagnosis = "diagnosis"
    treatment = "treatment"
    outcome = "outcome"
    teaching = "teaching"


class Side(str, Enum):
    left = "left"
    right = "right"
    midline = "midline"
    bilateral = "bilateral"
    unstated = "unstated"
    """One side, but the source does not say which: drawn hollow on both sides."""


# --- provenance -------------------------------------------------------------------------------


class Source(Strict):
    authors: list[Text] = Field(min_length=1)
    """Authors as printed, e.g. "Akechi Y"."""
    title: Text
    """Title of the published report."""
    journal: Text
    """Journal name."""
    year: int | None = Field(default=None, ge=1800, le=2100)
    """Year of publication; leave it out only when it could not be identified."""
    citation: str | None = None
    """Volume, issue and pages or article number, e.g. "15:8"."""
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    """Digital Object Identifier without the https://doi.org/ prefix."""
    pmid: str | None = Field(default=None, pattern=r"^\d{1,9}$")
    """PubMed identifier."""
    url: str | None = None
    """Where the report can be read."""
    licence: Text
    """Licence of the source text, e.g. "CC BY 4.0", or what is known about it."""
    material_used: Literal["full text", "abstract"]
    """Whether the case was written from the full report or only its abstract."""
    adapted: Text
    """What this case changed: rewording, staging, questions and teaching points added."""

    @model_validator(mode="after")
    def _needs_identifier(self) -> "Source":
        _enforce(_source_rules(self.model_dump()))
        return self


class Patient(Strict):
    age: int | None = Field(default=None, ge=0, le=120)
    """Age in years at presentation, only where the source gives it."""
    sex: Literal["female", "male"] | None = None
    """Sex, only where the source gives it."""
    description: str | None = None
    """Who the case is about when there is no single patient, e.g. "five patients"."""


# --- timeline, findings, results ----------------------------------------------------------------


class TimelineEvent(Strict):
    id: Id
    """Stable id of the event within the case."""
    label: Text
    """Short text shown on the timeline."""
    when: str | None = None
    """How the source dates it, in words: "junior high school", "at 41"."""
    age: float | None = Field(default=None, ge=0, le=120)
    """Exact age in years when the source gives one."""
    age_range: tuple[float, float] | None = None
    """Approximate ages as [from, to] years, e.g. [12, 15] for junior high school."""
    category: Literal["symptom", "sign", "investigation", "treatment", "outcome", "other"] = "symptom"
    """What kind of event this is; the timeline colours by it."""

    @model_validator(mode="after")
    def _one_kind_of_date(self) -> "TimelineEvent":
        _enforce(_event_rules(self.model_dump()))
        return self

    @property
    def is_dated(self) -> bool:
        return self.age is not None or self.age_range is not None


class BodyLocation(Strict):
    site: BodySite
    """Named place on the body map (see docs/authoring.md for the list)."""
    side: Side
    """Which side of the body."""
    detail: str | None = None
    """Exact place in words, e.g. "7 cm above the lateral malleolus"."""
    extent: Literal["spot", "region"] | None = None
    """`spot`: a numbered mark at the site; `region`: the site's whole area shaded, for a diffuse finding.
    Left out: `region` for whole_lower_limb, whole_upper_limb and whole_body, `spot` for every other site."""
    wasted: bool = False
    """Draw this limb thinner than the other (wasting, atrophy); only for whole_lower_limb and whole_upper_limb on
    a named side."""

    @model_validator(mode="after")
    def _drawable(self) -> "BodyLocation":
        _enforce(_location_rules(self.model_dump()))
        return self

    @property
    def is_region(self) -> bool:
        return self.extent == "region" or (self.extent is None and self.site in REGION_SITES)


class Finding(Strict):
    id: Id
    """Stable id of the finding within the case."""
    text: Text
    """The finding in words."""
    location: BodyLocation | None = None
    """Where it is, to draw it on the body map."""
    also_at: list[BodyLocation] = []
    """Further places the same finding is seen (e.g. lumps on the back and the forehead); each is drawn with the
    finding's number. Needs a `location`."""
    abnormal: bool = True
    """False for pertinent normal findings."""
    since: str | None = None
    """When it first appeared, in words."""

    @model_validator(mode="after")
    def _places(self) -> "Finding":
        _enforce(_finding_rules(self.model_dump()))
        return self

    @property
    def places(self) -> list[BodyLocation]:
        """Every place the finding is drawn: its location, then any `also_at`."""
        return ([self.location] if self.location else []) + list(self.also_at)


class LabResult(Strict):
    name: Text
    """Test name, e.g. "Creatine kinase"."""
    value: float
    """Measured value."""
    unit: Text
    """Unit, e.g. "U/L"."""
    ref_low: float | None = None
    """Lower end of the reference range."""
    ref_high: float | None = None
    """Upper end of the reference range."""
    population: str | None = None
    """Whom the reference range is for, e.g. "adult men"."""
    note: str | None = None
    """Anything the reader needs to interpret the value."""

    @model_validator(mode="after")
    def _range_in_order(self) -> "LabResult":
        _enforce(_lab_rules(self.model_dump()))
        return self

    @property
    def status(self) -> Literal["low", "normal", "high", "unknown"]:
        if self.ref_low is None and self.ref_high is None:
            return "unknown"
        if self.ref_low is not None and self.value < self.ref_low:
            return "low"
        if self.ref_high is not None and self.value > self.ref_high:
            return "high"
        return "normal"


class OtherTest(Strict):
    name: Text
    """Test name, e.g. "Needle electromyography"."""
    result: Text
    """What it showed, in words."""
    abnormal: bool = False
    """Whether the result is abnormal."""


class Image(Strict):
    file: Text
    """Path inside the case folder, e.g. images/mri.png."""
    alt: Text
    """Alternative text describing the image for a reader who cannot see it."""
    credit: Text
    """Who made the image."""
    licence: Text
    """Licence under which it is reused."""


class ImagingStudy(Strict):
    id: Id
    """Stable id of the study within the case."""
    modality: Text
    """MRI, CT, ultrasound, radiograph..."""
    region: Text
    """Body part imaged."""
    technique: str | None = None
    """Sequence or technique, e.g. "fat-suppressed T1-weighted, Dixon water-only"."""
    plane: str | None = None
    """Imaging plane, e.g. sagittal."""
    contrast: str | None = None
    """Contrast agent, if any."""
    findings: list[Text] = Field(min_length=1)
    """What the study showed, one finding per entry."""
    image: Image | None = None
    """An image with licence and credit, where a reusable one exists."""


class TeachingPoint(Strict):
    text: Text
    """The point to remember."""
    basis: Literal["source", "general"]
    """"source" when it comes from the cited report, "general" for general medical knowledge."""


class DifferentialEntry(Strict):
    diagnosis: Text
    """A diagnosis that was considered."""
    reasoning: Text
    """What speaks for or against it in this case."""
    final: bool = False
    """True for the diagnosis the case arrived at."""


# --- the differential board and the expert's trace ----------------------------------------------


class BoardDiagnosis(Strict):
    id: Id
    """Stable id of the diagnosis within the case (the expert trace refers to it)."""
    name: Text
    """The diagnosis as the student picks it from the board's list."""
    synonyms: list[Text] = []
    """Other names a student may type for it (matched like a free-text answer)."""
    final: bool = False
    """True for the diagnosis the case arrives at; never sent to a student before the case is finished."""


class ExpertHolding(Strict):
    diagnosis: Id
    """Id of a diagnosis in the case's `board`."""
    why: Text
    """Why the expert holds it where it is (or strikes it) at this stage."""
    basis: Literal["source", "general"]
    """"source" when the report says so, "general" for general medical reasoning."""


class ExpertMove(Strict):
    ref: Text
    """What in this stage should move the differential: the id of a finding, timeline event or imaging study
    of this stage, or the name of one of its labs or tests."""
    promotes: list[Id] = []
    """Board diagnoses it makes more likely."""
    demotes: list[Id] = []
    """Board diagnoses it makes less likely."""
    why: Text
    """The reasoning, in one or two sentences."""
    basis: Literal["source", "general"]
    """"source" when the report draws the link, "general" for general medical reasoning."""


class ExpertBoard(Strict):
    live: list[ExpertHolding] = Field(min_length=1)
    """The diagnoses the expert still holds once this stage is read, most likely first."""
    struck: list[ExpertHolding] = []
    """Diagnoses the expert strikes out at this stage."""
    moved_by: list[ExpertMove] = []
    """The things in this stage that should move a student's differential."""


# --- questions ---------------------------------------------------------------------------------


class QuestionBase(Strict):
    id: Id
    """Stable id of the question within the case."""
    prompt: Text
    """The question as the student reads it."""
    explanation: Text
    """Why the answer is what it is, shown after answering."""
    hint: str | None = None
    """Optional nudge; taking it costs hint_cost points."""
    hint_cost: float = Field(default=1, ge=0)
    """Points taken off for using the hint."""
    points: float = Field(default=2, gt=0)
    """Points for a fully correct answer."""

    @classmethod
    def _own_rules(cls, data: dict) -> list["Inconsistency"]:
        """Rules spanning this type's own fields, on plain data (see `_question_rules`)."""
        return []

    @model_validator(mode="after")
    def _rules_across_fields(self) -> "QuestionBase":
        # One validator for every question type: hint cost, unique option/item ids, correct options.
        _enforce(_question_rules(self.model_dump()))
        return self


class Option(Strict):
    id: Id
    """Stable id of the option within the question."""
    text: Text
    """The option as shown."""
    correct: bool = False
    """Whether choosing this option is right."""
    feedback: Text
    """Why this option is right or wrong."""
    keep_last: bool = False
    """Keep this option at the end when options are shuffled (e.g. "None of these")."""


class SingleChoice(QuestionBase):
    type: Literal["single_choice"]
    """One option is right."""
    options: list[Option] = Field(min_length=2)
    """The options, exactly one with correct: true."""

    @classmethod
    def _own_rules(cls, data: dict) -> list["Inconsistency"]:
        return _choice_rules(data, exactly_one=True)


class MultipleChoice(QuestionBase):
    type: Literal["multiple_choice"]
    """Any number of options are right; partial credit."""
    options: list[Option] = Field(min_length=2)
    """The options, at least one with correct: true."""

    @classmethod
    def _own_rules(cls, data: dict) -> list["Inconsistency"]:
        return _choice_rules(data, exactly_one=False)


class FreeText(QuestionBase):
    type: Literal["free_text"]
    """Typed answer matched against accepted answers and synonyms."""
    accepted: list[Text] = Field(min_length=1)
    """Accepted answers and synonyms; matching ignores case, accents, punctuation and plural -s."""
    placeholder: str | None = None
    """Example shown in the empty box (must not give the answer away)."""


class RankItem(Strict):
    id: Id
    """Stable id of the item within the question."""
    text: Text
    """The item as shown."""
    feedback: Text
    """Why it belongs where it does."""


class Ranking(QuestionBase):
    type: Literal["ranking"]
    """Put items in order, e.g. a differential from most to least likely; partial credit."""
    items: list[RankItem] = Field(min_length=2)
    """The items in the correct order (they are shuffled for the student)."""

    @classmethod
    def _own_rules(cls, data: dict) -> list["Inconsistency"]:
        return _ranking_rules(data)


class Numeric(QuestionBase):
    type: Literal["numeric"]
    """A number, right within a tolerance."""
    answer: float
    """The right value."""
    tolerance: float = Field(default=0, ge=0)
    """How far from the answer still counts as right."""
    unit: str | None = None
    """Unit shown beside the input."""


class InvestigationOption(Strict):
    id: Id
    """Stable id of the test within the question."""
    name: Text
    """The test as the student orders it, e.g. "Creatine kinase"."""
    cost: Literal["low", "moderate", "high"]
    """Relative cost of the test."""
    time: Text
    """How long until a result, e.g. "1 hour", "same day", "2 weeks"."""
    invasiveness: Literal["non-invasive", "minimally invasive", "invasive"]
    """What the test asks of the patient."""
    result: str | None = None
    """The result as the source reports it; leave out when the test was not done in this case (the student then
    reads "not done in this case", never an invented result)."""
    value: Literal["decisive", "useful", "adds nothing"]
    """What the test contributes to the work-up at this point of the case."""
    feedback: Text
    """Why the test decides, helps or adds nothing here."""


class Investigation(QuestionBase):
    type: Literal["investigation"]
    """Choose-your-investigation: order tests from a menu; only ordered results are shown."""
    options: list[InvestigationOption] = Field(min_length=3)
    """The menu of tests."""
    max_orders: int | None = Field(default=None, ge=1)
    """How many tests the student may order (none: any number)."""

    @classmethod
    def _own_rules(cls, data: dict) -> list["Inconsistency"]:
        return _investigation_rules(data)


Question = Annotated[
    Union[SingleChoice, MultipleChoice, FreeText, Ranking, Numeric, Investigation], Field(discriminator="type")
]


# --- stages and the case -----------------------------------------------------------------------


class Stage(Strict):
    id: Id
    """Stable id of the stage within the case."""
    kind: StageKind
    """Which part of the clinical story this stage tells."""
    title: Text
    """Heading of the stage (must not give away later stages)."""
    narrative: Text
    """What the student reads at this stage, in the project's own words (Markdown, no HTML)."""
    timeline: list[TimelineEvent] = []
    """Events this stage adds to the symptom timeline."""
    findings: list[Finding] = []
    """Examination or history findings, optionally placed on the body map."""
    labs: list[LabResult] = []
    """Laboratory results with reference ranges."""
    tests: list[OtherTest] = []
    """Other tests such as nerve conduction or electromyography."""
    imaging: list[ImagingStudy] = []
    """Imaging studies described in structured form."""
    differential: list[DifferentialEntry] = []
    """Differential diagnosis discussed at this stage."""
    teaching_points: list[TeachingPoint] = []
    """Teaching points, each marked as from the source or general knowledge."""
    questions: list[Question] = []
    """Questions answered at this stage; all must be answered (or given up) before the next stage."""
    speaker_notes: str | None = None
    """Notes for a lecturer presenting the case; never shown to students."""
    expert: ExpertBoard | None = None
    """The expert's differential once this stage is read (needs the case's `board`); a stage without one keeps the
    previous stage's. Shown to a student only when the case is finished."""


class Case(Strict):
    id: Id
    """Permanent id; equals the folder name."""
    title: Text
    """Title shown in the library; must not give the diagnosis away."""
    summary: Text
    """One or two sentences for the library card (presenting problem only)."""
    specialty: list[Text] = Field(min_length=1)
    """Specialties, e.g. Neurology."""
    body_region: list[Text] = Field(min_length=1)
    """Body regions, e.g. Lower limb."""
    tags: list[Text] = []
    """Free tags for search and filters."""
    difficulty: Difficulty
    """introductory, intermediate or advanced."""
    minutes: int = Field(ge=1, le=240)
    """Estimated minutes to work through the case."""
    objectives: list[Text] = Field(min_length=1)
    """Learning objectives."""
    source: Source
    """The published report the case is built from."""
    patient: Patient = Patient()
    """Who the patient is, as far as the source says."""
    stages: list[Stage] = Field(min_length=2)
    """The stages in the order they are revealed."""
    board: list[BoardDiagnosis] = []
    """The diagnoses the differential board offers from the first stage (at least three, one final); a case with a
    board gives the first stage an expert trace."""

    @field_validator("tags", "specialty", "body_region")
    @classmethod
    def _no_blank(cls, v: list[str]) -> list[str]:
        return [s.strip() for s in v]

    @model_validator(mode="after")
    def _ids_unique_and_timeline_consistent(self) -> "Case":
        _enforce(_case_rules(self.model_dump()))
        return self

    # --- convenience views --------------------------------------------------------------------

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.stages for q in s.questions]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    @property
    def max_points(self) -> float:
        return sum(q.points for q in self.questions)

    def searchable_text(self) -> str:
        """Text the library search looks in: only what a card shows, never later stages."""
        parts = [self.title, self.summary, *self.specialty, *self.body_region, *self.tags]
        return re.sub(r"\s+", " ", " ".join(parts)).lower()


# --- rules that span several fields ----------------------------------------------------------------
#
# These rules work on plain data (parsed YAML, or a model dump) rather than on model objects, so the
# loader can check them even when some fields failed validation and point each finding at the exact
# item in the file. The models enforce the same functions, so a `Case` built in code obeys them too.

Loc = tuple[Union[str, int], ...]
RULE_ERROR = "case_rule"
"""The pydantic error type the models raise for a broken cross-field rule."""


@dataclass(frozen=True)
class Inconsistency:
    """A rule spanning several fields, broken at `loc` (keys and list indexes from the case root)."""

    loc: Loc
    message: str
    see: Loc | None = None
    """Where the item this one clashes with is, e.g. the first use of a duplicate id."""
    see_as: str = "first at"

    def within(self, prefix: Loc) -> "Inconsistency":
        see = prefix + self.see if self.see is not None else None
        return Inconsistency(prefix + self.loc, self.message, see, self.see_as)

    def __str__(self) -> str:
        text = f"{loc_text(self.loc)}: {self.message}" if self.loc else self.message
        return text + (f" ({self.see_as} {loc_text(self.see)})" if self.see is not None else "")


def loc_text(loc: Loc) -> str:
    """A location as authors read it: `stages[3].questions[1].id`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def case_inconsistencies(data: Any) -> list[Inconsistency]:
    """Every broken cross-field rule in a case, in no particular order (the loader sorts by line).

    Values that are missing or of the wrong type are skipped: field validation reports those.
    """
    if not isinstance(data, dict):
        return []
    found = _case_rules(data)
    found += [f.within(("source",)) for f in _source_rules(data.get("source"))]
    for si, stage in _mappings(data.get("stages")):
        at = ("stages", si)
        for i, event in _mappings(stage.get("timeline")):
            found += [f.within(at + ("timeline", i)) for f in _event_rules(event)]
        for i, f in _mappings(stage.get("findings")):
            found += [p.within(at + ("findings", i)) for p in _finding_rules(f)]
            if isinstance(f.get("location"), dict):
                found += [p.within(at + ("findings", i, "location")) for p in _location_rules(f["location"])]
            for j, place in _mappings(f.get("also_at")):
                found += [p.within(at + ("findings", i, "also_at", j)) for p in _location_rules(place)]
        for i, lab in _mappings(stage.get("labs")):
            found += [f.within(at + ("labs", i)) for f in _lab_rules(lab)]
        for i, question in _mappings(stage.get("questions")):
            found += [f.within(at + ("questions", i)) for f in _question_rules(question)]
    return found


def _enforce(found: list[Inconsistency]) -> None:
    if found:
        raise PydanticCustomError(RULE_ERROR, "{problems}", {"problems": "; ".join(map(str, found))})


class _Skip:
    """A value the rules cannot judge (absent without default, or of the wrong type)."""


SKIP = _Skip()


@lru_cache(maxsize=None)
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    return TypeAdapter(model.model_fields[name].annotation)


def _value(model: type[BaseModel], data: dict, name: str) -> Any:
    """A field's value as the model would read it (its default when absent), or SKIP."""
    if name not in data:
        f = model.model_fields[name]
        return SKIP if f.is_required() else f.default
    try:
        return _adapter(model, name).validate_python(data[name])
    except ValidationError:
        return SKIP


def _mappings(items: Any) -> Iterator[tuple[int, dict]]:
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _duplicates(entries: list[tuple[Loc, Any]], what: str) -> list[Inconsistency]:
    first: dict[str, Loc] = {}
    found = []
    for loc, value in entries:
        if not isinstance(value, str):
            continue
        if value in first:
            found.append(Inconsistency(loc, f"duplicate {what} id {value!r}", first[value]))
        else:
            first[value] = loc
    return found


def _source_rules(data: Any) -> list[Inconsistency]:
    if not isinstance(data, dict):
        return []
    ids = [_value(Source, data, name) for name in ("doi", "pmid", "url")]
    if any(v is SKIP for v in ids) or any(ids):
        return []
    return [Inconsistency((), "a source needs at least one of doi, pmid or url")]


def _event_rules(data: Any) -> list[Inconsistency]:
    if not isinstance(data, dict):
        return []
    age, age_range = _value(TimelineEvent, data, "age"), _value(TimelineEvent, data, "age_range")
    found = []
    if age is not None and age_range is not None and SKIP not in (age, age_range):
        found.append(Inconsistency(("age_range",), "give either age or age_range, not both"))
    if age_range is not None and age_range is not SKIP and not (0 <= age_range[0] < age_range[1] <= 120):
        found.append(Inconsistency(("age_range",), "age_range must be [from, to] with 0 <= from < to <= 120; "
                                                   f"found [{age_range[0]:g}, {age_range[1]:g}]"))
    return found


def _location_rules(data: Any) -> list[Inconsistency]:
    if not isinstance(data, dict):
        return []
    site, side, wasted = (_value(BodyLocation, data, name) for name in ("site", "side", "wasted"))
    found = []
    if wasted is True and site is not SKIP and site not in LIMB_SITES:
        found.append(Inconsistency(("wasted",), "wasted: true draws a limb thinner, so it needs site whole_lower_limb "
                                                f"or whole_upper_limb; found site {site.value}"))
    elif wasted is True and side in (Side.midline, Side.unstated):
        found.append(Inconsistency(("wasted",), f"wasted: true needs the side that is wasted (left, right or "
                                                f"bilateral); found side {side.value}"))
    if site is BodySite.whole_body and side not in (SKIP, Side.midline):
        found.append(Inconsistency(("side",), f"whole_body has no sides: use side: midline; found {side.value}"))
    return found


def _finding_rules(data: Any) -> list[Inconsistency]:
    if not isinstance(data, dict):
        return []
    if data.get("also_at") and data.get("location") is None:
        return [Inconsistency(("also_at",), "also_at adds places to a finding's location; give location first")]
    return []


def _lab_rules(data: Any) -> list[Inconsistency]:
    if not isinstance(data, dict):
        return []
    low, high = _value(LabResult, data, "ref_low"), _value(LabResult, data, "ref_high")
    if low is None or high is None or SKIP in (low, high) or low <= high:
        return []
    return [Inconsistency(("ref_low",), f"ref_low ({low:g}) is above ref_high ({high:g})")]


_QUESTION_TYPES: dict[str, type[QuestionBase]] = {
    get_args(model.model_fields["type"].annotation)[0]: model for model in get_args(get_args(Question)[0])
}
"""Question models by the `type:` an author writes, read off the `Question` union."""


def _question_rules(data: Any) -> list[Inconsistency]:
    if not isinstance(data, dict) or data.get("type") not in _QUESTION_TYPES:
        return []
    model = _QUESTION_TYPES[data["type"]]
    found = []
    hint, cost, points = (_value(model, data, name) for name in ("hint", "hint_cost", "points"))
    if hint is not None and SKIP not in (hint, cost, points) and cost > points:
        found.append(Inconsistency(("hint_cost",),
                                   f"hint_cost ({cost:g}) is more than the question is worth ({points:g} points)"))
    found += _half_point_rules(model, data)
    return found + model._own_rules(data)


def _choice_rules(data: dict, *, exactly_one: bool) -> list[Inconsistency]:
    kind = data["type"]
    if not isinstance(data.get("options"), list):
        return []
    options = data["options"]
    found = _duplicates([(("options", i, "id"), o.get("id")) for i, o in _mappings(options)], "option")
    correct = [_value(Option, o, "correct") if isinstance(o, dict) else SKIP for o in options]
    if SKIP not in correct:
        marked = [i for i, c in enumerate(correct) if c]
        if not marked:
            found.append(Inconsistency(("options",), f"{kind} needs {'exactly' if exactly_one else 'at least'}"
                                                     " one correct option, found none"))
        elif exactly_one:
            found += [Inconsistency(("options", i, "correct"),
                                    f"{kind} needs exactly one correct option, found {len(marked)}",
                                    ("options", marked[0], "correct"), "first correct option at")
                      for i in marked[1:]]
    return found


def _ranking_rules(data: dict) -> list[Inconsistency]:
    return _duplicates([(("items", i, "id"), item.get("id")) for i, item in _mappings(data.get("items"))], "item")


def _investigation_rules(data: dict) -> list[Inconsistency]:
    options = list(_mappings(data.get("options")))
    found = _duplicates([(("options", i, "id"), o.get("id")) for i, o in options], "test")
    for i, o in options:
        if o.get("value") == "decisive" and o.get("result") is None:
            found.append(Inconsistency(("options", i, "result"),
                                       "a decisive test needs the result the source reports"))
    if options and len(options) == len(data["options"]) and not any(o.get("value") == "decisive" for _, o in options):
        found.append(Inconsistency(("options",), "an investigation menu needs at least one decisive test"))
    most = _value(Investigation, data, "max_orders")
    if most not in (None, SKIP) and most > len(options):
        found.append(Inconsistency(("max_orders",), f"max_orders ({most}) is more than the {len(options)} tests offered"))
    return found


def _half_point_rules(model: type[QuestionBase], data: dict) -> list[Inconsistency]:
    """Students see whole or half points (casebook/points.py), so a question is worth them too."""
    found = []
    for name in ("points", "hint_cost"):
        value = _value(model, data, name)
        if value is not SKIP and value is not None and not float(value * 2).is_integer():
            found.append(Inconsistency((name,), f"{name} must be a whole or half number of points "
                                                f"(like 1, 1.5 or 2); found {value:g}"))
    return found


def _case_rules(data: dict) -> list[Inconsistency]:
    stages = list(_mappings(data.get("stages")))

    def ids(key: str) -> list[tuple[Loc, Any]]:
        return [(("stages", si, key, i, "id"), item.get("id"))
                for si, stage in stages for i, item in _mappings(stage.get(key))]

    found = _duplicates([(("stages", si, "id"), stage.get("id")) for si, stage in stages], "stage")
    found += _duplicates(ids("questions"), "question")
    found += _duplicates(ids("timeline"), "timeline event")
    found += _duplicates(ids("findings"), "finding")
    found += _duplicates(ids("imaging"), "imaging study")

    events = [(("stages", si, "timeline", i), event) for si, stage in stages for i, event in _mappings(stage.get("timeline"))]
    dated = [loc for loc, e in events if e.get("age") is not None or e.get("age_range") is not None]
    if dated and len(dated) < len(events):
        for loc, e in events:
            if loc not in dated:
                found.append(Inconsistency(
                    loc, f"undated timeline event {e.get('id')!r} among dated ones: give it age or age_range",
                    dated[0], "first dated event at"))

    if stages and len(stages) == len(data["stages"]) and not any(stage.get("questions") for _, stage in stages):
        found.append(Inconsistency(("stages",), "a case needs at least one question"))
    found += _board_rules(data, stages)
    return found


def _stage_refs(stage: dict) -> set[str]:
    """What an expert move may point at in a stage: ids of findings, events and studies, names of labs and tests."""
    refs = {item.get("id") for key in ("findings", "timeline", "imaging") for _, item in _mappings(stage.get(key))}
    refs |= {item.get("name") for key in ("labs", "tests") for _, item in _mappings(stage.get(key))}
    return {r for r in refs if isinstance(r, str)}


def _board_rules(data: dict, stages: list[tuple[int, dict]]) -> list[Inconsistency]:
    board = list(_mappings(data.get("board")))
    found = _duplicates([(("board", i, "id"), d.get("id")) for i, d in board], "board diagnosis")
    known = {d.get("id") for _, d in board}
    traced = [(si, stage["expert"]) for si, stage in stages if isinstance(stage.get("expert"), dict)]
    if board and len(board) == len(data["board"]):
        finals = [i for i, d in board if d.get("final") is True]
        if len(board) < 3:
            found.append(Inconsistency(("board",), f"a differential board needs at least three diagnoses, found {len(board)}"))
        if len(finals) != 1:
            found.append(Inconsistency(("board",), f"a differential board needs exactly one final diagnosis, found {len(finals)}"))
        if stages and not isinstance(stages[0][1].get("expert"), dict):
            found.append(Inconsistency(("stages", stages[0][0]), "a case with a board needs an expert trace on its first stage"))
    elif traced and not board and "board" not in data:
        found.append(Inconsistency(("stages", traced[0][0], "expert"), "an expert trace needs the case's board of diagnoses"))
    for si, expert in traced:
        at = ("stages", si, "expert")
        seen: dict[str, Loc] = {}
        for part in ("live", "struck"):
            for i, held in _mappings(expert.get(part)):
                dx = held.get("diagnosis")
                if not isinstance(dx, str):
                    continue
                if board and dx not in known:
                    found.append(Inconsistency(at + (part, i, "diagnosis"), f"{dx!r} is not a diagnosis on the case's board"))
                if dx in seen:
                    found.append(Inconsistency(at + (part, i, "diagnosis"), f"{dx!r} is held twice in one stage", seen[dx]))
                seen.setdefault(dx, at + (part, i, "diagnosis"))
        refs = _stage_refs(dict(stages)[si])
        for i, move in _mappings(expert.get("moved_by")):
            if isinstance(move.get("ref"), str) and move["ref"] not in refs:
                found.append(Inconsistency(at + ("moved_by", i, "ref"),
                                           f"{move['ref']!r} is not a finding, event, study, lab or test of this stage"))
            for key in ("promotes", "demotes"):
                for j, dx in enumerate(move.get(key) or []):
                    if board and isinstance(dx, str) and dx not in known:
                        found.append(Inconsistency(at + ("moved_by", i, key, j), f"{dx!r} is not a diagnosis on the case's board"))
    return found
