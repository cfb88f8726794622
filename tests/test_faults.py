"""Faults: whatever state the Whoosh index folder is in, a worker boots and serves the rest of the
site, /healthz tells the truth, the indexer (or `reindex`) repairs the index, and running
workers move to the repaired one by themselves. A write that commits answers success."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from sqlmodel import func, select
from support import as_role, token

from registry import create_app
from registry.models import Agency, IndexOutbox
from registry.search import get_index
from registry.search.indexer import BackgroundIndexer

pytestmark = pytest.mark.whoosh_only


@pytest.fixture
def registered(app, make_agency, index_now):
    agency = make_agency("Empleos Quetzal Internacional", country="GT")
    index_now()
    return agency


def another_worker(app):
    """A worker starting now, on the same database and index folder."""
    return create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": Path(app.instance_path),
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INDEX_DIR": app.config["INDEX_DIR"],
            "INDEXER_THREAD": False,
        }
    )


def found(client, name="Empleos Quetzal Internacional") -> bool:
    response = client.get("/api/v1/search", query_string={"q": name})
    assert response.status_code == 200, response.status_code
    return any(hit["name"] == name for hit in response.get_json()["results"])


def corrupt_segments(app) -> None:
    for path in Path(app.config["INDEX_DIR"]).glob("*.seg"):
        path.write_bytes(b"not a segment" * 10)


def delete_table_of_contents(app) -> None:
    for path in Path(app.config["INDEX_DIR"]).glob("_MAIN_*.toc"):
        path.unlink()


def corrupt_table_of_contents(app) -> None:
    for path in Path(app.config["INDEX_DIR"]).glob("_MAIN_*.toc"):
        path.write_bytes(b"not a table of contents")


def delete_folder(app) -> None:
    shutil.rmtree(app.config["INDEX_DIR"])


@pytest.mark.parametrize(
    "damage", [corrupt_segments, delete_table_of_contents, corrupt_table_of_contents, delete_folder]
)
def test_a_worker_boots_on_a_broken_index_and_the_indexer_repairs_it(
    app, client, registered, damage
):
    assert found(client)
    damage(app)
    assert client.get("/healthz").status_code == 503  # health reads the files afresh
    worker = another_worker(app)
    try:
        worker.extensions["registry.index"].warm()  # what gunicorn does before serving
        fresh = worker.test_client()
        assert fresh.get("/").status_code == 200
        assert fresh.get(f"/agencies/{registered.id}").status_code == 200
        assert fresh.get("/report").status_code == 200
        health = fresh.get("/healthz")
        assert health.status_code == 503 and health.get_json()["index"]["status"] == "failing"
        assert app.config["INDEX_DIR"] not in health.get_data(as_text=True)  # public: no paths
        search = fresh.get("/search?q=Quetzal", headers={"Accept-Language": "en"})
        assert search.status_code == 503 and search.headers["Retry-After"] == "60"
        assert "The search is unavailable for a moment" in search.get_data(as_text=True)
        api = fresh.get("/api/v1/search?q=Quetzal")
        assert api.status_code == 503 and api.get_json()["error"]["code"] == 503

        with worker.app_context():
            assert get_index().repair() == 1  # what the indexer does at its next turns
            assert get_index().repair() is None  # and only once
        assert fresh.get("/healthz").status_code == 200
        assert found(fresh)
        assert found(client)  # the running worker moved to the repaired index by itself
        assert client.get("/healthz").status_code == 200
    finally:
        worker.extensions["registry.index"].close()
        worker.extensions["registry.engine"].dispose()


def test_reindex_repairs_an_index_without_its_table_of_contents(app, client, registered, runner):
    assert found(client)
    delete_table_of_contents(app)
    assert client.get("/healthz").status_code == 503
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert client.get("/healthz").status_code == 200
    assert found(client)


def test_the_background_indexer_repairs_a_broken_index_by_itself(app, client, registered):
    corrupt_segments(app)
    indexer = BackgroundIndexer(app.extensions["registry.index"], interval=0.02)
    indexer.start()
    try:
        deadline = time.monotonic() + 10
        while client.get("/healthz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        indexer.stop()
    assert client.get("/healthz").status_code == 200
    assert found(client)


def test_a_write_that_commits_answers_success_even_if_indexing_fails(
    app, client, session, world, monkeypatch
):
    index = app.extensions["registry.index"]

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(index.index, "put", broken)
    regulator = as_role(client, world, "regulator")
    response = regulator.post(
        "/manage/agencies/new",
        data={
            "name": "Agencia Recién Registrada",
            "kind": "agency",
            "csrf_token": token(regulator, "/manage/agencies/new"),
        },
    )
    assert response.status_code == 302  # recorded: a retry would make a duplicate
    created = session.exec(select(Agency).where(Agency.name == "Agencia Recién Registrada")).one()
    assert (
        session.exec(
            select(func.count()).select_from(IndexOutbox).where(IndexOutbox.agency_id == created.id)
        ).one()
        == 1
    )
    monkeypatch.undo()
    with app.app_context():
        assert get_index().drain() >= 1  # the indexer catches up
    assert found(client, "Agencia Recién Registrada")


def test_an_idle_indexer_leaves_no_files_behind(app, registered):
    folder = Path(app.config["INDEX_DIR"])
    before = sorted(p.name for p in folder.iterdir())
    with app.app_context():
        for _ in range(50):
            assert get_index().drain() == 0
            get_index().compact()  # one segment: nothing to merge, the writer discarded
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_discarded_writer_removes_what_it_began(app, registered):
    folder = Path(app.config["INDEX_DIR"])
    before = sorted(p.name for p in folder.iterdir())
    index = app.extensions["registry.index"].index
    writer = index.try_writer()
    writer.add_document(id="x", tokens=["temporal"], record=b"")
    index.discard(writer)
    assert sorted(p.name for p in folder.iterdir()) == before
    again = index.try_writer()
    assert again is not None  # and the lock was released
    index.discard(again)
