"""The audit chain: appended in the writer's transaction, and any tampering is detected."""
from __future__ import annotations

import threading

from sqlalchemy import text
from sqlmodel import Session

from registry.audit.chain import append, verify


def add(session, n=3):
    for i in range(n):
        append(session, actor="reg@example.org", actor_id=1, action="licence.suspend",
               entity="licence", entity_id=i, agency_id=7, before={"status": "active"},
               after={"status": "suspended"})
    session.commit()


def test_intact_chain_verifies(runner, session):
    add(session)
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0 and "3 entries checked" in result.output


def test_edited_entry_is_detected(runner, session):
    add(session)
    session.exec(text("UPDATE audit_entry SET after = '{\"status\":\"active\"}' WHERE seq = 2"))
    session.commit()
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code != 0
    assert "entry 2: its content was changed after it was written" in result.output


def test_deleted_entry_is_detected(runner, session):
    add(session)
    session.exec(text("DELETE FROM audit_entry WHERE seq = 2"))
    session.commit()
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code != 0 and "entry 3" in result.output


def test_deleting_the_newest_entries_is_detected(session):
    add(session)
    session.exec(text("DELETE FROM audit_entry WHERE seq = 3"))
    session.commit()
    count, problems = verify(session)
    assert count == 2 and any("last entries were removed" in str(p) for p in problems)


def test_rolled_back_write_leaves_no_entry(session):
    add(session, 1)
    append(session, actor="x", actor_id=None, action="a", entity="e", entity_id=None,
           agency_id=None, before={}, after={})
    session.rollback()
    add(session, 1)
    count, problems = verify(session)
    assert (count, problems) == (2, [])


def test_concurrent_writers_do_not_fork_the_chain(app):
    engine = app.extensions["registry.engine"]

    def writer():
        for _ in range(10):
            with Session(engine) as session:
                add(session, 1)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as session:
        count, problems = verify(session)
    assert (count, problems) == (40, [])
