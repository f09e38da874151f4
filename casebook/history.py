"""A learner's history across cases, for the Progress page: cases started and finished, scores over
time, the questions they missed (the mistake journal) and every answer as CSV.

Built from stored attempts and the case library; only what the learner has answered appears, so
nothing here reveals a stage they have not reached. Times are shown in the learner's time zone.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone, tzinfo
from typing import Any, Callable, Iterable

from casebook.model import (Case, FreeText, Investigation, MultipleChoice, Numeric, Question, Ranking, SingleChoice,
                            Stage)
from casebook.progress import AnswerRecord, Attempt, Confidence
from casebook.wording import STATUS_WORDS, numeric_answer
from casebook.when import learner_zone

SYNONYMS_SHOWN = 3
"""How many other accepted answers of a free-text question the journal lists."""
KEY_FINDINGS = 4
"""How many of a stage's findings the journal names as what decides a question."""


def zone(name: str | None) -> tzinfo:
    """The learner's time zone from its IANA name (as the browser reports it); UTC when unknown, or when
    the browser sends something that is no zone (a folder of zones such as "Europe", a very long name)."""
    return learner_zone(name).tz


def in_zone(moment: datetime, tz: tzinfo) -> datetime:
    """A stored time (SQLite hands them back without a zone; they are UTC) in the learner's zone."""
    utc = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
    return utc.astimezone(tz)


# --- a response in words ------------------------------------------------------------------------

def answer_words(question: Question | None, response: Any) -> str:
    """What the learner answered, in the words of the options they saw ("" when they gave up)."""
    if response is None:
        return ""
    if question is None:  # the question is no longer in the case: say what was stored
        return ", ".join(map(str, response)) if isinstance(response, list) else str(response)
    try:
        if isinstance(question, (SingleChoice, MultipleChoice)):
            texts = {o.id: o.text for o in question.options}
            chosen = response if isinstance(response, list) else [response]
            return "; ".join(texts.get(c, str(c)) for c in chosen)
        if isinstance(question, Ranking):
            texts = {i.id: i.text for i in question.items}
            return " → ".join(texts.get(i, str(i)) for i in response)
        if isinstance(question, Investigation):
            names = {o.id: o.name for o in question.options}
            chosen = response if isinstance(response, list) else [response]
            return "; ".join(names.get(c, str(c)) for c in chosen)
        if isinstance(question, Numeric):
            return f"{float(response):g}" + (f" {question.unit}" if question.unit else "")
    except (TypeError, ValueError):
        pass
    return str(response)


def right_answer_words(question: Question | None) -> str:
    """The expected answer in the words of the options."""
    if isinstance(question, SingleChoice | MultipleChoice):
        return "; ".join(o.text for o in question.options if o.correct)
    if isinstance(question, Ranking):
        return " → ".join(i.text for i in question.items)
    if isinstance(question, FreeText):
        others = question.accepted[1:]
        shown = ", ".join(others[:SYNONYMS_SHOWN]) + (", …" if len(others) > SYNONYMS_SHOWN else "")
        return question.accepted[0] + (f" (also accepted: {shown})" if others else "")
    if isinstance(question, Numeric):
        return numeric_answer(question)
    if isinstance(question, Investigation):
        return "; ".join(o.name for o in question.options if o.value == "decisive")
    return ""


def key_findings(stage: Stage, limit: int = KEY_FINDINGS, *, expert_shown: bool = False) -> list[str]:
    """What in a stage decides its questions, in the case's words.

    Where the expert's trace names what should move the differential (shown once the case is finished),
    those things with the expert's reason; else the stage's findings, results and imaging findings, the
    abnormal ones first (a pertinent normal can decide too); else the opening of the stage's story."""
    if expert_shown and stage.expert and stage.expert.moved_by:
        return [f"{_ref_text(stage, m.ref)} — {m.why}" for m in stage.expert.moved_by][:limit]
    abnormal = [f.text for f in stage.findings if f.abnormal]
    abnormal += [_lab_text(lab) for lab in stage.labs if lab.status in ("low", "high")]
    abnormal += [f"{t.name}: {t.result}" for t in stage.tests if t.abnormal]
    imaging = [f"{study.modality} of the {study.region}: {finding}" for study in stage.imaging
               for finding in study.findings]
    normal = [f.text for f in stage.findings if not f.abnormal]
    normal += [_lab_text(lab) for lab in stage.labs if lab.status not in ("low", "high")]
    normal += [f"{t.name}: {t.result}" for t in stage.tests if not t.abnormal]
    found = abnormal + imaging + normal
    if not found:
        opening = _opening(stage.narrative)
        found = [opening] if opening else []
    return found[:limit]


