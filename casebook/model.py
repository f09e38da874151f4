"""The case file model: what a `cases/<id>/case.yaml` may say, checked strictly.

Every model forbids unknown keys and is frozen once loaded. The JSON Schema in
`schema/case.schema.json` is generated from these classes (`python -m casebook schema`).
"""
from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from casebook.body_sites import BodySite

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
        if not (self.doi or self.pmid or self.url):
            raise ValueError("a source needs at least one of doi, pmid or url")
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
        if self.age is not None and self.age_range is not None:
            raise ValueError("give either age or age_range, not both")
        if self.age_range is not None and not (0 <= self.age_range[0] < self.age_range[1] <= 120):
            raise ValueError("age_range must be [from, to] with 0 <= from < to <= 120")
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


class Finding(Strict):
    id: Id
    """Stable id of the finding within the case."""
    text: Text
    """The finding in words."""
    location: BodyLocation | None = None
    """Where it is, to draw it on the body map."""
    abnormal: bool = True
    """False for pertinent normal findings."""
    since: str | None = None
    """When it first appeared, in words."""


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
        if self.ref_low is not None and self.ref_high is not None and self.ref_low > self.ref_high:
            raise ValueError("ref_low is above ref_high")
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

    @model_validator(mode="after")
    def _hint_cheaper_than_question(self) -> "QuestionBase":
        if self.hint is not None and self.hint_cost > self.points:
            raise ValueError("hint_cost is more than the question is worth")
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


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate {what} id {i!r}")
        seen.add(i)


class SingleChoice(QuestionBase):
    type: Literal["single_choice"]
    """One option is right."""
    options: list[Option] = Field(min_length=2)
    """The options, exactly one with correct: true."""

    @model_validator(mode="after")
    def _one_correct(self) -> "SingleChoice":
        _unique([o.id for o in self.options], "option")
        n = sum(o.correct for o in self.options)
        if n != 1:
            raise ValueError(f"single_choice needs exactly one correct option, found {n}")
        return self


class MultipleChoice(QuestionBase):
    type: Literal["multiple_choice"]
    """Any number of options are right; partial credit."""
    options: list[Option] = Field(min_length=2)
    """The options, at least one with correct: true."""

    @model_validator(mode="after")
    def _some_correct(self) -> "MultipleChoice":
        _unique([o.id for o in self.options], "option")
        if not any(o.correct for o in self.options):
            raise ValueError("multiple_choice needs at least one correct option")
        return self


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

    @model_validator(mode="after")
    def _unique_items(self) -> "Ranking":
        _unique([i.id for i in self.items], "item")
        return self


class Numeric(QuestionBase):
    type: Literal["numeric"]
    """A number, right within a tolerance."""
    answer: float
    """The right value."""
    tolerance: float = Field(default=0, ge=0)
    """How far from the answer still counts as right."""
    unit: str | None = None
    """Unit shown beside the input."""


Question = Annotated[
    Union[SingleChoice, MultipleChoice, FreeText, Ranking, Numeric], Field(discriminator="type")
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

    @field_validator("tags", "specialty", "body_region")
    @classmethod
    def _no_blank(cls, v: list[str]) -> list[str]:
        return [s.strip() for s in v]

    @model_validator(mode="after")
    def _ids_unique_and_timeline_consistent(self) -> "Case":
        _unique([s.id for s in self.stages], "stage")
        _unique([q.id for s in self.stages for q in s.questions], "question")
        events = [e for s in self.stages for e in s.timeline]
        _unique([e.id for e in events], "timeline event")
        _unique([f.id for s in self.stages for f in s.findings], "finding")
        _unique([i.id for s in self.stages for i in s.imaging], "imaging study")
        dated = {e.is_dated for e in events}
        if len(dated) > 1:
            undated = [e.id for e in events if not e.is_dated]
            raise ValueError(
                "timeline mixes dated and undated events; give age or age_range to: " + ", ".join(undated)
            )
        if not any(s.questions for s in self.stages):
            raise ValueError("a case needs at least one question")
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
