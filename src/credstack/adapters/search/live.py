"""The process's index: loaded or built at start, kept current, saved at the end.

At start (:meth:`LiveIndex.start`), the saved index is loaded if it reflects the store — its
*store generation* (published version rows, organisations, their latest change) equals the
store's — and rebuilt from the store otherwise, then saved. A demo store builds in well under
a second; a million programmes take minutes, which is why ``credstack registry reindex``
exists: run it after a large import, before starting the service.

While the service runs, the index follows the store two ways:

* **Its own writes**, immediately. The programme services call :meth:`LiveIndex.track`
  after storing a published version (and :meth:`LiveIndex.track_recognition` after a
  recognition is granted or withdrawn); the programme's new document is read in the
  service's transaction and goes into the index when — and only if — that transaction
  commits (a SQLAlchemy ``after_commit`` hook), before the response is sent. The index's
  store generation moves by the one version published, so it still equals the store's.
* **Everyone else's** (``credstack mc import``, ``demo load``, another process, an
  organisation renamed): a background thread compares the store's generation with the
  index's every :data:`CHECK_SECONDS` and rebuilds when they differ, serving the old index
  meanwhile and swapping in the new one whole. A concurrent write the index did not see
  therefore costs a rebuild, never a missed programme.
* **Time**: a recognition that expires (or, dated ahead, begins) changes the programme's
  ``recognition`` facet with no write at all. The same check re-indexes the programmes whose
  recognitions crossed such a boundary since the index last looked, so the facet is at most
  :data:`CHECK_SECONDS` behind the programme page and verification, which read the store.

The index is saved after each rebuild and at shutdown (when updates were made), so the next
start loads instead of building.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.repositories import recognitions as recognition_store
from credstack.adapters.search import files
from credstack.adapters.search.index import SearchIndex
from credstack.adapters.search.store import (
    BuildProgress,
    build_from_store,
    document_for,
    store_generation,
    with_recognition_change,
)
from credstack.settings import Settings

__all__ = ["CHECK_SECONDS", "LiveIndex"]

log = logging.getLogger("credstack.search")

#: How often the store is compared with the index, in seconds.
CHECK_SECONDS: Final = 10.0


def _quiet(done: int, total: int) -> None:
    del done, total


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class LiveIndex:
    """One store's index, kept current (see the module's description)."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session], *,
                 check_seconds: float = CHECK_SECONDS,
                 clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self.settings = settings
        self.sessions = sessions
        self.index = SearchIndex()
        self.check_seconds = check_seconds
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rebuild = threading.Lock()
        self._saved_updates = 0
        #: Loaded or built at least once (an empty store's empty index included).
        self._ready = False
        #: When the index's recognition facet was last brought up to date with the clock.
        self._recognitions_at: dt.datetime | None = None

    # --- life cycle -------------------------------------------------------------------

    def start(self) -> None:
        """Load or build the index, then watch the store."""
        self.refresh()
        if self.check_seconds > 0 and self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._watch, name="registry-index",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop watching; save the index if it changed since it was saved."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        if self.index.data.updates != self._saved_updates:
            try:
                self._save()
            except Exception:  # Saving is an optimisation; a failure costs a rebuild.
                log.exception("could not save the registry index")

    def _watch(self) -> None:
        while not self._stop.wait(self.check_seconds):
            try:
                self.refresh()
            except Exception:
                log.exception("could not bring the registry index up to date")

    # --- keeping current --------------------------------------------------------------

    def refresh(self, *, force: bool = False, progress: BuildProgress | None = None) -> bool:
        """Bring the index up to date with the store; True when it was replaced."""
        with self._rebuild:
            with self.sessions() as session:
                current = store_generation(session)
            if not force and self._ready and self.index.store_generation == current:
                self._follow_the_clock()
                return False
            if not force:
                header = files.read_header(self.settings.data_dir)
                if header is not None and files.header_generation(header) == current:
                    loaded = files.load(self.settings.data_dir)
                    if loaded is not None:
                        self.index.replace(loaded)
                        self._saved_updates = loaded.updates
                        self._ready = True
                        self._recognitions_at = _stamp(header.get("built_at"))
                        self._follow_the_clock()
                        return True
            self.rebuild(progress=progress)
            return True

    def _follow_the_clock(self) -> None:
        """Re-index the programmes whose recognitions began or expired since the facet was
        last brought up to date (all of them when that time is unknown: a rebuild)."""
        now = self._clock()
        since = self._recognitions_at
        if since is None:
            self.rebuild()
            return
        if now <= since:
            return
        with self.sessions() as session:
            changed = recognition_store.validity_boundaries(session, after=since, until=now)
            documents = [document_for(session, programme_id, now=now)
                         for programme_id in sorted(changed)]
        for document in documents:
            if document is not None:
                self.index.upsert(document, replace=True,
                                  store_generation=self.index.store_generation)
        self._recognitions_at = now

    def rebuild(self, *, progress: BuildProgress | None = None) -> None:
        """Build the index from the store, serve it and save it (an empty one is not
        saved, unless it replaces a saved index)."""
        secret = files.secret_for(self.settings.data_dir)
        now = self._clock()
        with self.sessions() as session:
            data = build_from_store(session, secret=secret, progress=progress or _quiet,
                                    now=now)
        self.index.replace(data)
        self._ready = True
        self._recognitions_at = now
        if data.documents or files.read_header(self.settings.data_dir) is not None:
            self._save()

    def _save(self) -> None:
        with self.index.lock:
            data = self.index.data
            # ``built_at`` is when the recognition facet was last current: a later start
            # that loads this file re-indexes what began or expired after it.
            stamp = self._recognitions_at or self._clock()
            files.save(data, self.settings.data_dir, built_at=stamp.isoformat())
            self._saved_updates = data.updates

    def track(self, session: Session, programme_id: int) -> None:
        """Index the programme's newest published version once ``session`` commits.

        Call it after a version of the programme was published in ``session``'s transaction.
        """
        self._reindex_on_commit(session, programme_id, now=None, replace=False,
                                generation=lambda old: (old[0] + 1, *old[1:]))

    def track_recognition(self, session: Session, programme_id: int) -> None:
        """Re-index the programme once ``session`` commits: a recognition of it was granted
        or withdrawn in the transaction (the store generation moves by that one decision)."""
        self._reindex_on_commit(session, programme_id, now=self._clock(), replace=True,
                                generation=with_recognition_change)

    def track_skills(self, session: Session, programme_id: int) -> None:
        """Re-index the programme once ``session`` commits: its alignments changed in the
        transaction (issue 17). The store generation is read again after the commit."""
        sessions = self.sessions

        def fresh(_old: Any) -> Any:
            with sessions() as reading:
                return store_generation(reading)

        self._reindex_on_commit(session, programme_id, now=self._clock(), replace=True,
                                generation=fresh)

    def track_visibility(self, session: Session, programme_id: int) -> None:
        """Take the programme out of the index, or put it back, once ``session`` commits: the
        operator hid it or showed it again in the transaction."""
        try:
            document = document_for(session, programme_id, now=self._clock())
        except Exception:
            log.exception("could not read programme %s for the registry index", programme_id)
            return
        index, sessions = self.index, self.sessions

        def apply(_session: Any) -> None:
            try:
                with sessions() as reading:
                    generation = store_generation(reading)
                if document is None:
                    index.remove(programme_id, store_generation=generation)
                else:
                    index.upsert(document, replace=True, store_generation=generation)
            except Exception:
                log.exception("could not index programme %s", programme_id)

        event.listen(session, "after_commit", apply, once=True)

    def _reindex_on_commit(self, session: Session, programme_id: int, *,
                           now: dt.datetime | None, replace: bool,
                           generation: Callable[[Any], Any]) -> None:
        try:
            document = document_for(session, programme_id, now=now)
        except Exception:
            log.exception("could not read programme %s for the registry index", programme_id)
            return
        if document is None:
            return
        index = self.index

        def apply(_session: Any) -> None:
            try:
                index.upsert(document, replace=replace,
                             store_generation=generation(index.store_generation))
            except Exception:
                log.exception("could not index programme %s", programme_id)

        event.listen(session, "after_commit", apply, once=True)


def _stamp(text: object) -> dt.datetime | None:
    """A saved index's ``built_at``; None when missing or unreadable (an older file)."""
    if not isinstance(text, str):
        return None
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else None
