"""Storage of attempts, answers and hints, so progress survives a refresh and a restart."""
from __future__ import annotations

import json
import secrets
from datetime import datetime

from sqlalchemy import DateTime, String, and_, delete, func, insert, literal, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from casebook.db import attempts, hints_taken, poll_learners, responses, review_cards, tests_ordered
from casebook.history import ProfileCounts
from casebook.points import to_half_points
from casebook.progress import AnswerRecord, Attempt, Confidence


def new_token() -> str:
    return secrets.token_urlsafe(12)


class ProgressStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    # --- attempts ---------------------------------------------------------------------------

    def create_attempt(self, learner: str, case_id: str, case_hash: str, now: datetime) -> Attempt:
        attempt_id = new_token()
        with self.engine.begin() as conn:
            conn.execute(insert(attempts).values(
                id=attempt_id, learner=learner, case_id=case_id, case_hash=case_hash,
                stage_index=0, started_at=now, finished_at=None,
            ))
        return Attempt(attempt_id, learner, case_id, case_hash, 0, now)

    def get_attempt(self, attempt_id: str) -> Attempt | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(attempts).where(attempts.c.id == attempt_id)).mappings().first()
            if row is None:
                return None
            answer_rows = conn.execute(select(responses).where(responses.c.attempt_id == attempt_id)).mappings().all()
            hint_rows = conn.execute(select(hints_taken.c.question_id).where(hints_taken.c.attempt_id == attempt_id)).all()
            order_rows = conn.execute(select(tests_ordered.c.question_id, tests_ordered.c.test_id)
                                      .where(tests_ordered.c.attempt_id == attempt_id)
                                      .order_by(tests_ordered.c.position, tests_ordered.c.ordered_at)).all()
        return Attempt(
            id=row["id"], learner=row["learner"], case_id=row["case_id"], case_hash=row["case_hash"],
            stage_index=row["stage_index"], started_at=row["started_at"], finished_at=row["finished_at"],
            answers={r["question_id"]: _record(r) for r in answer_rows},
            hints=frozenset(h[0] for h in hint_rows),
            orders=_orders(order_rows),
        )

    def latest_attempt(self, learner: str, case_id: str) -> Attempt | None:
        with self.engine.connect() as conn:
            attempt_id = conn.execute(
                select(attempts.c.id)
                .where(and_(attempts.c.learner == learner, attempts.c.case_id == case_id))
                .order_by(attempts.c.started_at.desc())
                .limit(1)
            ).scalar()
        return self.get_attempt(attempt_id) if attempt_id else None

    def learner_status(self, learner: str) -> dict[str, Attempt]:
        """The latest attempt per case for a learner (without answers), for library cards."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(attempts).where(attempts.c.learner == learner).order_by(attempts.c.started_at)
            ).mappings().all()
        latest: dict[str, Attempt] = {}
        for r in rows:
            latest[r["case_id"]] = Attempt(
                r["id"], r["learner"], r["case_id"], r["case_hash"], r["stage_index"], r["started_at"], r["finished_at"]
            )
        return latest

    def has_attempts(self, learner: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(attempts.c.id).where(attempts.c.learner == learner).limit(1)).first() is not None

    def attempts_with_points(self, learner: str, case_id: str) -> list[tuple[Attempt, float]]:
        """Every attempt the learner made at the case, oldest first, with the points it earned (one query;
        answers themselves are not read). Starting a case again adds an attempt; none is ever removed."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(attempts, func.coalesce(func.sum(responses.c.points), 0.0).label("earned"))
                .outerjoin(responses, responses.c.attempt_id == attempts.c.id)
                .where(and_(attempts.c.learner == learner, attempts.c.case_id == case_id))
                .group_by(attempts.c.id)
                .order_by(attempts.c.started_at, attempts.c.id)
            ).mappings().all()
        return [(Attempt(r["id"], r["learner"], r["case_id"], r["case_hash"], r["stage_index"], r["started_at"],
                         r["finished_at"]), round(float(r["earned"]), 2)) for r in rows]

    def points_of_attempts(self, attempt_ids: list[str]) -> dict[str, tuple[float, float]]:
        """Points earned (on the half-point scale) and possible per attempt, in one query: for library cards."""
        totals: dict[str, tuple[float, float]] = {}
        if not attempt_ids:
            return totals
        with self.engine.connect() as conn:
            rows = conn.execute(select(responses.c.attempt_id, responses.c.points, responses.c.max_points)
                                .where(responses.c.attempt_id.in_(attempt_ids))).all()
        for attempt_id, points, max_points in rows:
            earned, possible = totals.get(attempt_id, (0.0, 0.0))
            totals[attempt_id] = (earned + to_half_points(points, max_points), possible + max_points)
        return totals

    def set_stage(self, attempt_id: str, stage_index: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(attempts).where(attempts.c.id == attempt_id).values(stage_index=stage_index))

    def finish(self, attempt_id: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(attempts).where(and_(attempts.c.id == attempt_id, attempts.c.finished_at.is_(None)))
                .values(finished_at=now)
            )

    # --- answers and hints ------------------------------------------------------------------

    def save_answer(self, attempt_id: str, record: AnswerRecord) -> AnswerRecord:
        """Store the first answer to a question; a repeated submission returns the stored one."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(responses).values(
                    attempt_id=attempt_id, question_id=record.question_id,
                    response=json.dumps(record.response), fraction=record.fraction, points=record.points,
                    max_points=record.max_points, correct=record.correct, gave_up=record.gave_up,
                    hint_used=record.hint_used,
                    confidence=record.confidence.value if record.confidence else None,
                    answered_at=record.answered_at,
                ))
            return record
        except IntegrityError:
            with self.engine.connect() as conn:
                row = conn.execute(select(responses).where(and_(
                    responses.c.attempt_id == attempt_id, responses.c.question_id == record.question_id
                ))).mappings().one()
            return _record(row)

    def learner_answers(self, learner: str) -> list[AnswerRecord]:
        """Every answer the learner has given in any case, oldest first (for calibration)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(responses).join(attempts, attempts.c.id == responses.c.attempt_id)
                .where(attempts.c.learner == learner).order_by(responses.c.answered_at)
            ).mappings().all()
        return [_record(r) for r in rows]

    def learner_attempts(self, learner: str) -> list[Attempt]:
        """Every attempt of the learner (earlier ones at a case included) with its answers and hints,
        oldest first: the history on the Progress page. Three queries, however many attempts."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(attempts).where(attempts.c.learner == learner)
                                .order_by(attempts.c.started_at)).mappings().all()
            mine = select(attempts.c.id).where(attempts.c.learner == learner)
            answer_rows = conn.execute(select(responses).where(responses.c.attempt_id.in_(mine))
                                       .order_by(responses.c.answered_at)).mappings().all()
            hint_rows = conn.execute(select(hints_taken.c.attempt_id, hints_taken.c.question_id)
                                     .where(hints_taken.c.attempt_id.in_(mine))).all()
        answers: dict[str, dict[str, AnswerRecord]] = {}
        for r in answer_rows:
            answers.setdefault(r["attempt_id"], {})[r["question_id"]] = _record(r)
        hints: dict[str, set[str]] = {}
        for attempt_id, question_id in hint_rows:
            hints.setdefault(attempt_id, set()).add(question_id)
        return [Attempt(r["id"], r["learner"], r["case_id"], r["case_hash"], r["stage_index"], r["started_at"],
                        r["finished_at"], answers.get(r["id"], {}), frozenset(hints.get(r["id"], ())))
                for r in rows]

    def profile_counts(self, learner: str) -> ProfileCounts:
        """How much is stored under a study code."""
        with self.engine.connect() as conn:
            return _profile_counts(conn, learner)

    def delete_learner(self, learner: str) -> ProfileCounts:
        """Delete everything stored under a study code, in one transaction: attempts, answers, hints,
        review questions, and its link to class sessions (the class keeps the answers, unnamed).
        Returns what was deleted."""
        with self.engine.begin() as conn:
            counts = _profile_counts(conn, learner)
            mine = select(attempts.c.id).where(attempts.c.learner == learner)
            conn.execute(delete(responses).where(responses.c.attempt_id.in_(mine)))
            conn.execute(delete(hints_taken).where(hints_taken.c.attempt_id.in_(mine)))
            conn.execute(delete(tests_ordered).where(tests_ordered.c.attempt_id.in_(mine)))
            conn.execute(delete(attempts).where(attempts.c.learner == learner))
            conn.execute(delete(review_cards).where(review_cards.c.learner == learner))
            conn.execute(delete(poll_learners).where(poll_learners.c.learner == learner))
        return counts

    def take_hint(self, attempt_id: str, question_id: str, now: datetime) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(hints_taken).values(attempt_id=attempt_id, question_id=question_id, taken_at=now))
        except IntegrityError:
            pass  # already taken: taking it again costs nothing more

    def order_test(self, attempt_id: str, question_id: str, test_id: str, now: datetime, *,
                   limit: int | None = None) -> bool:
        """Store one more ordered test, next in order; False when `limit` tests are already ordered. The count
        and the insert are one statement (on PostgreSQL under a lock of the attempt), so two windows ordering
        at the same moment cannot go past the limit."""
        mine = and_(tests_ordered.c.attempt_id == attempt_id, tests_ordered.c.question_id == question_id)
        count = select(func.count()).select_from(tests_ordered).where(mine).scalar_subquery()
        row = select(literal(attempt_id, String), literal(question_id, String), literal(test_id, String), count,
                     literal(now, DateTime(timezone=True)))
        if limit is not None:
            row = row.where(count < limit)
        stmt = insert(tests_ordered).from_select(
            ["attempt_id", "question_id", "test_id", "position", "ordered_at"], row).returning(tests_ordered.c.test_id)
        try:
            with self.engine.begin() as conn:
                if self.engine.dialect.name == "postgresql":
                    conn.execute(select(attempts.c.id).where(attempts.c.id == attempt_id).with_for_update())
                return conn.execute(stmt).first() is not None
        except IntegrityError:
            return True  # ordered twice (two windows, a double click): one order


def _orders(rows) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for question_id, test_id in rows:
        out[question_id] = out.get(question_id, ()) + (test_id,)
    return out


def _profile_counts(conn, learner: str) -> ProfileCounts:
    mine = select(attempts.c.id).where(attempts.c.learner == learner)

    def count(table, where) -> int:
        return conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()

    return ProfileCounts(
        attempts=count(attempts, attempts.c.learner == learner),
        answers=count(responses, responses.c.attempt_id.in_(mine)),
        hints=count(hints_taken, hints_taken.c.attempt_id.in_(mine)),
        review_questions=count(review_cards, review_cards.c.learner == learner),
        class_links=count(poll_learners, poll_learners.c.learner == learner),
    )


def _record(row) -> AnswerRecord:
    return AnswerRecord(
        question_id=row["question_id"], response=json.loads(row["response"]), fraction=row["fraction"],
        points=row["points"], max_points=row["max_points"], correct=row["correct"], gave_up=row["gave_up"],
        hint_used=row["hint_used"], confidence=Confidence(row["confidence"]) if row["confidence"] else None,
        answered_at=row["answered_at"],
    )
