"""Live class polls: a lecturer presents a case, the room answers the current question from phones.

The session's state lives in the database (no per-process memory), so several app processes can
serve one class. Functions take `now` (UTC) so tests pin time.

Phases of the current question: lobby (nothing asked yet) → open (voting) → closed → revealed,
then the lecturer moves to the next question or stage; `ended` finishes the session.
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from casebook.db import poll_answers, poll_learners, poll_participants, poll_sessions, poll_typed_shown
from casebook.grading import InvalidResponse, check_response, grade, normalise
from casebook.model import Case, FreeText, MultipleChoice, Numeric, Question, Ranking, SingleChoice
from casebook.progress import clean_learner_code, is_learner_code
from casebook.reveal import question_view, shuffled_options
from casebook.wording import numeric_answer

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read off a projector
JOIN_CODE_LENGTH = 7
SESSION_LIFETIME = timedelta(hours=12)
NICKNAME_MAX = 30
MAX_PARTICIPANTS = 1000  # a big lecture hall; stops a script from flooding a session with fake joins


class Phase(str, Enum):
    lobby = "lobby"
    open = "open"
    closed = "closed"
    revealed = "revealed"
    ended = "ended"


class PollError(ValueError):
    """Something a participant or lecturer tried that the session does not allow; the message says why."""


class NotLecturer(PollError):
    pass


class NotJoined(PollError):
    """The phone's token is unknown to this session (e.g. it joined another session): join again."""


@dataclass(frozen=True)
class PollSession:
    id: str
    case_id: str
    join_code: str
    stage_index: int
    question_id: str | None
    phase: Phase
    version: int
    created_at: datetime
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        return _utc(self.expires_at) <= now


@dataclass(frozen=True)
class Tally:
    question_id: str
    labels: list[str]
    counts: list[int]
    correct: list[bool]
    answered: int
    joined: int
    right: int = 0
    """People whose whole answer was right (a bar counts ticks: one person may tick several)."""

    @property
    def percent_correct(self) -> float | None:
        return round(100 * self.right / self.answered, 1) if self.answered else None


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def clean_join_code(code: str) -> str:
    return "".join(ch for ch in str(code).upper() if ch.isalnum())[:20]


def clean_nickname(nickname: str | None) -> str:
    """A nickname is optional; when given it is plain text of at most 30 characters."""
    if nickname is not None and not isinstance(nickname, str):
        raise PollError("a nickname is plain text")
    text = unicodedata.normalize("NFKC", nickname or "").strip()
    text = "".join(ch for ch in text if ch.isprintable())
    if len(text) > NICKNAME_MAX:
        raise PollError(f"keep your nickname to {NICKNAME_MAX} characters")
    if any(ch in text for ch in "<>"):
        raise PollError("a nickname cannot contain < or >")
    return text


class PollStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    # --- lecturer ---------------------------------------------------------------------------

    def create(self, case: Case, now: datetime) -> tuple[PollSession, str]:
        """Start a session; returns it and the lecturer's secret key (shown once, stored hashed)."""
        key = secrets.token_urlsafe(24)
        session_id = secrets.token_urlsafe(12)
        for _ in range(5):
            code = new_join_code()
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(poll_sessions).values(
                        id=session_id, case_id=case.id, join_code=code, lecturer_key_hash=_hash(key),
                        stage_index=0, question_id=None, phase=Phase.lobby.value, version=1,
                        created_at=now, expires_at=now + SESSION_LIFETIME,
                    ))
                return self.get(session_id), key
            except IntegrityError:
                continue  # join code already in use: draw another
        raise PollError("could not allocate a join code; try again")

    def get(self, session_id: str) -> PollSession | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(poll_sessions).where(poll_sessions.c.id == session_id)).mappings().first()
        return _session(row) if row else None

    def by_code(self, code: str) -> PollSession | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(poll_sessions).where(poll_sessions.c.join_code == clean_join_code(code))
            ).mappings().first()
        return _session(row) if row else None

    def is_lecturer(self, session_id: str, key: str | None) -> bool:
        if not key:
            return False
        with self.engine.connect() as conn:
            stored = conn.execute(
                select(poll_sessions.c.lecturer_key_hash).where(poll_sessions.c.id == session_id)
            ).scalar()
        return stored is not None and hmac.compare_digest(stored, _hash(key))

    def control(self, session_id: str, key: str, case: Case, action: str, now: datetime) -> PollSession:
        """Apply a lecturer action: open, close, reveal, next, back, goto_stage:<n>, end."""
        if not self.is_lecturer(session_id, key):
            raise NotLecturer("only the lecturer can control this session")
        s = self.get(session_id)
        if s.expired(now):
            raise PollError("this session has expired; start a new one")
        stage_index, question_id, phase = s.stage_index, s.question_id, s.phase
        stage_questions = [q.id for q in case.stages[stage_index].questions]
        if action == "open":
            target = question_id if question_id in stage_questions and phase != Phase.revealed else None
            if target is None:
                answered = self.asked(session_id)
                target = next((q for q in stage_questions if q not in answered), None)
            if target is None:
                raise PollError("this stage has no question left to ask")
            question_id, phase = target, Phase.open
        elif action == "close":
            if phase != Phase.open:
                raise PollError("voting is not open")
            phase = Phase.closed
        elif action == "reveal":
            if phase not in (Phase.open, Phase.closed):
                raise PollError("there is no question to reveal")
            phase = Phase.revealed
        elif action == "next":
            if phase in (Phase.open, Phase.closed):
                raise PollError("reveal the answer before moving on")
            if stage_index + 1 >= len(case.stages):
                phase = Phase.ended
            else:
                stage_index, question_id, phase = stage_index + 1, None, Phase.lobby
        elif action == "back":
            stage_index, question_id, phase = max(0, stage_index - 1), None, Phase.lobby
        elif action == "end":
            phase = Phase.ended
        else:
            raise PollError(f"unknown action {action!r}")
        with self.engine.begin() as conn:
            conn.execute(update(poll_sessions).where(poll_sessions.c.id == session_id).values(
                stage_index=stage_index, question_id=question_id, phase=phase.value,
                version=poll_sessions.c.version + 1,
            ))
            if phase == Phase.open:
                conn.execute(update(poll_sessions).where(poll_sessions.c.id == session_id).values(
                    asked=func.coalesce(poll_sessions.c.asked, "") + f"{question_id} "))
        return self.get(session_id)

    def show_typed(self, session_id: str, key: str, question_id: str, shown: bool) -> None:
        """Let the room see (or stop seeing) the words students typed for a free-text question."""
        if not self.is_lecturer(session_id, key):
            raise NotLecturer("only the lecturer can control this session")
        with self.engine.begin() as conn:
            conn.execute(delete(poll_typed_shown).where(and_(
                poll_typed_shown.c.session_id == session_id, poll_typed_shown.c.question_id == question_id)))
            if shown:
                conn.execute(insert(poll_typed_shown).values(session_id=session_id, question_id=question_id))

    def typed_shown(self, session_id: str, question_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(poll_typed_shown).where(and_(
                poll_typed_shown.c.session_id == session_id, poll_typed_shown.c.question_id == question_id))).scalar() > 0

    def asked(self, session_id: str) -> set[str]:
        with self.engine.connect() as conn:
            asked = conn.execute(select(poll_sessions.c.asked).where(poll_sessions.c.id == session_id)).scalar()
        return set((asked or "").split())

    # --- participants -------------------------------------------------------------------------

    def join(self, code: str, nickname: str | None, now: datetime, learner: str | None = None) -> tuple[PollSession, str]:
        """Join a session; with a study code, questions missed in class come back in that learner's review."""
        learner = clean_learner_code(learner) if learner else None
        if learner is not None and not is_learner_code(learner):
            raise PollError("a study code is 8 to 40 letters, digits, - or _; leave it empty to join without one")
        s = self.by_code(code)
        if s is None:
            raise PollError("no session has that code; check the code on the screen")
        if s.expired(now) or s.phase == Phase.ended:
            raise PollError("this session has ended")
        name = clean_nickname(nickname)
        if self.counts(s.id, None)[0] >= MAX_PARTICIPANTS:
            raise PollError(f"this session is full ({MAX_PARTICIPANTS} people have joined)")
        token = secrets.token_urlsafe(16)
        with self.engine.begin() as conn:
            conn.execute(insert(poll_participants).values(
                id=token, session_id=s.id, nickname=name or None, joined_at=now))
            if learner:
                conn.execute(insert(poll_learners).values(participant_id=token, learner=learner))
        return s, token

    def linked_responses(self, session_id: str, question_id: str) -> dict[str, Any]:
        """The answers to a question of everyone who joined with a study code, by study code."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(poll_learners.c.learner, poll_answers.c.response)
                .join(poll_answers, poll_answers.c.participant_id == poll_learners.c.participant_id)
                .where(and_(poll_answers.c.session_id == session_id, poll_answers.c.question_id == question_id))
            ).all()
        return {learner: json.loads(response) for learner, response in rows}

    def participant(self, session_id: str, token: str | None) -> dict | None:
        if not token:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(poll_participants).where(and_(
                poll_participants.c.id == token, poll_participants.c.session_id == session_id))).mappings().first()
        return dict(row) if row else None

    def answer(self, code: str, token: str, question_id: str, response: Any, case: Case, now: datetime) -> Any:
        """Record (or change) a participant's answer while voting is open; returns the stored response."""
        s = self.by_code(code)
        if s is None or s.expired(now):
            raise PollError("this session has ended")
        if self.participant(s.id, token) is None:
            raise NotJoined("join the session first")
        if question_id not in {q.id for q in case.questions}:
            raise PollError("there is no such question in this session")
        if s.phase != Phase.open or s.question_id != question_id:
            raise PollError("voting on this question is closed")
        try:
            stored = check_response(case.question(question_id), response)
        except InvalidResponse as exc:
            raise PollError(str(exc)) from None
        values = dict(session_id=s.id, participant_id=token, question_id=question_id,
                      response=json.dumps(stored), answered_at=now, updated_at=now)
        dialect_insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        stmt = dialect_insert(poll_answers).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["session_id", "participant_id", "question_id"],
            set_={"response": stmt.excluded.response, "updated_at": stmt.excluded.updated_at},
        )
        with self.engine.begin() as conn:
            conn.execute(stmt)
        return stored

    def my_answer(self, session_id: str, token: str, question_id: str) -> Any:
        with self.engine.connect() as conn:
            raw = conn.execute(select(poll_answers.c.response).where(and_(
                poll_answers.c.session_id == session_id, poll_answers.c.participant_id == token,
                poll_answers.c.question_id == question_id))).scalar()
        return json.loads(raw) if raw is not None else None

    # --- results ------------------------------------------------------------------------------

    def counts(self, session_id: str, question_id: str | None) -> tuple[int, int]:
        with self.engine.connect() as conn:
            joined = conn.execute(select(func.count()).select_from(poll_participants)
                                  .where(poll_participants.c.session_id == session_id)).scalar()
            answered = 0
            if question_id:
                answered = conn.execute(select(func.count()).select_from(poll_answers).where(and_(
                    poll_answers.c.session_id == session_id, poll_answers.c.question_id == question_id))).scalar()
        return joined, answered

    def responses(self, session_id: str, question_id: str) -> list[Any]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(poll_answers.c.response).where(and_(
                poll_answers.c.session_id == session_id, poll_answers.c.question_id == question_id))).all()
        return [json.loads(r[0]) for r in rows]

    def tally(self, session_id: str, question: Question, joined: int | None = None) -> Tally:
        """Counts for the lecturer's chart, options in the same order the phones show them.

        `joined` when the caller has just counted it (the live chart does, every two seconds)."""
        if joined is None:
            joined, _ = self.counts(session_id, None)
        return tally_responses(question, self.responses(session_id, question.id), joined, order_seed=session_id)

    def summary(self, session_id: str, case: Case) -> list[QuestionSummary]:
        asked = self.asked(session_id)
        return summarise([(q, self.tally(session_id, q)) for q in case.questions if q.id in asked])

    def export_csv(self, session_id: str, case: Case) -> tuple[str, str]:
        """Two CSV files: per question (counts, percent correct) and per participant (answers)."""
        per_question = io.StringIO()
        w = csv.writer(per_question)
        w.writerow(["question_id", "prompt", "answer", "count", "correct", "answered", "percent_correct"])
        asked = [q for q in case.questions if q.id in self.asked(session_id)]
        for q in asked:
            t = self.tally(session_id, q)
            for label, count, ok in zip(t.labels, t.counts, t.correct):
                w.writerow([q.id, csv_safe(q.prompt), csv_safe(label), count, "yes" if ok else "no", t.answered,
                            "" if t.percent_correct is None else t.percent_correct])
        per_person = io.StringIO()
        w = csv.writer(per_person)
        w.writerow(["participant", "nickname", "question_id", "answer", "correct", "last_changed_at"])
        with self.engine.connect() as conn:
            people = conn.execute(select(poll_participants).where(poll_participants.c.session_id == session_id)
                                  .order_by(poll_participants.c.joined_at)).mappings().all()
            answers = conn.execute(select(poll_answers).where(poll_answers.c.session_id == session_id)).mappings().all()
        number = {p["id"]: n for n, p in enumerate(people, 1)}
        names = {p["id"]: p["nickname"] or "" for p in people}
        for a in sorted(answers, key=lambda a: (number.get(a["participant_id"], 0), a["question_id"])):
            q = case.question(a["question_id"])
            response = json.loads(a["response"])
            w.writerow([number.get(a["participant_id"], 0), csv_safe(names.get(a["participant_id"], "")), q.id,
                        csv_safe(describe_response(q, response)), "yes" if grade(q, response).correct else "no",
                        _utc(a["updated_at"]).isoformat()])
        return per_question.getvalue(), per_person.getvalue()