def _lab_text(lab) -> str:
    return f"{lab.name} {lab.value:g} {lab.unit} ({STATUS_WORDS[lab.status]})"


def _ref_text(stage: Stage, ref: str) -> str:
    """What an expert move points at (an id of a finding, event or study, a lab's or test's name) in words."""
    for f in stage.findings:
        if f.id == ref:
            return f.text
    for e in stage.timeline:
        if e.id == ref:
            return e.label
    for study in stage.imaging:
        if study.id == ref:
            return f"{study.modality} of the {study.region}: {study.findings[0]}"
    for lab in stage.labs:
        if lab.name == ref:
            return _lab_text(lab)
    for t in stage.tests:
        if t.name == ref:
            return f"{t.name}: {t.result}"
    return ref


OPENING_CHARS = 240


def _opening(narrative: str) -> str:
    """The first sentences of a stage's story (up to OPENING_CHARS), for a stage with no listed findings."""
    paragraph = " ".join(narrative.strip().split("\n\n")[0].split())
    if len(paragraph) <= OPENING_CHARS:
        return paragraph
    cut = max(paragraph.rfind(". ", 0, OPENING_CHARS), paragraph.rfind("; ", 0, OPENING_CHARS))
    return paragraph[:cut + 1] + " …" if cut > 40 else paragraph[:OPENING_CHARS].rsplit(" ", 1)[0] + " …"


# --- the history ----------------------------------------------------------------------------------

RESULTS = ("correct", "partly correct", "wrong", "gave up")


@dataclass(frozen=True)
class AnswerRow:
    """One answer the learner gave, with the case, stage and question it belongs to."""

    record: AnswerRecord
    case_id: str
    case_title: str
    specialties: tuple[str, ...]
    attempt_id: str
    attempt_number: int
    """1 for the learner's first attempt at this case, 2 after starting it again, …"""
    stage_index: int | None
    """From 0; None when the question is no longer in the case."""
    stage_title: str
    question: str
    answer: str
    right_answer: str
    explanation: str
    deciding: tuple[str, ...]
    answered_at: datetime
    """In the learner's time zone."""

    @property
    def question_id(self) -> str:
        return self.record.question_id

    @property
    def result(self) -> str:
        r = self.record
        if r.gave_up:
            return "gave up"
        return "correct" if r.correct and r.fraction >= 1 else "partly correct" if r.fraction > 0 else "wrong"

    @property
    def missed(self) -> bool:
        """Wrong, partly wrong or given up: a question for the mistake journal."""
        return self.record.gave_up or self.record.fraction < 1


@dataclass(frozen=True)
class CaseLine:
    """A case the learner has started: how far they got and how they scored."""

    case_id: str
    title: str
    specialties: tuple[str, ...]
    attempts: int
    finished: bool
    """Whether any attempt was finished."""
    latest_percent: int | None
    """The score of the latest finished attempt."""
    best_percent: int | None
    last_played: datetime
    stage_reached: int
    """The stage the latest attempt is at (from 0), or the last stage once finished."""
    latest_finished: bool
    stage_count: int

    @property
    def status(self) -> str:
        if self.latest_finished:
            return "finished"
        return f"stage {self.stage_reached + 1} of {self.stage_count}" + (" (started again)" if self.finished else "")


@dataclass(frozen=True)
class ScorePoint:
    """A score at one moment: a finished attempt at a case, or a day's answers in a specialty."""

    series: str
    when: datetime | date
    points: float
    max_points: float
    label: str
    case_id: str = ""
    """The case, for a finished attempt's score."""

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.max_points) if self.max_points else 0


@dataclass(frozen=True)
class JournalEntry:
    row: AnswerRow
    can_open_stage: bool
    """Whether the learner's current attempt at the case has revealed this stage (a link may open it)."""


