"""Database engine and tables (SQLAlchemy Core): SQLite by default, PostgreSQL through a URL."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine

metadata = MetaData()

attempts = Table(
    "attempts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("learner", String(40), nullable=False),
    Column("case_id", String(64), nullable=False),
    Column("case_hash", String(32), nullable=False),
    Column("stage_index", Integer, nullable=False, default=0),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Index("ix_attempts_learner_case", "learner", "case_id"),
)

responses = Table(
    "responses",
    metadata,
    Column("attempt_id", String(40), ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(64), primary_key=True),
    Column("response", Text, nullable=False),  # JSON
    Column("fraction", Float, nullable=False),
    Column("points", Float, nullable=False),
    Column("max_points", Float, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("gave_up", Boolean, nullable=False),
    Column("hint_used", Boolean, nullable=False),
    Column("confidence", String(16)),
    Column("answered_at", DateTime(timezone=True), nullable=False),
)

hints_taken = Table(
    "hints_taken",
    metadata,
    Column("attempt_id", String(40), ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(64), primary_key=True),
    Column("taken_at", DateTime(timezone=True), nullable=False),
)


tests_ordered = Table(
    "tests_ordered",
    metadata,
    Column("attempt_id", String(40), ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(64), primary_key=True),
    Column("test_id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),  # 0, 1, 2… in the order the student ordered them
    Column("ordered_at", DateTime(timezone=True), nullable=False),
)
"""The tests a student has ordered on an investigation question, one row each, before finishing the work-up."""



review_cards = Table(
    "review_cards",
    metadata,
    Column("learner", String(40), primary_key=True),
    Column("case_id", String(64), primary_key=True),
    Column("question_id", String(64), primary_key=True),
    Column("card", Text, nullable=False),  # fsrs Card as JSON
    Column("due", DateTime(timezone=True), nullable=False),
    Column("reviews", Integer, nullable=False, default=0),
    Column("last_rating", String(8)),
    Index("ix_review_cards_learner_due", "learner", "due"),
)


poll_sessions = Table(
    "poll_sessions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("case_id", String(64), nullable=False),
    Column("join_code", String(16), nullable=False, unique=True),
    Column("lecturer_key_hash", String(64), nullable=False),
    Column("stage_index", Integer, nullable=False),
    Column("question_id", String(64)),
    Column("phase", String(16), nullable=False),
    Column("asked", Text),  # question ids opened so far, space separated
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

poll_participants = Table(
    "poll_participants",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("session_id", String(40), ForeignKey("poll_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("nickname", String(40)),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Index("ix_poll_participants_session", "session_id"),
)

poll_answers = Table(
    "poll_answers",
    metadata,
    Column("session_id", String(40), ForeignKey("poll_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", String(40), primary_key=True),
    Column("question_id", String(64), primary_key=True),
    Column("response", Text, nullable=False),  # JSON
    Column("answered_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_poll_answers_question", "session_id", "question_id"),
)


poll_learners = Table(  # participants who joined with their study code: class misses join their review
    "poll_learners",
    metadata,
    Column("participant_id", String(40), ForeignKey("poll_participants.id", ondelete="CASCADE"), primary_key=True),
    Column("learner", String(40), nullable=False),
)

poll_typed_shown = Table(  # free-text questions whose typed answers the lecturer has let the room see
    "poll_typed_shown",
    metadata,
    Column("session_id", String(40), ForeignKey("poll_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(64), primary_key=True),
)

poll_screen = Table(  # how the lecturer wants the projector to look for a session (one row once changed)
    "poll_screen",
    metadata,
    Column("session_id", String(40), ForeignKey("poll_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("hide_chart_while_voting", Boolean, nullable=False, default=False),
)


# Added after sessions were already stored: new tables rather than new columns, so an existing
# database gains them through `create_all` without a migration.
poll_questions = Table(  # each question a session has asked: when it opened and when its answer was shown
    "poll_questions",
    metadata,
    Column("session_id", String(40), ForeignKey("poll_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(64), primary_key=True),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("revealed_at", DateTime(timezone=True)),
)

poll_rooms = Table(  # the lecturer's settings for the room: locked to new joins, how many places
    "poll_rooms",
    metadata,
    Column("session_id", String(40), ForeignKey("poll_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("locked", Boolean, nullable=False, default=False),
    Column("capacity", Integer),
)

poll_removed = Table(  # participants the lecturer removed: their answers stop counting, their phone is told
    "poll_removed",
    metadata,
    Column("participant_id", String(40), ForeignKey("poll_participants.id", ondelete="CASCADE"), primary_key=True),
    Column("session_id", String(40), ForeignKey("poll_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("removed_at", DateTime(timezone=True), nullable=False),
    Index("ix_poll_removed_session", "session_id"),
)


# The differential board: one row per attempt and stage the student changed it at (later stages
# without a row keep the last board), and one per phone and stage in a class.
board_stages = Table(
    "board_stages",
    metadata,
    Column("attempt_id", String(40), ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True),
    Column("stage_index", Integer, primary_key=True),
    Column("board", Text, nullable=False),  # JSON: live (ranked) and struck diagnoses
    Column("changes", Text, nullable=False),  # JSON: the changes made at this stage, each with what moved the student
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

poll_board_phase = Table(  # whether the room is holding its board at a stage, or sees the aggregate
    "poll_board_phase",
    metadata,
    Column("session_id", String(40), ForeignKey("poll_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("stage_index", Integer, nullable=False),
    Column("phase", String(16), nullable=False),
)

poll_board_picks = Table(  # each phone's board at a stage: its diagnoses, most likely first
    "poll_board_picks",
    metadata,
    Column("session_id", String(40), ForeignKey("poll_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", String(40), primary_key=True),
    Column("stage_index", Integer, primary_key=True),
    Column("picks", Text, nullable=False),  # JSON list of board diagnosis ids
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_poll_board_picks_stage", "session_id", "stage_index"),
)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # WAL lets readers and one writer work together
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    metadata.create_all(engine)
    return engine