@dataclass(frozen=True)
class QuestionSummary:
    question_id: str
    prompt: str
    answered: int
    percent_correct: float | None
    common_wrong: str | None
    """The wrong answer chosen most often (for a multiple choice: the wrong option ticked most often)."""
    common_wrong_count: int


def summarise(tallies: list[tuple[Question, Tally]]) -> list[QuestionSummary]:
    """After class: per question asked, how many answered, how many were right, the commonest slip."""
    out = []
    for q, t in tallies:
        wrong = [(c, label) for label, c, ok in zip(t.labels, t.counts, t.correct) if not ok and c > 0
                 and not label.endswith(" other answers")]
        count, label = max(wrong, default=(0, None))
        out.append(QuestionSummary(q.id, q.prompt, t.answered, t.percent_correct, label, count))
    return out


def csv_safe(value: str) -> str:
    """Stop a spreadsheet from running text as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def describe_response(question: Question, response: Any) -> str:
    if isinstance(question, (SingleChoice, MultipleChoice)):
        texts = {o.id: o.text for o in question.options}
        chosen = response if isinstance(response, list) else [response]
        return "; ".join(texts[c] for c in chosen)
    if isinstance(question, Ranking):
        texts = {i.id: i.text for i in question.items}
        return " > ".join(texts[i] for i in response)
    if isinstance(question, Numeric):
        return f"{response:g}"
    return str(response)


FREE_TEXT_GROUPS = 12


def tally_responses(question: Question, responses: list[Any], joined: int, order_seed: str | None = None) -> Tally:
    """Counts per option (choice), per normalised answer (free text), per value (numeric), per first
    choice (ranking). With `order_seed`, options follow the shuffled order the phones showed."""
    people_right = sum(1 for r in responses if grade(question, r).correct)
    if isinstance(question, (SingleChoice, MultipleChoice)):
        counter = Counter(c for r in responses for c in (r if isinstance(r, list) else [r]))
        options = question.options
        if order_seed is not None:
            by_id = {o.id: o for o in question.options}
            options = [by_id[oid] for oid, _ in shuffled_options(question, order_seed)]
        return Tally(question.id, [o.text for o in options], [counter[o.id] for o in options],
                     [o.correct for o in options], len(responses), joined, people_right)
    if isinstance(question, Ranking):
        counter = Counter(r[0] for r in responses if r)
        return Tally(question.id, [f"Ranked first: {i.text}" for i in question.items],
                     [counter[i.id] for i in question.items], [n == 0 for n in range(len(question.items))],
                     len(responses), joined, people_right)
    if isinstance(question, FreeText):
        groups: Counter = Counter()
        shown: dict[str, str] = {}
        accepted = {normalise(a) for a in question.accepted}
        for r in responses:
            key = normalise(r)
            groups[key] += 1
            shown.setdefault(key, str(r).strip())
        # The biggest groups, always including every accepted answer given; the rest fold into one bar.
        ranked = groups.most_common()
        right = [(k, c) for k, c in ranked if k in accepted]
        wrong = [(k, c) for k, c in ranked if k not in accepted]
        room = max(FREE_TEXT_GROUPS - len(right), 1)
        keep = {k for k, _ in right + (wrong if len(wrong) <= room else wrong[: room - 1])}
        ordered = [(k, c) for k, c in ranked if k in keep]
        labels, counts, correct = [shown[k] for k, _ in ordered], [c for _, c in ordered], [k in accepted for k, _ in ordered]
        rest = [(k, c) for k, c in ranked if k not in keep]
        if rest:
            labels.append(f"{len(rest)} other answers")
            counts.append(sum(c for _, c in rest))
            correct.append(False)
        return Tally(question.id, labels, counts, correct, len(responses), joined, people_right)
    assert isinstance(question, Numeric)
    counter = Counter(float(r) for r in responses)
    ordered = sorted(counter)
    return Tally(question.id, [f"{v:g}" for v in ordered], [counter[v] for v in ordered],
                 [abs(v - question.answer) <= question.tolerance + 1e-9 for v in ordered], len(responses), joined, people_right)


def projector_tally(question: Question, tally: Tally, *, typed_shown: bool, revealed: bool) -> Tally:
    """What the room may see of a tally. Words students typed stay off the projector until the
    lecturer has read them and chosen to show them; until then only counts are shown."""
    if not isinstance(question, FreeText) or typed_shown:
        return tally
    if not revealed:
        return Tally(tally.question_id, ["Typed answers (the words stay hidden until the lecturer shows them)"],
                     [tally.answered], [False], tally.answered, tally.joined, tally.right)
    return Tally(tally.question_id, ["An accepted answer", "Another answer"], [tally.right, tally.answered - tally.right],
                 [True, False], tally.answered, tally.joined, tally.right)


def phone_view(case: Case, session: PollSession, my_answer: Any, now: datetime) -> dict:
    """What a phone may see: the current question only, and the answer only once revealed."""
    view: dict = {"phase": session.phase.value, "version": session.version, "case_title": case.title,
                  "disclaimer": "For education, not for clinical decisions."}
    if session.expired(now):
        view["phase"] = Phase.ended.value
        return view
    if session.question_id is None or session.phase in (Phase.lobby, Phase.ended):
        return view
    q = case.question(session.question_id)
    qv = question_view(q, hint_taken=False, shuffle_seed=session.id)
    view["question"] = {"id": q.id, "type": q.type, "prompt": q.prompt, "choices": qv.choices,
                        "unit": qv.unit, "placeholder": qv.placeholder}
    view["my_answer"] = my_answer
    if session.phase == Phase.revealed:
        view["reveal"] = reveal_payload(q)
        if my_answer is not None:
            try:
                g = grade(q, my_answer)
                view["my_result"] = {"correct": g.correct, "verdict": g.verdict}
            except InvalidResponse:
                pass  # an answer stored under an older version of the case: say nothing rather than guess
    return view


def reveal_payload(q: Question) -> dict:
    out: dict = {"explanation": q.explanation}
    if isinstance(q, (SingleChoice, MultipleChoice)):
        out["options"] = [{"id": o.id, "text": o.text, "correct": o.correct, "feedback": o.feedback} for o in q.options]
    elif isinstance(q, Ranking):
        out["order"] = [i.text for i in q.items]
    elif isinstance(q, FreeText):
        out["accepted"] = q.accepted
    elif isinstance(q, Numeric):
        out["answer"] = numeric_answer(q)
    return out


def _session(row) -> PollSession:
    return PollSession(
        id=row["id"], case_id=row["case_id"], join_code=row["join_code"], stage_index=row["stage_index"],
        question_id=row["question_id"], phase=Phase(row["phase"]), version=row["version"],
        created_at=_utc(row["created_at"]), expires_at=_utc(row["expires_at"]),
    )


__all__ = ["PollStore", "PollSession", "Phase", "PollError", "NotLecturer", "NotJoined", "QuestionSummary", "summarise", "projector_tally", "Tally",
           "tally_responses", "phone_view", "csv_safe", "new_join_code", "clean_nickname"]
