"""Live class polls: a lecturer presents a case, the room answers the current question from phones.

The session's state lives in the database (no per-process memory), so several app processes can
serve one class. Functions take `now` (UTC) so tests pin time.

The lecturer's actions go through the pure state machine in `casebook.poll_machine`; what each
audience may see of a session is decided in `casebook.poll_views`.
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import DateTime, String, Text, and_, delete, exists, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from casebook.db import (
    poll_answers,
    poll_board_phase,
    poll_learners,
    poll_participants,
    poll_questions,
    poll_removed,
    poll_rooms,
    poll_sessions,
    poll_typed_shown,
)
from casebook.grading import InvalidResponse, check_response, grade
from casebook.kinds import kind_of
from casebook.model import Case, Question
from casebook.poll_board import BoardPhase, RoomBoard, RoomBoardStore, phone_board, room_board
from casebook.poll_machine import Phase, PollError, PollState, transition
from casebook.tally import Tally
from casebook.progress import clean_learner_code, is_learner_code
from casebook.reveal import question_view

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read off a projector
JOIN_CODE_LENGTH = 7
SESSION_LIFETIME = timedelta(hours=12)
NICKNAME_MAX = 30
MAX_PARTICIPANTS = 1000  # a big lecture hall; stops a script from flooding a session with fake joins


class NotLecturer(PollError):
    pass


class NotJoined(PollError):
    """The phone's token is unknown to this session (e.g. it joined another session): join again."""


class Removed(PollError):
    """The lecturer took this participant out of the session."""


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
    locked: bool = False
    capacity: int | None = None
    board: BoardPhase = BoardPhase.off
    """The room's differential board at the current stage."""

    @property
    def places(self) -> int:
        """How many people may join: the room's size when the lecturer set one, else the hall's maximum."""
        return min(self.capacity or MAX_PARTICIPANTS, MAX_PARTICIPANTS)

    def expired(self, now: datetime) -> bool:
        return _utc(self.expires_at) <= now


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


class PollConflict(PollError):
    """The session moved on (another window, a clicker) between reading it and acting on it."""


