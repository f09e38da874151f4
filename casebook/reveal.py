"""What a student may see of a case at this point of an attempt — decided here, not in a page.

`visible_case` is the only way pages get case content. Stages after the current one, the source
citation (its title names the diagnosis), correct answers, feedback, explanations and untaken
hints are left out until the attempt earns them, so no page can leak them by mistake.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from casebook.grading import Grade, grade
from casebook.kinds import kind_of
from casebook.kinds.choice import shuffled_options
from casebook.kinds.ranking import shuffled_items
from casebook.model import (
    Case,
    Option,
    Question,
    Source,
    Stage,
    StageKind,
    TimelineEvent,
    Finding,
)
from casebook.progress import AnswerRecord, Attempt

__all__ = ["shuffled_items", "shuffled_options"]  # where callers have long found them

Audience = Literal["student", "presenter"]


@dataclass(frozen=True)
class QuestionView:
    """An unanswered question as the student sees it: no correctness, feedback or explanation."""

    id: str
    type: str
    prompt: str
    choices: list[tuple[str, str]]
    points: float
    hint_cost: float
    has_hint: bool
    hint: str | None
    unit: str | None = None
    placeholder: str | None = None
    menu: tuple = ()
    """An investigation's tests as offered (casebook.kinds.investigation.MenuTest): costs, never results."""
    ordered: tuple = ()
    """An investigation's tests ordered so far, with their results (OrderedTest)."""
    max_orders: int | None = None


@dataclass(frozen=True)
class AnsweredQuestion:
    question: Question
    answer: AnswerRecord
    grade: Grade | None
    """None when the student gave up."""
    option_order: tuple[str, ...] = ()
    """A choice question's option ids in the order the student saw them; empty for the authored order."""

    @property
    def missed(self) -> bool:
        return self.answer.gave_up or self.answer.fraction < 1

    @property
    def options(self) -> list[Option]:
        """A choice question's options as the student saw them, so the feedback reads in the same order."""
        options = getattr(self.question, "options", [])
        if not self.option_order:
            return list(options)
        seen = {oid: n for n, oid in enumerate(self.option_order)}
        return sorted(options, key=lambda o: seen.get(o.id, len(seen)))


@dataclass(frozen=True)
class VisibleStage:
    index: int
    stage: Stage
    """The stage without its questions (and without speaker notes for students)."""
    answered: list[AnsweredQuestion]
    pending: list[QuestionView]


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    missed: list[AnsweredQuestion]

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.max_points) if self.max_points else 0


@dataclass(frozen=True)
class CaseInfo:
    """What anyone may know of a case before playing it: the library card's facts, no stage content."""

    id: str
    title: str
    summary: str
    specialty: list[str]
    body_region: list[str]
    tags: list[str]
    difficulty: str
    minutes: int
    objectives: list[str]
    stage_count: int


def case_info(case: Case) -> CaseInfo:
    return CaseInfo(case.id, case.title, case.summary, list(case.specialty), list(case.body_region), list(case.tags),
                    case.difficulty.value, case.minutes, list(case.objectives), len(case.stages))


@dataclass(frozen=True)
class VisibleCase:
    info: CaseInfo
    """The case's metadata; the content comes only through `stages`."""
    stages: list[VisibleStage]
    stage_kinds: list[StageKind]
    current: int
    can_advance: bool
    finished: bool
    source: Source | None
    score: Score | None
    completed_case: Case | None = None
    """The whole case, answers included, once the student has finished it (for the PDF and Anki deck)."""

    @property
    def current_stage(self) -> VisibleStage:
        return self.stages[self.current]

    @property
    def timeline(self) -> list[TimelineEvent]:
        return [e for s in self.stages for e in s.stage.timeline]

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.stages for f in s.stage.findings]

    @property
    def is_last_stage(self) -> bool:
        return self.current == len(self.stage_kinds) - 1


def question_view(question: Question, *, hint_taken: bool, shuffle_seed: str,
                  work: tuple[str, ...] = ()) -> QuestionView:
    """An unanswered question as the student sees it; `work` is what they have done on it so far (tests ordered)."""
    kind = kind_of(question)
    return QuestionView(
        id=question.id,
        type=question.type,
        prompt=question.prompt,
        choices=kind.choices(question, shuffle_seed),
        points=question.points,
        hint_cost=question.hint_cost if question.hint else 0,
        has_hint=question.hint is not None,
        hint=question.hint if hint_taken else None,
        **kind.view_fields(question, work),
    )


def answered_question(question: Question, record: AnswerRecord, *, shuffle_seed: str) -> AnsweredQuestion:
    """An answered question, graded, with its options in the order `question_view` showed them."""
    order = kind_of(question).option_order(question, shuffle_seed)
    return AnsweredQuestion(question, record, None if record.gave_up else grade(question, record.response), order)


def stage_questions_done(stage: Stage, attempt: Attempt) -> bool:
    return all(q.id in attempt.answers for q in stage.questions)


def visible_case(case: Case, attempt: Attempt, audience: Audience = "student") -> VisibleCase:
    current = min(attempt.stage_index, len(case.stages) - 1)
    finished = attempt.finished
    shown = case.stages if finished else case.stages[: current + 1]
    stages = [_visible_stage(i, s, attempt, audience) for i, s in enumerate(shown)]
    score = None
    if finished:
        answered = [a for s in stages for a in s.answered]
        score = Score(attempt.points, case.max_points, [a for a in answered if a.missed])
    return VisibleCase(
        info=case_info(case),
        stages=stages,
        stage_kinds=[s.kind for s in case.stages],
        current=len(case.stages) - 1 if finished else current,
        can_advance=not finished and stage_questions_done(case.stages[current], attempt),
        finished=finished,
        source=case.source if finished else None,
        score=score,
        completed_case=case if finished else None,
    )


def _visible_stage(index: int, stage: Stage, attempt: Attempt, audience: Audience) -> VisibleStage:
    answered: list[AnsweredQuestion] = []
    pending: list[QuestionView] = []
    for q in stage.questions:
        record = attempt.answers.get(q.id)
        if record is None:
            pending.append(question_view(q, hint_taken=q.id in attempt.hints, shuffle_seed=attempt.id,
                                         work=attempt.orders.get(q.id, ())))
        else:
            answered.append(answered_question(q, record, shuffle_seed=attempt.id))
    update: dict = {"questions": []}
    if audience == "student":
        update["speaker_notes"] = None
        update["expert"] = None  # the expert's trace comes only with the finished case (casebook.board)
    return VisibleStage(index, stage.model_copy(update=update), answered, pending)