@dataclass(frozen=True)
class LearnerHistory:
    rows: list[AnswerRow]
    """Every answer, oldest first."""
    cases: list[CaseLine]
    """Started cases, most recently played first."""
    case_scores: list[ScorePoint]
    """Each finished attempt's score, oldest first, one series per case."""
    tz: tzinfo
    reached: dict[str, tuple[int, bool]]
    """Per case, the stage the latest attempt is at and whether it is finished: what a link may open."""

    @property
    def empty(self) -> bool:
        return not self.cases

    @property
    def records(self) -> list[AnswerRecord]:
        return [r.record for r in self.rows]

    @property
    def specialties(self) -> list[str]:
        return sorted({s for c in self.cases for s in c.specialties}, key=str.lower)

    @property
    def started(self) -> int:
        return len(self.cases)

    @property
    def finished(self) -> int:
        return sum(1 for c in self.cases if c.finished)

    def only(self, specialty: str | None) -> "LearnerHistory":
        """The history of the cases in one specialty (all of it for None)."""
        if not specialty:
            return self
        keep = {c.case_id for c in self.cases if specialty in c.specialties}
        return replace(self, rows=[r for r in self.rows if r.case_id in keep],
                       cases=[c for c in self.cases if c.case_id in keep],
                       case_scores=[p for p in self.case_scores if p.case_id in keep])

    def specialty_scores(self) -> list[ScorePoint]:
        """Per specialty and day (in the learner's zone): the share of points earned on that day's answers.
        Specialties with the very same answers (those of one case listed under several) share one series,
        named after all of them, so their lines do not hide each other."""
        days: dict[str, dict[date, list[AnswerRow]]] = defaultdict(lambda: defaultdict(list))
        for r in self.rows:
            for s in r.specialties:
                days[s][r.answered_at.date()].append(r)
        same: dict[tuple, list[str]] = defaultdict(list)
        for s, by_day in days.items():
            same[tuple((day, tuple(id(r) for r in rows)) for day, rows in sorted(by_day.items()))].append(s)
        points = []
        for names in same.values():
            names.sort(key=str.lower)
            for day, rows in days[names[0]].items():
                points.append(ScorePoint(", ".join(names), day, sum(r.record.points for r in rows),
                                         sum(r.record.max_points for r in rows),
                                         f"{len(rows)} answer{'s' if len(rows) != 1 else ''}"))
        return sorted(points, key=lambda p: (p.when, p.series.lower()))

    def journal(self) -> list[JournalEntry]:
        """Every missed question, most recent first, with whether its stage can be opened again."""
        out = []
        for r in reversed(self.rows):
            if not r.missed:
                continue
            reached, finished = self.reached.get(r.case_id, (-1, False))
            can_open = r.stage_index is not None and (finished or r.stage_index <= reached)
            out.append(JournalEntry(r, can_open))
        return out


def build_history(attempts: Iterable[Attempt], case_for: Callable[[str], Case | None],
                  tz: tzinfo = timezone.utc) -> LearnerHistory:
    """The learner's history from their attempts (any order; each with its answers)."""
    attempts = sorted(attempts, key=lambda a: in_zone(a.started_at, timezone.utc))
    cases: dict[str, Case | None] = {}
    numbers: dict[str, int] = defaultdict(int)
    rows: list[AnswerRow] = []
    per_case: dict[str, list[tuple[Attempt, int]]] = defaultdict(list)
    scores: list[ScorePoint] = []
    for attempt in attempts:
        if attempt.case_id not in cases:
            cases[attempt.case_id] = case_for(attempt.case_id)
        case = cases[attempt.case_id]
        numbers[attempt.case_id] += 1
        number = numbers[attempt.case_id]
        per_case[attempt.case_id].append((attempt, number))
        title = case.title if case else attempt.case_id
        specialties = tuple(case.specialty) if case else ()
        where = _question_places(case)
        for record in attempt.answers.values():
            stage_index, stage, question = where.get(record.question_id, (None, None, None))
            rows.append(AnswerRow(
                record=record, case_id=attempt.case_id, case_title=title, specialties=specialties,
                attempt_id=attempt.id, attempt_number=number, stage_index=stage_index,
                stage_title=stage.title if stage else "",
                question=question.prompt if question else record.question_id,
                answer=answer_words(question, record.response), right_answer=right_answer_words(question),
                explanation=question.explanation if question else "",
                deciding=tuple(key_findings(stage, expert_shown=attempt.finished)) if stage else (),
                answered_at=in_zone(record.answered_at, tz),
            ))
        if attempt.finished:
            most = case.max_points if case else sum(r.max_points for r in attempt.answers.values())
            scores.append(ScorePoint(title, in_zone(attempt.finished_at, tz), attempt.points, most,
                                     f"attempt {number}", attempt.case_id))
    rows.sort(key=lambda r: r.answered_at)
    lines = []
    reached: dict[str, tuple[int, bool]] = {}
    for case_id, tries in per_case.items():
        case = cases[case_id]
        latest = tries[-1][0]
        finished_scores = [p for p in scores if p.case_id == case_id]
        times = [in_zone(latest.started_at, tz)] + [r.answered_at for r in rows if r.attempt_id == latest.id]
        if latest.finished_at:
            times.append(in_zone(latest.finished_at, tz))
        stage_count = len(case.stages) if case else latest.stage_index + 1
        reached[case_id] = (latest.stage_index, latest.finished)
        lines.append(CaseLine(
            case_id=case_id, title=case.title if case else case_id, specialties=tuple(case.specialty) if case else (),
            attempts=len(tries), finished=any(a.finished for a, _ in tries),
            latest_percent=finished_scores[-1].percent if finished_scores else None,
            best_percent=max(p.percent for p in finished_scores) if finished_scores else None,
            last_played=max(times), stage_reached=min(latest.stage_index, stage_count - 1),
            latest_finished=latest.finished, stage_count=stage_count,
        ))
    lines.sort(key=lambda c: c.last_played, reverse=True)
    scores.sort(key=lambda p: p.when)
    return LearnerHistory(rows, lines, scores, tz, reached)


