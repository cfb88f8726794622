"""Production serving: the health endpoint, structured request logs, the indexer process, and
gunicorn with several workers on the real app."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_health_reports_database_and_index(client, make_agency, index_now):
    make_agency("Agencia Sana")
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["database"]["status"] == "ok"
    assert body["index"]["pending"] == 1 and body["index"]["documents"] == 0
    index_now()
    body = client.get("/healthz").get_json()
    assert (body["index"]["pending"], body["index"]["documents"]) == (0, 1)


def test_health_fails_with_503_when_the_database_is_gone(app, client):
    app.extensions["registry.engine"].dispose()
    from sqlmodel import create_engine

    app.extensions["registry.engine"] = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none"
        if app.config["DATABASE_URL"].startswith("postgresql")
        else "sqlite:////nonexistent-dir/registry.sqlite3"
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"]["status"] == "failing"


def test_health_fails_when_the_index_is_of_an_older_format(app, client):
    from support import mark_older_format

    with app.app_context():
        app.extensions["registry.index"].rebuild()
    mark_older_format(app)
    if app.config["SEARCH_BACKEND"] == "whoosh":  # the folder is read when the app starts
        app.extensions["registry.index"].stale = True
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["index"]["status"] == "stale"


def test_request_log_is_json_without_the_search_terms(client, caplog):
    from registry.ops.logs import JsonFormatter

    with caplog.at_level(logging.INFO, logger="registry.access"):
        response = client.get("/search?q=Agencia+Secreta", headers={"X-Request-ID": "abc123"})
    record = next(r for r in caplog.records if r.name == "registry.access")
    line = json.loads(JsonFormatter().format(record))
    assert (line["method"], line["route"], line["status"], line["request_id"]) == (
        "GET",
        "/search",
        200,
        "abc123",
    )
    assert line["duration_ms"] > 0 and "Secreta" not in json.dumps(line)
    assert response.headers["X-Request-ID"] == "abc123"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, attempts: int = 100):
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


WRITE_WITHOUT_INDEXING = """
from sqlmodel import Session
from registry import create_app
from registry.models import Agency
app = create_app()
with Session(app.extensions["registry.engine"]) as session:
    session.add(Agency(name="Agencia Horizonte Lejano", name_key="agencia horizonte lejano",
                       country="MX"))
    session.commit()
"""


def test_gunicorn_workers_and_the_indexer_process_serve_one_registry(app, tmp_path):
    """The documented production setup: gunicorn with 3 workers (no indexer thread) and
    `run-indexer` as its own process; a change written by the CLI is found through gunicorn."""
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": app.config["DATABASE_URL"],
        "REGISTRY_INDEX_DIR": app.config["INDEX_DIR"],
        "REGISTRY_SECRET_KEY": "test",
        "REGISTRY_SEARCH_BACKEND": app.config["SEARCH_BACKEND"],
        "REGISTRY_INDEXER_THREAD": "0",
        "GUNICORN_WORKERS": "3",
    }
    port = _free_port()
    flask = [sys.executable, "-m", "flask", "--app", "registry"]
    subprocess.run([*flask, "init-db"], env=env, check=True, capture_output=True, cwd=ROOT)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:registry.ops.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    indexer = subprocess.Popen(
        [*flask, "run-indexer", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        status, body = _get(f"http://127.0.0.1:{port}/healthz")
        assert (
            status == 200 and json.loads(body)["index"]["backend"] == app.config["SEARCH_BACKEND"]
        )
        subprocess.run(
            [sys.executable, "-c", WRITE_WITHOUT_INDEXING], env=env, check=True, cwd=ROOT
        )
        found = None
        for _ in range(50):  # only the indexer process indexes it
            _, body = _get(f"http://127.0.0.1:{port}/api/v1/search?q=Horizonte+Lejano")
            found = json.loads(body)
            if found["results"]:
                break
            time.sleep(0.1)
        assert found["results"][0]["name"] == "Agencia Horizonte Lejano", found
    finally:
        for process in (server, indexer):
            process.send_signal(signal.SIGTERM)
        _, server_log = server.communicate(timeout=30)
        indexer_out, indexer_log = indexer.communicate(timeout=30)
    lines = [json.loads(line) for line in server_log.decode().splitlines() if line.startswith("{")]
    assert server_log.decode().count("Booting worker") == 3
    assert any(
        line.get("route") == "/api/v1/search" and line.get("status") == 200 for line in lines
    )
    assert indexer.returncode == 0, indexer_log.decode()[-2000:]
    assert b'"indexer stopped"' in indexer_log


def test_development_server_request_lines_lose_their_query_string():
    from registry.ops.logs import NoQueryStrings

    record = logging.makeLogRecord(
        {
            "name": "werkzeug",
            "msg": '%s - - [%s] "%s" %s %s',
            "args": (
                "127.0.0.1",
                "24/Nov/2026",
                "GET /search?q=Agencia+Secreta HTTP/1.1",
                "200",
                "-",
            ),
        }
    )
    NoQueryStrings().filter(record)
    assert record.getMessage() == '127.0.0.1 - - [24/Nov/2026] "GET /search HTTP/1.1" 200 -'


def test_the_advice_on_postgresql_memory_names_the_sizes_and_the_setting():
    from registry.search.postgres_memory import MB, advice

    assert advice(100 * MB, 128 * MB) is None  # PostgreSQL's default holds 100,000 agencies
    message = advice(1200 * MB, 128 * MB)  # about a million agencies
    assert "The search tables take 1.2 GB" in message
    assert "shared_buffers holds 128 MB" in message
    assert "at least 2.0 GB" in message  # half as much again, rounded up to 256 MB
    assert "at least 768 MB" in advice(400 * MB, 256 * MB)