class PollStore:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    def _upsert(self, table):
        return (pg_insert if self._postgres else sqlite_insert)(table)

    def _lock_session(self, conn, session_id: str, *, share: bool) -> None:
        """On PostgreSQL, hold the session row for the rest of the transaction (SQLite locks the whole
        database for a writing statement already), so a lecturer's change and a phone's answer or join
        are applied one after the other, never interleaved."""
        if self._postgres:
            conn.execute(select(poll_sessions.c.id).where(poll_sessions.c.id == session_id)
                         .with_for_update(read=share))

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

    def _select_session(self):
        return (select(poll_sessions, poll_rooms.c.locked, poll_rooms.c.capacity,
                       poll_board_phase.c.stage_index.label("board_stage"), poll_board_phase.c.phase.label("board_phase"))
                .select_from(poll_sessions.outerjoin(poll_rooms, poll_rooms.c.session_id == poll_sessions.c.id)
                             .outerjoin(poll_board_phase, poll_board_phase.c.session_id == poll_sessions.c.id)))

    def get(self, session_id: str) -> PollSession | None:
        with self.engine.connect() as conn:
            row = conn.execute(self._select_session().where(poll_sessions.c.id == session_id)).mappings().first()
        return _session(row) if row else None

    def by_code(self, code: str) -> PollSession | None:
        with self.engine.connect() as conn:
            row = conn.execute(self._select_session().where(
                poll_sessions.c.join_code == clean_join_code(code))).mappings().first()
        return _session(row) if row else None

    def is_lecturer(self, session_id: str, key: str | None) -> bool:
        if not key or not isinstance(key, str):
            return False
        with self.engine.connect() as conn:
            stored = conn.execute(
                select(poll_sessions.c.lecturer_key_hash).where(poll_sessions.c.id == session_id)
            ).scalar()
        return stored is not None and hmac.compare_digest(stored, _hash(key))

    def _require_lecturer(self, session_id: str, key: str | None) -> None:
        if not self.is_lecturer(session_id, key):
            raise NotLecturer("only the lecturer can control this session")

    def state(self, session_id: str) -> tuple[PollState, int]:
        """The session's state for the state machine, and the version it was read at."""
        s = self.get(session_id)
        if s is None:
            raise PollError("there is no such session")
        return self._state_of(s), s.version

    def _state_of(self, s: PollSession) -> PollState:
        opened, revealed = self._questions(s.id)
        return PollState(s.stage_index, s.question_id, s.phase, frozenset(opened), frozenset(revealed), s.locked,
                         s.board)

    def _questions(self, session_id: str) -> tuple[set[str], set[str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(poll_questions.c.question_id, poll_questions.c.revealed_at)
                                .where(poll_questions.c.session_id == session_id)).all()
            legacy = conn.execute(select(poll_sessions.c.asked).where(poll_sessions.c.id == session_id)).scalar()
        # Sessions started before questions had their own rows list them in `asked`; those were revealed
        # or left for good under the old rules, so they count as done.
        old = set((legacy or "").split())
        return {q for q, _ in rows} | old, {q for q, at in rows if at is not None} | old

    def control(self, session_id: str, key: str, case: Case, action: str, now: datetime,
                expected_version: int | None = None) -> PollSession:
        """Apply a lecturer action (open, close, reveal, next, back, end, lock, unlock) through the state machine.

        `expected_version` is the version the lecturer's screen showed: when the session has moved on since
        (another window, a second click), the action is refused with PollConflict instead of being applied
        to a state the lecturer has not seen. Without it, the check still guards against a concurrent change
        between reading and writing."""
        self._require_lecturer(session_id, key)
        current = self.get(session_id)
        if current.expired(now):
            raise PollError("this session has expired; start a new one")
        before, version = self._state_of(current), current.version
        if expected_version is not None and expected_version != version:
            raise PollConflict("the session has moved on in another window; this screen now shows where it is")
        after = transition(before, action, case)
        with self.engine.begin() as conn:
            done = conn.execute(update(poll_sessions).where(and_(
                poll_sessions.c.id == session_id, poll_sessions.c.version == version)).values(
                stage_index=after.stage_index, question_id=after.question_id, phase=after.phase.value,
                version=version + 1,
            ))
            if done.rowcount != 1:
                raise PollConflict("the session has moved on in another window; this screen now shows where it is")
            for question_id in after.asked - before.asked:
                conn.execute(self._upsert(poll_questions).values(
                    session_id=session_id, question_id=question_id, opened_at=now).on_conflict_do_nothing())
            for question_id in after.revealed - before.revealed:
                stmt = self._upsert(poll_questions).values(
                    session_id=session_id, question_id=question_id, opened_at=now, revealed_at=now)
                conn.execute(stmt.on_conflict_do_update(index_elements=["session_id", "question_id"],
                                                        set_={"revealed_at": now}))
            if after.board != before.board:
                stmt = self._upsert(poll_board_phase).values(session_id=session_id, stage_index=after.stage_index,
                                                             phase=after.board.value)
                conn.execute(stmt.on_conflict_do_update(index_elements=["session_id"], set_={
                    "stage_index": after.stage_index, "phase": after.board.value}))
            if after.locked != before.locked:
                stmt = self._upsert(poll_rooms).values(session_id=session_id, locked=after.locked)
                conn.execute(stmt.on_conflict_do_update(index_elements=["session_id"], set_={"locked": after.locked}))
        return self.get(session_id)

    def set_capacity(self, session_id: str, key: str, capacity: int | None) -> None:
        """How many people the room holds (at most MAX_PARTICIPANTS): joins beyond it are refused, so a
        script cannot fill a small class with made-up phones."""
        self._require_lecturer(session_id, key)
        if capacity is not None and not (1 <= capacity <= MAX_PARTICIPANTS):
            raise PollError(f"a room holds 1 to {MAX_PARTICIPANTS} people")
        with self.engine.begin() as conn:
            stmt = self._upsert(poll_rooms).values(session_id=session_id, locked=False, capacity=capacity)
            conn.execute(stmt.on_conflict_do_update(index_elements=["session_id"], set_={"capacity": capacity}))

    def remove_participant(self, session_id: str, key: str, participant: int, now: datetime) -> None:
        """Take someone out of the session by their number in the participant list: their answers stop
        counting and their phone is told it was removed."""
        self._require_lecturer(session_id, key)
        people = self.participants(session_id, include_removed=True)
        found = next((p for p in people if p.number == participant), None)
        if found is None:
            raise PollError(f"there is no participant {participant}")
        with self.engine.begin() as conn:
            conn.execute(self._upsert(poll_removed).values(
                participant_id=found.token, session_id=session_id, removed_at=now).on_conflict_do_nothing())

    def show_typed(self, session_id: str, key: str, question_id: str, shown: bool) -> None:
        """Let the room see (or stop seeing) the words students typed for a free-text question."""
        self._require_lecturer(session_id, key)
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
        return self._questions(session_id)[0]

    # --- participants -------------------------------------------------------------------------

    def _active(self, session_id: str):
        """Participants of the session the lecturer has not removed."""
        removed = select(poll_removed.c.participant_id).where(poll_removed.c.session_id == session_id)
        return and_(poll_participants.c.session_id == session_id, poll_participants.c.id.not_in(removed))

    def join(self, code: str, nickname: str | None, now: datetime, learner: str | None = None) -> tuple[PollSession, str]:
        """Join a session; with a study code, questions missed in class come back in that learner's review.

        The checks (session running, room not locked, a place free) and the insert are one statement, so
        a burst of joins can never take the room past its size."""
        learner = clean_learner_code(learner) if learner else None
        if learner is not None and not is_learner_code(learner):
            raise PollError("a study code is 8 to 40 letters, digits, - or _; leave it empty to join without one")
        s = self.by_code(code)
        if s is None:
            raise PollError("no session has that code; check the code on the screen")
        name = clean_nickname(nickname)
        token = secrets.token_urlsafe(16)
        active = select(func.count()).select_from(poll_participants).where(self._active(s.id)).scalar_subquery()
        room = poll_rooms.alias("room")
        places = func.coalesce(
            select(room.c.capacity).where(room.c.session_id == s.id).scalar_subquery(), MAX_PARTICIPANTS)
        locked = exists().where(and_(room.c.session_id == s.id, room.c.locked.is_(True)))
        room_for_one = select(
            literal(token, String), literal(s.id, String), literal(name or None, String),
            literal(now, DateTime(timezone=True)),
        ).where(and_(
            exists().where(and_(poll_sessions.c.id == s.id, poll_sessions.c.phase != Phase.ended.value,
                                poll_sessions.c.expires_at > now)),
            ~locked, active < func.least(places, MAX_PARTICIPANTS) if self._postgres else active < func.min(places, MAX_PARTICIPANTS),
        ))
        stmt = insert(poll_participants).from_select(["id", "session_id", "nickname", "joined_at"], room_for_one)
        with self.engine.begin() as conn:
            self._lock_session(conn, s.id, share=False)
            joined = conn.execute(stmt.returning(poll_participants.c.id)).first()
            if joined is not None and learner:
                conn.execute(insert(poll_learners).values(participant_id=token, learner=learner))
        if joined is None:
            s = self.get(s.id)
            if s.expired(now) or s.phase == Phase.ended:
                raise PollError("this session has ended")
            if s.locked:
                raise PollError("the lecturer has closed this session to new people; ask them to open it")
            raise PollError(f"this session is full ({s.places} people have joined); tell the lecturer")
        return s, token

    def linked_responses(self, session_id: str, question_id: str) -> dict[str, Any]:
        """The answers to a question of everyone who joined with a study code, by study code."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(poll_learners.c.learner, poll_answers.c.response)
                .join(poll_answers, poll_answers.c.participant_id == poll_learners.c.participant_id)
                .join(poll_participants, poll_participants.c.id == poll_learners.c.participant_id)
                .where(and_(poll_answers.c.session_id == session_id, poll_answers.c.question_id == question_id,
                            self._active(session_id)))
            ).all()
        return {learner: json.loads(response) for learner, response in rows}

    def participant(self, session_id: str, token: str | None) -> dict | None:
        """The phone's participant row, with `removed` set when the lecturer took them out."""
        if not token or not isinstance(token, str):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(poll_participants, poll_removed.c.removed_at)
                .select_from(poll_participants.outerjoin(poll_removed, poll_removed.c.participant_id == poll_participants.c.id))
                .where(and_(poll_participants.c.id == token, poll_participants.c.session_id == session_id))
            ).mappings().first()
        if row is None:
            return None
        out = dict(row)
        out["removed"] = out.pop("removed_at") is not None
        return out

    def removed(self, session_id: str) -> frozenset[str]:
        """Tokens of the phones the lecturer removed (few; the phone routes keep it with the session)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(poll_removed.c.participant_id).where(poll_removed.c.session_id == session_id)).all()
        return frozenset(r[0] for r in rows)

    def participants(self, session_id: str, include_removed: bool = False) -> list[Participant]:
        """Everyone who joined, numbered in the order they joined (the number the lecturer sees)."""
        with self.engine.connect() as conn:
            people = conn.execute(
                select(poll_participants, poll_removed.c.removed_at)
                .select_from(poll_participants.outerjoin(poll_removed, poll_removed.c.participant_id == poll_participants.c.id))
                .where(poll_participants.c.session_id == session_id)
                .order_by(poll_participants.c.joined_at, poll_participants.c.id)).mappings().all()
            answered = dict(conn.execute(
                select(poll_answers.c.participant_id, func.count()).where(poll_answers.c.session_id == session_id)
                .group_by(poll_answers.c.participant_id)).all())
        out = [Participant(n, p["id"], p["nickname"] or "", _utc(p["joined_at"]), answered.get(p["id"], 0),
                           p["removed_at"] is not None) for n, p in enumerate(people, 1)]
        return out if include_removed else [p for p in out if not p.removed]

    def answer(self, code: str, token: str, question_id: str, response: Any, case: Case, now: datetime) -> Any:
        """Record (or change) a participant's answer while that exact question is open; returns the stored
        response. The check that voting is open and the write are one statement in one transaction, so an
        answer can never land after the lecturer closed voting."""
        s = self.by_code(code)
        if s is None or s.expired(now):
            raise PollError("this session has ended")
        who = self.participant(s.id, token)
        if who is None:
            raise NotJoined("join the session first")
        if who["removed"]:
            raise Removed("the lecturer has removed you from this session")
        if question_id not in {q.id for q in case.questions}:
            raise PollError("there is no such question in this session")
        if s.phase != Phase.open or s.question_id != question_id:
            # Said before the answer is read, so a question not yet asked tells nothing of its type or options.
            raise PollError("voting on this question is closed")
        try:
            stored = check_response(case.question(question_id), response)
        except InvalidResponse as exc:
            raise PollError(str(exc)) from None
        open_now = select(
            literal(s.id, String), literal(token, String), literal(question_id, String),
            literal(json.dumps(stored), Text), literal(now, DateTime(timezone=True)),
            literal(now, DateTime(timezone=True)),
        ).where(and_(
            exists().where(and_(poll_sessions.c.id == s.id, poll_sessions.c.phase == Phase.open.value,
                                poll_sessions.c.question_id == question_id, poll_sessions.c.expires_at > now)),
            ~exists().where(poll_removed.c.participant_id == token),
        ))
        stmt = self._upsert(poll_answers).from_select(
            ["session_id", "participant_id", "question_id", "response", "answered_at", "updated_at"], open_now)
        stmt = stmt.on_conflict_do_update(
            index_elements=["session_id", "participant_id", "question_id"],
            set_={"response": stmt.excluded.response, "updated_at": stmt.excluded.updated_at},
        ).returning(poll_answers.c.question_id)
        with self.engine.begin() as conn:
            self._lock_session(conn, s.id, share=True)
            written = conn.execute(stmt).first()
        if written is None:
            raise PollError("voting on this question is closed")
        return stored

    def my_answer(self, session_id: str, token: str, question_id: str) -> Any:
        with self.engine.connect() as conn:
            raw = conn.execute(select(poll_answers.c.response).where(and_(
                poll_answers.c.session_id == session_id, poll_answers.c.participant_id == token,
                poll_answers.c.question_id == question_id))).scalar()
        return json.loads(raw) if raw is not None else None

    # --- results ------------------------------------------------------------------------------

    def _counted_answers(self, session_id: str):
        """Answers that count: from participants the lecturer has not removed."""
        removed = select(poll_removed.c.participant_id).where(poll_removed.c.session_id == session_id)
        return and_(poll_answers.c.session_id == session_id, poll_answers.c.participant_id.not_in(removed))

    def counts(self, session_id: str, question_id: str | None) -> tuple[int, int]:
        with self.engine.connect() as conn:
            joined = conn.execute(select(func.count()).select_from(poll_participants)
                                  .where(self._active(session_id))).scalar()
            answered = 0
            if question_id:
                answered = conn.execute(select(func.count()).select_from(poll_answers).where(and_(
                    self._counted_answers(session_id), poll_answers.c.question_id == question_id))).scalar()
        return joined, answered

    def responses(self, session_id: str, question_id: str) -> list[Any]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(poll_answers.c.response).where(and_(
                self._counted_answers(session_id), poll_answers.c.question_id == question_id))).all()
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

    def snapshot(self, session_id: str, case: Case, *, with_tally: bool = True,
                 with_summary: bool = False) -> PollSnapshot:
        """Everything any audience might be shown of the session right now; `casebook.poll_views` then
        decides what each audience may see of it. The tally (every answer graded) and the summary (every
        asked question's tally) are read only when asked for."""
        session = self.get(session_id)
        joined, answered = self.counts(session_id, session.question_id)
        question = case.question(session.question_id) if session.question_id else None
        tally = None
        # A kind whose revealed answer depends on the room's choice (the test ordered most) needs the tally then.
        if question and (with_tally and session.phase != Phase.lobby
                         or session.phase == Phase.revealed and kind_of(question).reveal_uses_tally):
            tally = self.tally(session_id, question, joined)
        asked, revealed = self._questions(session_id)
        with self.engine.connect() as conn:
            shown = {r[0] for r in conn.execute(select(poll_typed_shown.c.question_id)
                                                .where(poll_typed_shown.c.session_id == session_id))}
        summary = summarise([(q, self.tally(session_id, q, joined)) for q in case.questions if q.id in asked]) \
            if with_summary else []
        board = None
        if session.board != BoardPhase.off:
            board = room_board(case, session.stage_index, session.board,
                               RoomBoardStore(self.engine).boards(session_id, session.stage_index), joined)
        return PollSnapshot(session, joined, answered, tally, frozenset(asked), frozenset(shown), summary,
                            frozenset(revealed), board)

    def export_csv(self, session_id: str, case: Case) -> tuple[str, str]:
        """Two CSV files: per question (counts, percent correct) and per participant (answers; removed
        participants are listed with their answers marked as not counted)."""
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
        w.writerow(["participant", "nickname", "question_id", "answer", "correct", "last_changed_at", "counted"])
        people = {p.token: p for p in self.participants(session_id, include_removed=True)}
        with self.engine.connect() as conn:
            answers = conn.execute(select(poll_answers).where(poll_answers.c.session_id == session_id)).mappings().all()
        for a in sorted(answers, key=lambda a: (people[a["participant_id"]].number if a["participant_id"] in people else 0,
                                                a["question_id"])):
            q = case.question(a["question_id"])
            response = json.loads(a["response"])
            who = people.get(a["participant_id"])
            w.writerow([who.number if who else 0, csv_safe(who.nickname if who else ""), q.id,
                        csv_safe(describe_response(q, response)), "yes" if grade(q, response).correct else "no",
                        _utc(a["updated_at"]).isoformat(), "no" if who is None or who.removed else "yes"])
        return per_question.getvalue(), per_person.getvalue()


@dataclass(frozen=True)
class Participant:
    number: int
    """1, 2, 3… in the order people joined: how the lecturer names someone to remove."""
    token: str
    nickname: str
    joined_at: datetime
    answers: int
    removed: bool


@dataclass(frozen=True)
class QuestionSummary:
    question_id: str
    prompt: str
    answered: int
    percent_correct: float | None
    common_wrong: str | None
    """The wrong answer chosen most often (for a multiple choice: the wrong option ticked most often)."""
    common_wrong_count: int


@dataclass(frozen=True)
class PollSnapshot:
    """The session as stored, before any audience's gate (see `casebook.poll_views`)."""

    session: PollSession
    joined: int
    answered: int
    tally: Tally | None
    """The current question's full tally (typed words included), None in the lobby."""
    asked: frozenset[str]
    typed_shown: frozenset[str]
    """Free-text questions whose typed answers the lecturer has let the room see."""
    summary: list[QuestionSummary]
    revealed: frozenset[str] = frozenset()
    """Questions whose answer the room has seen."""
    room_board: RoomBoard | None = None
    """The room's differential board at the current stage, while it is open or shown."""


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
    return kind_of(question).describe(question, response)


def tally_responses(question: Question, responses: list[Any], joined: int, order_seed: str | None = None) -> Tally:
    """Counts per option (choice), per normalised answer (free text), per value (numeric), per first
    choice (ranking): whatever the question's kind counts. With `order_seed`, options follow the
    shuffled order the phones showed."""
    people_right = sum(1 for r in responses if grade(question, r).correct)
    return kind_of(question).tally(question, responses, joined, people_right, order_seed)


def phone_view(case: Case, session: PollSession, my_answer: Any, now: datetime) -> dict:
    """What a phone may see: the current question only, and the answer only once revealed."""
    view: dict = {"phase": session.phase.value, "version": session.version, "case_title": case.title,
                  "disclaimer": "For education, not for clinical decisions."}
    if session.expired(now):
        view["phase"] = Phase.ended.value
        return view
    board = phone_board(case, session.board, session.stage_index) if session.phase != Phase.ended else None
    if board is not None:
        view["board"] = board
    if session.question_id is None or session.phase in (Phase.lobby, Phase.ended):
        return view
    q = case.question(session.question_id)
    qv = question_view(q, hint_taken=False, shuffle_seed=session.id)
    view["question"] = {"id": q.id, "type": q.type, "prompt": q.prompt, "choices": qv.choices,
                        "unit": None, "placeholder": None, **kind_of(q).phone_fields(q)}
    view["my_answer"] = my_answer
    if session.phase == Phase.revealed:
        view["reveal"] = reveal_payload(q)
        if my_answer is not None:
            try:
                g = grade(q, my_answer)
                view["my_result"] = {"correct": g.correct, "verdict": g.verdict,
                                     **kind_of(q).phone_result(q, check_response(q, my_answer))}
                if g.note:  # how it was graded (a misspelling accepted, what a ranking's first place cost)
                    view["my_result"]["note"] = g.note
            except InvalidResponse:
                pass  # an answer stored under an older version of the case: say nothing rather than guess
    return view


def reveal_payload(q: Question) -> dict:
    return {"explanation": q.explanation, **kind_of(q).reveal_payload(q)}


def _session(row) -> PollSession:
    return PollSession(
        id=row["id"], case_id=row["case_id"], join_code=row["join_code"], stage_index=row["stage_index"],
        question_id=row["question_id"], phase=Phase(row["phase"]), version=row["version"],
        created_at=_utc(row["created_at"]), expires_at=_utc(row["expires_at"]),
        locked=bool(row.get("locked")), capacity=row.get("capacity"),
        board=BoardPhase(row["board_phase"]) if row.get("board_phase") and row.get("board_stage") == row["stage_index"]
        else BoardPhase.off,
    )


__all__ = ["PollStore", "PollSession", "PollSnapshot", "Participant", "Phase", "PollError", "PollConflict", "NotLecturer", "NotJoined", "Removed", "QuestionSummary", "summarise", "Tally",
           "tally_responses", "phone_view", "csv_safe", "new_join_code", "clean_nickname"]