def _question_places(case: Case | None) -> dict[str, tuple[int, Stage, Question]]:
    if case is None:
        return {}
    return {q.id: (i, stage, q) for i, stage in enumerate(case.stages) for q in stage.questions}


# --- export -----------------------------------------------------------------------------------------

CSV_COLUMNS = ["case", "case_id", "attempt", "stage", "stage_title", "question", "question_id", "answer", "result",
               "points", "max_points", "hint_used", "confidence", "answered_at"]


def csv_cell(value: Any) -> str:
    """Text a spreadsheet will show as text: a cell starting with = + - @ would otherwise run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def history_csv(history: LearnerHistory) -> str:
    """Every answer, one row each, oldest first; times in ISO 8601 with the learner's UTC offset."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    for r in history.rows:
        rec = r.record
        w.writerow([
            csv_cell(r.case_title), r.case_id, r.attempt_number, "" if r.stage_index is None else r.stage_index + 1,
            csv_cell(r.stage_title), csv_cell(r.question), rec.question_id, csv_cell(r.answer), r.result,
            f"{rec.points:g}", f"{rec.max_points:g}", "yes" if rec.hint_used else "no",
            rec.confidence.value if isinstance(rec.confidence, Confidence) else "",
            r.answered_at.isoformat(timespec="seconds"),
        ])
    return out.getvalue()


# --- deleting a profile -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProfileCounts:
    """What is stored under a study code."""

    attempts: int = 0
    answers: int = 0
    hints: int = 0
    review_questions: int = 0
    class_links: int = 0
    """Class sessions joined with the code (the answers stay in the class results, no longer linked to it)."""

    @property
    def anything(self) -> bool:
        return any((self.attempts, self.answers, self.hints, self.review_questions, self.class_links))

    def words(self) -> str:
        parts = [(self.attempts, "case attempt"), (self.answers, "answer"), (self.hints, "hint taken"),
                 (self.review_questions, "question in your review queue"), (self.class_links, "class session")]
        shown = [f"{n} {what if n == 1 else _plural(what)}" for n, what in parts if n]
        return ", ".join(shown) if shown else "nothing"


def _plural(what: str) -> str:
    return {"hint taken": "hints taken", "question in your review queue": "questions in your review queue",
            "class session": "class sessions"}.get(what, what + "s")


# --- a link back to a stage ------------------------------------------------------------------------

def linked_stage(param: Any, stage_count: int) -> int | None:
    """The stage a link asks for (`?stage=2` is the second stage), as an index; None when the link
    names no stage of the case. Whether the learner may open it is decided by what is revealed."""
    try:
        number = int(str(param).strip())
    except (TypeError, ValueError):
        return None
    return number - 1 if 1 <= number <= stage_count else None
