"""The audit chain: appended in the writer's transaction, and any tampering is detected."""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlmodel import Session, select

from registry.audit.chain import append, entry_hash, verify


def add(session, n=3):
    for i in range(n):
        append(
            session,
            actor="reg@example.org",
            actor_id=1,
            action="licence.suspend",
            entity="licence",
            entity_id=i,
            agency_id=7,
            before={"status": "active"},
            after={"status": "suspended"},
        )
    session.commit()


def test_intact_chain_verifies(runner, session):
    add(session)
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0 and "3 entries checked" in result.output


def test_edited_entry_is_detected(runner, session):
    add(session)
    session.exec(text('UPDATE audit_entry SET after = \'{"status":"active"}\' WHERE seq = 2'))
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
    append(
        session,
        actor="x",
        actor_id=None,
        action="a",
        entity="e",
        entity_id=None,
        agency_id=None,
        before={},
        after={},
    )
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


def _rewrite_with(session, digest) -> None:
    """What someone with the database but not the key would do: change an entry, then recompute
    every hash after it (and the head) so that the chain links up again."""
    from registry.models import AuditEntry, AuditHead

    session.exec(text("UPDATE audit_entry SET actor = 'nobody@example.org' WHERE seq = 2"))
    session.commit()
    previous = "0" * 64
    for entry in session.exec(select(AuditEntry).order_by(AuditEntry.seq)).all():
        entry.prev_hash = previous
        entry.hash = previous = digest(entry)
        session.add(entry)
    head = session.get(AuditHead, 1)
    head.last_hash = previous
    session.add(head)
    session.commit()


def test_a_chain_rewritten_with_recomputed_hashes_is_detected(runner, session):
    add(session, 4)
    _rewrite_with(session, lambda entry: entry_hash(entry, None))  # plain SHA-256, no key
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code != 0
    assert "entry 1: its content was changed after it was written" in result.output


def test_a_chain_rewritten_under_another_key_is_detected(runner, session):
    add(session, 4)
    _rewrite_with(session, lambda entry: entry_hash(entry, b"a key guessed by the forger"))
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code != 0 and "entry 2: its content was changed" in result.output


def test_a_truncated_chain_is_detected_by_an_anchor_kept_elsewhere(runner, session):
    add(session, 3)
    kept = runner.invoke(args=["audit-head"]).output.split()[0]  # "3:<hash>", kept elsewhere
    assert kept.startswith("3:") and len(kept) == 2 + 64
    assert runner.invoke(args=["verify-audit", "--anchor", kept]).exit_code == 0
    add(session, 2)
    assert runner.invoke(args=["verify-audit", "--anchor", kept]).exit_code == 0
    # The newest entries removed and the head moved back: a valid, shorter chain...
    from registry.models import AuditEntry, AuditHead

    session.exec(text("DELETE FROM audit_entry WHERE seq >= 3"))
    second = session.exec(select(AuditEntry).where(AuditEntry.seq == 2)).one()
    head = session.get(AuditHead, 1)
    head.seq, head.last_hash = 2, second.hash
    session.add(head)
    session.commit()
    assert runner.invoke(args=["verify-audit"]).exit_code == 0
    # ...that no longer holds the anchor.
    result = runner.invoke(args=["verify-audit", "--anchor", kept])
    assert result.exit_code != 0
    assert "entry 3: an anchor was kept for it, but the chain ends at entry 2" in result.output
    bad = runner.invoke(args=["verify-audit", "--anchor", "three"])
    assert bad.exit_code == 2 and "SEQ:HASH" in bad.output


def test_init_db_rekeys_a_chain_written_before_the_key(runner, session):
    """A chain of plain SHA-256 (before migration 0011) is verified, then rehashed with the key;
    a broken one is left as it is, and said so."""
    from registry.models import AuditHead

    head = session.get(AuditHead, 1)
    head.scheme = 1
    session.add(head)
    session.commit()
    add(session, 3)
    assert runner.invoke(args=["verify-audit"]).exit_code == 0
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "rekeyed 3 entries" in result.output
    session.expire_all()
    assert session.get(AuditHead, 1).scheme == 2
    assert verify(session) == (4, [])  # and the rekeying is itself audited
    _rewrite_with(session, lambda entry: entry_hash(entry, None))
    assert runner.invoke(args=["verify-audit"]).exit_code != 0
