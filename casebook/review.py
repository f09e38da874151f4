"""Spaced review of missed questions (FSRS): a question answered wrongly comes back later, again and
again at growing intervals, until it is answered right with confidence."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from fsrs import Card, Rating, Scheduler
from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from casebook.db import review_cards
from casebook.progress import AnswerRecord, Confidence

SCHEDULER = Scheduler(enable_fuzzing=False)


def utc(dt: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; everything here is stored in UTC."""
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def rating_for(correct: bool, fraction: float, confidence: Confidence | None) -> Rating:
    if not correct:
        return Rating.Again
    if confidence is Confidence.confident:
        return Rating.Easy if fraction == 1 else Rating.Good
    return Rating.Good if confidence is Confidence.unsure else Rating.Hard


@dataclass(frozen=True)
class DueReview:
    case_id: str
    question_id: str
    due: datetime
    reviews: int


class ReviewQueue:
    def __init__(self, engine: Engine):
        self.engine = engine

    def add_missed(self, learner: str, case_id: str, record: AnswerRecord) -> bool:
        """Schedule a missed question for review; answered-right questions are left alone."""
        if record.correct:
            return False
        card, _ = SCHEDULER.review_card(Card(), Rating.Again, utc(record.answered_at))
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(review_cards).values(
                    learner=learner, case_id=case_id, question_id=record.question_id,
                    card=card.to_json(), due=card.due, reviews=0, last_rating=Rating.Again.name,
                ))
        except IntegrityError:
            return False  # already in the queue from an earlier attempt
        return True

    def due(self, learner: str, now: datetime) -> list[DueReview]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(review_cards).where(and_(review_cards.c.learner == learner, review_cards.c.due <= now))
                .order_by(review_cards.c.due)
            ).mappings().all()
        return [DueReview(r["case_id"], r["question_id"], utc(r["due"]), r["reviews"]) for r in rows]

    def upcoming(self, learner: str) -> list[DueReview]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(review_cards).where(review_cards.c.learner == learner).order_by(review_cards.c.due)
            ).mappings().all()
        return [DueReview(r["case_id"], r["question_id"], utc(r["due"]), r["reviews"]) for r in rows]

    def record_review(self, learner: str, case_id: str, question_id: str, rating: Rating, now: datetime) -> datetime:
        """Apply a review to the card and return when it is due next."""
        key = and_(review_cards.c.learner == learner, review_cards.c.case_id == case_id,
                   review_cards.c.question_id == question_id)
        with self.engine.begin() as conn:
            row = conn.execute(select(review_cards).where(key)).mappings().one()
            card, _ = SCHEDULER.review_card(Card.from_json(row["card"]), rating, now)
            conn.execute(update(review_cards).where(key).values(
                card=card.to_json(), due=card.due, reviews=row["reviews"] + 1, last_rating=rating.name,
            ))
        return card.due

    def has_cards(self, learner: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(review_cards.c.question_id).where(review_cards.c.learner == learner)
                                .limit(1)).first() is not None
