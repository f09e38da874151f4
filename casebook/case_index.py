"""The case library as the app holds it: a card per case for browsing, the full case read only when opened.

Validating a case file takes milliseconds; a library of thousands would take minutes to start. So the
index keeps, per case folder, the fingerprint of its files, its card (what the library shows) and its
problems, in a cache file that survives a restart: an unchanged folder is not read again. A folder
that is new or changed gets its card from a quick read of its top-level fields and is then validated
in full in the background; a case is always validated in full before a student gets it, so a broken
file is never played, only listed until its check has run.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping

import yaml

from casebook.loader import CASE_FILE, CaseFile, Problem, load_case
from casebook.model import Case, Difficulty

log = logging.getLogger("casebook.index")

INDEX_VERSION = 1
"""Bump when what an entry holds, or how a case is validated, changes: every file is checked again."""
OPEN_CASES = 64
"""Full cases kept in memory; the others are read again from their file when opened."""
SAVE_EVERY = 500
"""Background checks between saves of the index file."""
CHECK_FIRST = 200
"""Up to this many new or changed files are checked before the library opens; more are checked in
the background (the app opens at once, each case is checked anyway before it is played)."""


def index_file_for(cases_dir: Path, database_url: str, root: Path) -> Path:
    """Where the index of a case folder is kept: beside an SQLite database, else in `root`/data."""
    folder = root / "data"
    if database_url.startswith("sqlite:///") and database_url != "sqlite:///:memory:":
        folder = Path(database_url.removeprefix("sqlite:///")).parent
    tag = hashlib.sha256(str(Path(cases_dir).resolve()).encode()).hexdigest()[:10]
    return folder / f"case-index-{tag}.pickle"


@dataclass(frozen=True)
class CaseCard:
    """What the library shows of a case (never its stages), and what search and filters look at."""

    id: str
    title: str
    summary: str
    specialty: tuple[str, ...]
    body_region: tuple[str, ...]
    difficulty: Difficulty
    tags: tuple[str, ...]
    minutes: int

    @classmethod
    def of(cls, case: Case) -> "CaseCard":
        return cls(case.id, case.title, case.summary, tuple(case.specialty), tuple(case.body_region),
                   case.difficulty, tuple(case.tags), case.minutes)

    def searchable_text(self) -> str:
        """The same text as `Case.searchable_text`: only what a card shows."""
        parts = [self.title, self.summary, *self.specialty, *self.body_region, *self.tags]
        return re.sub(r"\s+", " ", " ".join(parts)).lower()


@dataclass(frozen=True)
class Entry:
    """One case folder in the index. `checked` is False while only its card has been read."""

    folder: Path
    fingerprint: str
    content_hash: str = ""
    card: CaseCard | None = None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    checked: bool = False

    @property
    def ok(self) -> bool:
        return self.card is not None and not self.errors

    @property
    def case_id(self) -> str:
        return self.card.id if self.card else self.folder.name

    def as_case_file(self) -> CaseFile:
        return CaseFile(self.folder, None, list(self.errors), list(self.warnings), self.content_hash)


def fingerprint(folder: Path) -> tuple[str, tuple]:
    """(content hash of the folder's YAML files, their names, sizes and modification times).

    The second part is cheap (no file is read) and decides whether the first must be computed again.
    """
    stats = _stats(str(folder))
    digest = hashlib.sha256()
    for name, _, _ in stats:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return digest.hexdigest(), stats


def _stats(folder: str) -> tuple:
    try:
        with os.scandir(folder) as found:
            return tuple(sorted((e.name, st.st_size, st.st_mtime_ns) for e in found
                                if e.name.endswith(".yaml") and e.is_file() for st in [e.stat()]))
    except OSError:
        return ()


# --- the quick card: top-level fields only -------------------------------------------------------

_TOP_LINE = re.compile(r"\n(?=[A-Za-z_])")  # a line that starts a top-level key
_CARD_KEYS = {"id", "title", "summary", "specialty", "body_region", "difficulty", "tags", "minutes"}


class _Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):
    pass


def quick_card(text: str) -> CaseCard | None:
    """The card of a case file from its top-level card fields alone (stages are not parsed), or None
    when the file does not look like a plain case file; the full check decides in every case."""
    chunks = _TOP_LINE.split(text)
    wanted = [c for c in chunks if c[:c.find(":")].strip() in _CARD_KEYS]
    try:
        data = yaml.load("\n".join(wanted), Loader=_Loader)
        return CaseCard(
            id=str(data["id"]), title=str(data["title"]), summary=str(data["summary"]),
            specialty=tuple(map(str, data["specialty"])), body_region=tuple(map(str, data["body_region"])),
            difficulty=Difficulty(data["difficulty"]), tags=tuple(map(str, data.get("tags") or ())),
            minutes=int(data["minutes"]),
        )
    except Exception:  # anything unusual: leave it to the full check
        return None


def checked_entry(folder: Path, digest: str, stats: tuple, loaded: CaseFile) -> Entry:
    card = CaseCard.of(loaded.case) if loaded.case is not None else None
    return Entry(folder, digest, loaded.content_hash, card, tuple(loaded.errors), tuple(loaded.warnings), True)


# Kept as plain tuples: a pickle of ten thousand of them loads several times faster than of objects.

def _pack(e: Entry) -> tuple:
    card = e.card
    return (e.fingerprint, e.content_hash,
            None if card is None else (card.id, card.title, card.summary, card.specialty, card.body_region,
                                       card.difficulty.value, card.tags, card.minutes),
            tuple((p.file, p.line, p.field, p.message, p.severity) for p in e.errors),
            tuple((p.file, p.line, p.field, p.message, p.severity) for p in e.warnings))


def _unpack(folder: Path, packed: tuple) -> Entry:
    digest, content_hash, card, errors, warnings = packed
    if card is not None:
        card = CaseCard(*card[:5], Difficulty(card[5]), *card[6:])
    return Entry(folder, digest, content_hash, card, tuple(Problem(*p) for p in errors),
                 tuple(Problem(*p) for p in warnings), True)


# --- the index ---------------------------------------------------------------------------------


class CaseIndex:
    """The library: cards of every case, problems of broken files, full cases on demand.

    `cache_file` keeps the checked entries across restarts (None: nothing is kept). `background`:
    check new or changed files in a background thread (True), before returning (False), or the
    first when there are more than CHECK_FIRST of them (None).
    """

    def __init__(self, cases_dir: Path, cache_file: Path | None = None, *, background: bool | None = None,
                 on_checked: Callable[[], None] | None = None):
        self.cases_dir = Path(cases_dir)
        self.cache_file = Path(cache_file) if cache_file is not None else None
        self._lock = threading.RLock()
        self._open: OrderedDict[str, tuple[str, Case]] = OrderedDict()
        self._stats: dict[str, tuple] = {}
        self._entries: dict[str, Entry] = {}
        self._on_checked = on_checked
        self._version = 0
        self._view: tuple[int, dict[str, Entry], dict[str, Problem]] | None = None
        self._scan(self._read_cache())
        todo = [name for name, e in self._entries.items() if not e.checked]
        self.pending = len(todo)
        self._checker: threading.Thread | None = None
        if background is None:
            background = len(todo) > CHECK_FIRST
        if todo and background:
            self._checker = threading.Thread(target=self._check_all, args=(todo,), name="case-index-check",
                                             daemon=True)
            self._checker.start()
        elif todo:
            self._check_all(todo)
        elif self.cache_file is not None and self._dirty:
            self._save()

    # --- building ------------------------------------------------------------------------------

    def _read_cache(self) -> dict:
        if self.cache_file is None or not self.cache_file.is_file():
            return {}
        try:
            with self.cache_file.open("rb") as fh:
                saved = pickle.load(fh)
            if saved.get("version") == INDEX_VERSION and saved.get("cases_dir") == str(self.cases_dir):
                return {name: (_unpack(self.cases_dir / name, packed), stats)
                        for name, (packed, stats) in saved["entries"].items()}
        except Exception:  # unreadable or from another version: check everything again
            log.warning("case index %s unreadable; checking every case again", self.cache_file)
        return {}

    def _scan(self, cached: dict) -> None:
        self._dirty = False
        with os.scandir(self.cases_dir) as found:
            names = sorted(e.name for e in found if e.is_dir() and not e.name.startswith((".", "_")))
        root = str(self.cases_dir)
        for name in names:
            stats = _stats(os.path.join(root, name))
            old = cached.get(name)
            if old is not None and old[1] == stats:
                entry, _ = old
            else:
                folder = self.cases_dir / name
                digest, stats = fingerprint(folder)
                if old is not None and old[0].fingerprint == digest:
                    entry = old[0]  # touched, not changed
                else:
                    entry = self._first_look(folder, digest)
                self._dirty = True
            self._entries[name] = entry
            self._stats[name] = stats
        self._version += 1
        if set(cached) - set(self._entries):
            self._dirty = True

    def _first_look(self, folder: Path, digest: str) -> Entry:
        path = folder / CASE_FILE
        try:
            card = quick_card(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            card = None
        if card is None or card.id != folder.name:  # clearly not a good file: say why at once
            return checked_entry(folder, digest, (), load_case(folder))
        return Entry(folder, digest, card=card)

    def _check_all(self, names: list[str]) -> None:
        for n, name in enumerate(names, 1):
            try:
                self._check(name)
            except Exception:
                log.exception("checking case folder %s failed", name)
            self.pending = len(names) - n
            if n % SAVE_EVERY == 0:
                self._save()
        self._save()
        if self._on_checked:
            self._on_checked()

    def _check(self, name: str) -> Entry:
        folder = self.cases_dir / name
        digest, stats = fingerprint(folder)
        loaded = load_case(folder)
        entry = checked_entry(folder, digest, stats, loaded)
        with self._lock:
            self._entries[name] = entry
            self._stats[name] = stats
            if loaded.case is not None and not loaded.errors:
                self._remember(loaded.case.id, digest, loaded.case)
            self._version += 1
        return entry

    def _current(self) -> tuple[dict[str, Entry], dict[str, Problem]]:
        """(available entries by case id, duplicate-id problems by folder name), rebuilt only after a change.

        A second folder with an id already used is unavailable; it is worked out here rather than
        stored, so removing the first folder frees the second."""
        with self._lock:
            if self._view is not None and self._view[0] == self._version:
                return self._view[1], self._view[2]
            by_id: dict[str, Entry] = {}
            dups: dict[str, Problem] = {}
            for name, e in self._entries.items():
                if not e.ok:
                    continue
                if e.card.id in by_id:
                    dups[name] = Problem(str(e.folder / CASE_FILE), 1, "id",
                                         f"id {e.card.id!r} is already used by {by_id[e.card.id].folder}")
                else:
                    by_id[e.card.id] = e
            self._view = (self._version, by_id, dups)
            return by_id, dups

    def _save(self) -> None:
        if self.cache_file is None:
            return
        with self._lock:
            entries = {name: (_pack(e), self._stats[name]) for name, e in self._entries.items() if e.checked}
        payload = {"version": INDEX_VERSION, "cases_dir": str(self.cases_dir), "entries": entries}
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_file.with_name(f"{self.cache_file.name}.{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(self.cache_file)  # atomic: another process never reads half a file
        except OSError:
            log.warning("could not write the case index %s", self.cache_file, exc_info=True)

    def wait(self, timeout: float | None = None) -> None:
        """Until the background check of new and changed files has finished (tests, benches)."""
        if self._checker is not None:
            self._checker.join(timeout)

    # --- reading -------------------------------------------------------------------------------

    @property
    def entries(self) -> list[Entry]:
        with self._lock:
            return list(self._entries.values())

    @property
    def cards(self) -> dict[str, CaseCard]:
        """Every available case's card, by case id."""
        return {case_id: e.card for case_id, e in self._current()[0].items()}

    @property
    def broken(self) -> list[CaseFile]:
        _, dups = self._current()
        out = []
        for e in self.entries:
            if e.folder.name in dups:
                out.append(CaseFile(e.folder, None, [dups[e.folder.name]], list(e.warnings), e.content_hash))
            elif not e.ok:
                out.append(e.as_case_file())
        return out

    @property
    def files(self) -> list[Entry]:
        return self.entries

    def entry_for(self, case_id: str) -> Entry | None:
        return self._current()[0].get(case_id)

    def case(self, case_id: str) -> Case | None:
        """The full case, validated; None if there is no such case or its file has problems."""
        entry = self.entry_for(case_id)
        if entry is None:
            return None
        with self._lock:
            kept = self._open.get(case_id)
            if kept is not None and kept[0] == entry.fingerprint:
                self._open.move_to_end(case_id)
                return kept[1]
        name = entry.folder.name
        checked = self._check(name)  # reads the file as it is now: an edit since the start counts
        if not checked.ok or checked.card.id != case_id:
            return None
        with self._lock:
            kept = self._open.get(case_id)
        return kept[1] if kept else None

    def _remember(self, case_id: str, digest: str, case: Case) -> None:
        self._open[case_id] = (digest, case)
        self._open.move_to_end(case_id)
        while len(self._open) > OPEN_CASES:
            self._open.popitem(last=False)

    @property
    def cases(self) -> Mapping[str, Case]:
        """Every available case by id, each read when it is looked up (mind the cost on a big library)."""
        return _LazyCases(self)


class _LazyCases(Mapping):
    def __init__(self, index: CaseIndex):
        self._index = index
        self._ids = list(index.cards)

    def __getitem__(self, case_id: str) -> Case:
        case = self._index.case(case_id)
        if case is None:
            raise KeyError(case_id)
        return case

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)
