"""The Casebook application object: the case library plus progress storage, usable without a UI.

Pages build one through `st.cache_resource`; tests build one on a temporary folder and database.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any, Mapping

from casebook.board import BoardChange, BoardView, check_change, make_change, visible_board
from casebook.board_store import BoardStore
from casebook.grading import Grade, InvalidResponse, check_response, grade, points_earned
from casebook.kinds import kind_of
from casebook.answer_form import answer_problems, problems_sentence
from casebook.points import card_points_text
from casebook.case_index import CaseCard, CaseIndex, index_file_for
from casebook.history import LearnerHistory, ProfileCounts, build_history
from casebook.model import Case, Question, Stage
from casebook.poll import JOIN_ALPHABET, NotJoined, Phase, PollError, PollSession, PollStore, Removed
from casebook.poll_board import BoardPhase, BoardPickError, RoomBoardStore, check_picks
from casebook.projector import ScreenSettings
from casebook.progress import AnswerRecord, Attempt, AttemptResult, Confidence, TypedCode, check_typed_code, is_learner_code
from casebook.reveal import CaseInfo, VisibleCase, case_info, stage_questions_done, visible_case
from casebook.review import DueReview, ReviewQueue, rating_for
from fsrs import Rating
from casebook.db import make_engine
from casebook.store import ProgressStore

ROOT = Path(__file__).resolve().parent.parent


class NotAllowed(Exception):
    """An action the attempt's state does not allow (e.g. revealing before answering)."""


class AttemptGone(NotAllowed, KeyError):
    """The attempt is no longer stored: its profile was deleted (from another window or device)."""

    def __str__(self) -> str:
        return "this attempt is no longer saved: its study code's profile was deleted"


@dataclass(frozen=True)
class Settings:
    cases_dir: Path
    database_url: str
    public_url: str | None = None
    """The address phones open to join a class (CASEBOOK_PUBLIC_URL); see casebook/join_address.py."""

    @classmethod
    def from_env(cls, secrets: dict | None = None) -> "Settings":
        """Environment first, then the deployment's secrets (e.g. Streamlit's secrets.toml), then defaults."""
        secrets = secrets or {}
        return cls(
            cases_dir=Path(os.environ.get("CASEBOOK_CASES_DIR") or secrets.get("CASEBOOK_CASES_DIR") or ROOT / "cases"),
            database_url=os.environ.get("DATABASE_URL") or secrets.get("DATABASE_URL")
            or f"sqlite:///{ROOT / 'data' / 'casebook.db'}",
            public_url=os.environ.get("CASEBOOK_PUBLIC_URL") or secrets.get("CASEBOOK_PUBLIC_URL") or None,
        )


def deployment_secrets(path: Path | None = None) -> dict:
    """Top-level keys of `.streamlit/secrets.toml` (where Streamlit deployments keep DATABASE_URL)."""
    import tomllib

    path = path or ROOT / ".streamlit" / "secrets.toml"
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)}


@lru_cache(maxsize=8)
def shared_casebook(settings: Settings) -> "Casebook":
    """The process's one Casebook for these settings: the Streamlit pages and the phone routes share it
    (one library in memory, one database pool). Keyed by settings, so tests with their own folders get
    their own."""
    return Casebook.from_settings(settings)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_learner_code() -> str:
    """A study code a student can copy from one screen to another: "K7QM-3XPA-9DHT".

    Twelve symbols from the join-code alphabet (no 0/O or 1/I; 60 bits), in groups of four.
    Longer codes from before stay valid (`is_learner_code`).
    """
    symbols = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(12))
    return "-".join(symbols[i:i + 4] for i in range(0, 12, 4))


