"""Drains the outbox into the Whoosh index, and rebuilds the index from the database.

Any process may drain: the first to take the Whoosh lock does the work, the others return at once
and leave the rows for it. An outbox row is deleted only after the index committed its agency.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from registry.models import Agency, IndexOutbox
from registry.search.documents import collector_paused, document_batches, documents_for
from registry.search.whoosh_index import SearchIndex

log = logging.getLogger(__name__)


def pending(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(IndexOutbox)).one()


def _waiting(engine: Engine) -> bool:
    with Session(engine) as session:
        return session.exec(select(IndexOutbox.id).limit(1)).first() is not None


def problem(engine: Engine, index: SearchIndex) -> str | None:
    """What keeps the index from answering as the database would: files that cannot be read,
    or no document at all while the database holds public agencies and none waits in the
    outbox (the folder was deleted, or recreated empty)."""
    found = index.problem()
    if found is None and index.doc_count() == 0:
        with Session(engine) as session:
            listed = session.exec(
                select(Agency.id).where(Agency.listing == "registry").limit(1)
            ).first()
        if listed is not None and not _waiting(engine):
            found = "empty, while the database holds agencies"
    return found


def repair(engine: Engine, index: SearchIndex) -> int | None:
    """Rebuild the index from the database if it cannot answer (`problem`); the agencies
    indexed, or None when it could (or another process holds the lock)."""
    found = problem(engine, index)
    if found is None:
        return None
    counted: list[int] = []
    if not index.repair(lambda: counted.append(rebuild(engine, index))):
        return None
    log.warning(
        "the search index could not answer (%s); rebuilt it from the database",
        found,
        extra={"agencies": counted[0]},
    )
    return counted[0]


def drain(engine: Engine, index: SearchIndex, *, batch: int = 500, timeout: float = 0.0) -> int:
    """Index every agency waiting in the outbox; return how many rows were done.

    Returns 0 without waiting (beyond `timeout`) when another process holds the index lock.
    """
    done = 0
    while True:
        if not _waiting(engine):  # an idle indexer opens no writer (each leaves files behind)
            return done
        writer = index.try_writer(timeout=timeout)
        if writer is None:
            return done
        with Session(engine) as session:
            rows = session.exec(select(IndexOutbox).order_by(IndexOutbox.id).limit(batch)).all()
            if not rows:  # another process drained them meanwhile
                index.discard(writer)
                return done
            agency_ids = sorted({r.agency_id for r in rows})
            documents = documents_for(session, agency_ids)
            try:
                for agency_id in agency_ids:
                    if agency_id in documents:
                        index.put(writer, documents[agency_id])
                    else:  # deleted, or a reported name not yet substantiated
                        index.remove(writer, agency_id)
                writer.commit()
            except BaseException:
                index.discard(writer)
                raise
            session.exec(delete(IndexOutbox).where(IndexOutbox.id.in_([r.id for r in rows])))
            session.commit()
            done += len(rows)


def rebuild(
    engine: Engine,
    index: SearchIndex,
    *,
    progress: Callable[[int], None] = lambda n: None,
    timeout: float = 60.0,
) -> int:
    """Replace the whole index with documents built from the database; return the agency count.
    Its postings may take 512 MB before they are sorted on disk (a tenth of the time at 100,000
    agencies)."""
    writer = index.try_writer(timeout=timeout, limitmb=512, rebuilding=True)
    if writer is None:
        raise RuntimeError("the search index is locked by another process")
    with Session(engine) as session, collector_paused():
        started_at = session.exec(select(func.max(IndexOutbox.id))).one() or 0
        count = 0
        try:
            for read, documents in document_batches(session, 1000):
                count += index.add_all(writer, documents)
                progress(read)
            index.commit_replacing_all(writer)
        except BaseException:
            index.discard(writer)
            raise
        # Changes that were waiting before the rebuild began are in it now.
        session.exec(delete(IndexOutbox).where(IndexOutbox.id <= started_at))
        session.commit()
    return count


def compact(index: SearchIndex, *, timeout: float = 60.0) -> bool:
    """Merge the index into one segment (after a bulk import): lookups read one segment, not
    many. Returns False when another process held the lock for `timeout` seconds."""
    writer = index.try_writer(timeout=timeout)
    if writer is None:
        return False
    index.commit_optimized(writer)
    return True


REPAIR_EVERY = 10  # turns of the indexer between two looks at whether the index can be read


class BackgroundIndexer:
    """A daemon thread that drains the outbox into a search backend every `interval` seconds,
    then runs the other background jobs (`jobs`: name -> function; see registry.jobs)."""

    def __init__(self, backend, interval: float, jobs: dict | None = None):
        self.backend, self.interval, self.jobs = backend, interval, jobs or {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="registry-indexer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        turns = 0
        while not self._stop.wait(self.interval):
            try:
                if turns % REPAIR_EVERY == 0:
                    self.backend.repair()
                self.backend.drain()
            except Exception:  # keep serving; the rows stay in the outbox for the next turn
                log.exception("updating the search index failed")
            run_jobs(self.jobs)
            turns += 1


def run_jobs(jobs: dict) -> None:
    """Run each background job once; one that fails is logged and tried again next turn."""
    for name, job in jobs.items():
        try:
            job()
        except Exception:  # noqa: BLE001 - the job's own state says what is left to do
            log.exception("background job %s failed", name)