class Casebook:
    def __init__(self, cases_dir: Path | str, database_url: str, index_file: Path | None = None, *,
                 public_url: str | None = None):
        """`index_file` keeps the checked cases across restarts (see casebook.case_index); None keeps nothing."""
        self.cases_dir = Path(cases_dir)
        self.public_url = public_url
        self.library = CaseIndex(self.cases_dir, index_file)
        self.engine = make_engine(database_url)
        self.progress = ProgressStore(self.engine)
        self.reviews = ReviewQueue(self.engine)
        self.polls = PollStore(self.engine)
        self.screen = ScreenSettings(self.engine, self.polls)
        self.boards = BoardStore(self.engine)
        self.room_boards = RoomBoardStore(self.engine)

    @classmethod
    def from_settings(cls, settings: "Settings | None" = None) -> "Casebook":
        settings = settings or Settings.from_env()
        return cls(settings.cases_dir, settings.database_url,
                   index_file_for(settings.cases_dir, settings.database_url, ROOT), public_url=settings.public_url)

    # --- library ------------------------------------------------------------------------------

    @property
    def cases(self) -> Mapping[str, Case]:
        """Every available case, each read from its file when looked up; browse with `cards`."""
        return self.library.cases

    @property
    def cards(self) -> dict[str, CaseCard]:
        """What the library shows of every available case, by id (no case is read for it)."""
        return self.library.cards

    def case(self, case_id: str) -> Case | None:
        return self.library.case(case_id)

    @staticmethod
    def case_id_from_address(text: str | None) -> str:
        """The case id in a page address as people type or paste it (`Painful-Wasted-Leg `): ids are
        lower case, so the match ignores case and surrounding spaces."""
        return str(text or "").strip().lower()

    def case_info(self, case_id: str) -> CaseInfo | None:
        """A case's metadata for a student's page; its content comes through `visible`."""
        case = self.case(case_id)
        return case_info(case) if case else None

    def case_dir(self, case_id: str) -> Path:
        f = self.library.entry_for(case_id)
        return f.folder if f else self.cases_dir / case_id

    def case_hash(self, case_id: str) -> str:
        self.case(case_id)  # a case not opened since the start is checked now, and gets its hash
        f = self.library.entry_for(case_id)
        return f.content_hash if f else ""

    # --- attempts -----------------------------------------------------------------------------

    def attempt_for(self, learner: str, case_id: str, now: datetime | None = None) -> Attempt:
        """The learner's latest attempt at the case, starting one if there is none."""
        self._require_case(case_id)
        existing = self.progress.latest_attempt(learner, case_id)
        if existing is not None:
            return existing
        return self.progress.create_attempt(learner, case_id, self.case_hash(case_id), now or utcnow())

    def restart(self, learner: str, case_id: str, now: datetime | None = None, *,
                seen_attempt_id: str | None = None) -> Attempt:
        """A new attempt at the case; earlier attempts and their results are kept. With `seen_attempt_id`
        (the attempt the student's window showed), a second window pressing it again, or a press sent
        twice, does not start yet another attempt: it gets the one already started."""
        self._require_case(case_id)
        if seen_attempt_id is not None:
            latest = self.progress.latest_attempt(learner, case_id)
            if latest is not None and latest.id != seen_attempt_id:
                return latest
        return self.progress.create_attempt(learner, case_id, self.case_hash(case_id), now or utcnow())

    def attempt_history(self, learner: str, case_id: str) -> list[AttemptResult]:
        """Each attempt the learner made at the case, oldest first, numbered from 1, with its score."""
        case = self._require_case(case_id)
        return [AttemptResult(n, a.started_at, a.finished_at, points, case.max_points, a.stage_index, a.id)
                for n, (a, points) in enumerate(self.progress.attempts_with_points(learner, case_id), start=1)]

    def has_progress(self, learner: str) -> bool:
        """Whether anything is saved under a study code: an attempt at a case, or a question to review."""
        return is_learner_code(learner) and (self.progress.has_attempts(learner) or self.reviews.has_cards(learner))

    def check_typed_code(self, typed: str, current: str) -> TypedCode:
        """What a study code typed in the switch box does (see casebook.progress.check_typed_code)."""
        return check_typed_code(typed, current, self.has_progress)

    def attempt(self, attempt_id: str) -> Attempt:
        found = self.progress.get_attempt(attempt_id)
        if found is None:
            raise AttemptGone(attempt_id)
        return found

    def visible(self, attempt: Attempt, audience: str = "student") -> VisibleCase:
        return visible_case(self._require_case(attempt.case_id), attempt, audience)  # type: ignore[arg-type]

    def answer(
        self,
        attempt_id: str,
        question_id: str,
        response: Any,
        confidence: Confidence | None,
        *,
        gave_up: bool = False,
        now: datetime | None = None,
        require_confidence: bool = False,
    ) -> AnswerRecord:
        """Record an answer. With `require_confidence`, a missing rating is refused together with
        anything wrong in the response, in one InvalidResponse."""
        attempt = self.attempt(attempt_id)
        case = self._require_case(attempt.case_id)
        question = self._current_question(case, attempt, question_id)
        hint_used = question_id in attempt.hints
        if not gave_up:
            # What the student's work so far says (a work-up: the tests ordered), whatever a window sends.
            response = kind_of(question).self_study_response(question, response, attempt.orders.get(question_id, ()))
            if problems := answer_problems(question, response, confidence, require_confidence=require_confidence):
                raise InvalidResponse(problems_sentence(problems))
        if gave_up:
            record = AnswerRecord(question_id, None, 0.0, 0.0, question.points, False, True, hint_used,
                                  confidence, now or utcnow())
        else:
            g = grade(question, response)  # raises InvalidResponse with a message for the student
            record = AnswerRecord(
                question_id, check_response(question, response), g.fraction,
                points_earned(question, g.fraction, hint_used=hint_used), question.points, g.correct, False,
                hint_used, confidence, now or utcnow(),
            )
        stored = self.progress.save_answer(attempt_id, record)
        if stored is record:  # a first answer, not a retried submission
            self.reviews.add_missed(attempt.learner, case.id, stored)
        return stored

    def order_test(self, attempt_id: str, question_id: str, test_id: Any, now: datetime | None = None) -> Attempt:
        """Order one more test on the open investigation question; its result is then part of the student's view."""
        attempt = self.attempt(attempt_id)
        question = self._current_question(self._require_case(attempt.case_id), attempt, question_id)
        kind = kind_of(question)
        if question_id in attempt.answers:
            raise NotAllowed("this work-up is finished")
        done = attempt.orders.get(question_id, ())
        limit = getattr(question, "max_orders", None)
        if not self.progress.order_test(attempt_id, question_id, kind.check_order(question, done, test_id),
                                        now or utcnow(), limit=limit):
            # Another window's order landed after this one read the attempt: the same refusal as a full menu.
            kind.check_order(question, tuple(self.attempt(attempt_id).orders.get(question_id, ())), test_id)
            raise InvalidResponse(f"you have ordered the {limit} tests this question allows")
        return self.attempt(attempt_id)

    def take_hint(self, attempt_id: str, question_id: str, now: datetime | None = None) -> str:
        attempt = self.attempt(attempt_id)
        question = self._current_question(self._require_case(attempt.case_id), attempt, question_id)
        if question.hint is None:
            raise NotAllowed("this question has no hint")
        if question_id not in attempt.answers:
            self.progress.take_hint(attempt_id, question_id, now or utcnow())
        return question.hint

    def reveal_next(self, attempt_id: str, now: datetime | None = None) -> Attempt:
        """Open the next stage, or finish the case after the last one, once the current stage is answered."""
        attempt = self.attempt(attempt_id)
        case = self._require_case(attempt.case_id)
        if attempt.finished:
            return attempt
        stage = case.stages[attempt.stage_index]
        if not stage_questions_done(stage, attempt):
            raise NotAllowed("answer this stage's question (or give up on it) before moving on")
        if attempt.stage_index + 1 < len(case.stages):
            self.progress.set_stage(attempt_id, attempt.stage_index + 1)
            # What was just written, without reading the attempt (and its answers) back a second time.
            return replace(attempt, stage_index=attempt.stage_index + 1)
        self.progress.finish(attempt_id, now or utcnow())
        return self.attempt(attempt_id)

    # --- the differential board ------------------------------------------------------------------

    def board(self, attempt: Attempt) -> BoardView | None:
        """The student's board for their page (None for a case without one); the expert's trace only
        once the case is finished."""
        return visible_board(self._require_case(attempt.case_id), attempt, self.boards.records(attempt.id))

    def change_board(self, attempt_id: str, change: BoardChange, now: datetime | None = None) -> None:
        """Apply a change to the board at the attempt's current stage (BoardError says why not)."""
        attempt = self.attempt(attempt_id)
        change = check_change(self._require_case(attempt.case_id), attempt, change)
        self.boards.change(attempt_id, attempt.stage_index, change, now or utcnow())

    def board_request(self, attempt_id: str, kind: Any, diagnosis: str | None, *, typed: str | None = None,
                      confidence: Any = None, ref: str | None = None, now: datetime | None = None) -> None:
        """A change as chosen on the page: a typed diagnosis is matched against the board's names first."""
        attempt = self.attempt(attempt_id)
        change = make_change(self._require_case(attempt.case_id), kind, diagnosis, typed=typed,
                             confidence=confidence, ref=ref)
        self.change_board(attempt_id, change, now)

    def learner_status(self, learner: str) -> dict[str, Attempt]:
        return self.progress.learner_status(learner)

    def learner_history(self, learner: str, tz: tzinfo = timezone.utc) -> LearnerHistory:
        """Everything the learner has answered, for the Progress page, with times in their zone `tz`."""
        return build_history(self.progress.learner_attempts(learner), self.case, tz)

    def delete_profile(self, learner: str) -> ProfileCounts:
        """Delete every attempt, answer, hint and review question stored under the study code."""
        return self.progress.delete_learner(learner)

    def card_points(self, status: dict[str, Attempt]) -> dict[str, str]:
        """The points of each started case (`learner_status`) in words for its library card."""
        totals = self.progress.points_of_attempts([a.id for a in status.values()])
        shown = {case_id: card_points_text(finished=a.finished, earned=totals[a.id][0], possible=totals[a.id][1])
                 for case_id, a in status.items() if a.id in totals}
        return {case_id: text for case_id, text in shown.items() if text}

    # --- live class polls ---------------------------------------------------------------------------

    def control_poll(self, session_id: str, key: str, action: str, now: datetime | None = None,
                     expected_version: int | None = None) -> PollSession:
        """A lecturer's action on a class session (`expected_version`: the version their screen showed).
        On a reveal, everyone who joined with a study code and answered wrongly gets the question in
        their own spaced review."""
        now = now or utcnow()
        session = self.polls.get(session_id)
        case = self._require_case(session.case_id) if session else None
        if session is None or case is None:
            raise KeyError(session_id)
        after = self.polls.control(session_id, key, case, action, now, expected_version)
        if after.phase == Phase.revealed and after.question_id and session.phase != Phase.revealed:
            question = case.question(after.question_id)
            for learner, response in self.polls.linked_responses(session_id, question.id).items():
                g = grade(question, response)
                record = AnswerRecord(question.id, response, g.fraction, points_earned(question, g.fraction, hint_used=False),
                                      question.points, g.correct, False, False, None, now)
                self.reviews.add_missed(learner, case.id, record)
        return after

    def hold_room_board(self, code: str, token: str, stage_index: Any, picks: Any, now: datetime | None = None) -> list[str]:
        """A phone's differential board at the current stage (PollError says why not): only while the
        room's board is open at that stage; it can change until the lecturer shows the room's board."""
        now = now or utcnow()
        session = self.polls.by_code(code)
        if session is None or session.expired(now) or session.phase == Phase.ended:
            raise PollError("this session has ended")
        who = self.polls.participant(session.id, token)
        if who is None:
            raise NotJoined("join the session first")
        if who["removed"]:
            raise Removed("the lecturer has removed you from this session")
        case = self._require_case(session.case_id)
        if session.board != BoardPhase.open or stage_index != session.stage_index or isinstance(stage_index, bool):
            raise PollError("the room's board is closed")
        try:
            picks = check_picks(case, picks)
        except BoardPickError as exc:
            raise PollError(str(exc)) from None
        if not self.room_boards.hold(session.id, token, session.stage_index, picks, now):
            raise PollError("the room's board is closed")
        return picks

    # --- spaced review of missed questions ------------------------------------------------------

    def due_reviews(self, learner: str, now: datetime | None = None) -> list[tuple[DueReview, Stage, Question]]:
        """Missed questions due for review, with the stage they belong to (already seen by the learner)."""
        out = []
        for due in self.reviews.due(learner, now or utcnow()):
            case = self.case(due.case_id)
            stage = next((s for s in case.stages if any(q.id == due.question_id for q in s.questions)), None) if case else None
            if stage is not None:
                out.append((due, stage, case.question(due.question_id)))
        return out

    def queued_reviews(self, learner: str) -> list[tuple[Case, Stage, Question]]:
        """Every question in the learner's review queue, due or not, with its case and stage (soonest due
        first); questions whose case or question is no longer in the library are left out."""
        out = []
        for queued in self.reviews.upcoming(learner):
            case = self.case(queued.case_id)
            stage = next((s for s in case.stages if any(q.id == queued.question_id for q in s.questions)), None) if case else None
            if stage is not None:
                out.append((case, stage, case.question(queued.question_id)))
        return out

    def review_due_dates(self, learner: str, case_id: str, question_ids: list[str]) -> list[datetime]:
        """When each of these questions of the case comes back on the learner's Review page (questions not
        in the queue are left out)."""
        wanted = set(question_ids)
        return [q.due for q in self.reviews.upcoming(learner) if q.case_id == case_id and q.question_id in wanted]

    def review_answer(self, learner: str, case_id: str, question_id: str, response: Any,
                      confidence: Confidence | None, now: datetime | None = None) -> tuple[Grade, datetime]:
        now = now or utcnow()
        question = self._require_case(case_id).question(question_id)
        g = grade(question, response)
        return g, self.reviews.record_review(learner, case_id, question_id, rating_for(g.correct, g.fraction, confidence), now)

    def review_give_up(self, learner: str, case_id: str, question_id: str, now: datetime | None = None) -> datetime:
        return self.reviews.record_review(learner, case_id, question_id, Rating.Again, now or utcnow())

    # --- helpers ------------------------------------------------------------------------------

    def _require_case(self, case_id: str) -> Case:
        case = self.case(case_id)
        if case is None:
            raise KeyError(case_id)
        return case

    @staticmethod
    def _current_question(case: Case, attempt: Attempt, question_id: str):
        if attempt.finished:
            raise NotAllowed("this attempt is finished")
        stage = case.stages[attempt.stage_index]
        question = next((q for q in stage.questions if q.id == question_id), None)
        if question is None:
            raise NotAllowed("that question is not open at this stage")
        return question
