"""gunicorn settings for the registry: `gunicorn -c python:registry.ops.gunicorn_conf`.

Every setting can be overridden on the command line or by the GUNICORN_* variables below.
Workers are processes (sync worker class, one request at a time each); how many, see
default_workers.
"""

import gc
import multiprocessing
import os

wsgi_app = "registry:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")


def default_workers(database_url: str, cores: int | None = None) -> int:
    """A lookup is CPU-bound Python that waits on the database only between statements.

    - SQLite (and the Whoosh index): nothing is waited for but the cores, so one worker per
      core. A second per core only splits them and what each process keeps (rankings, records):
      bench/load.py served more requests with one worker per core than with two, in half the
      memory.
    - PostgreSQL: two per core, so that a core has a lookup to run while another waits on the
      database server. With the server on the same 2 cores, 2 workers were faster still (mix
      521 against 326, flood 926 against 731): the server's work took the cores the waits left.
      Across a network each of a lookup's two to four round trips is a wait no core makes up.
    """
    cores = cores or multiprocessing.cpu_count()
    return cores if database_url.startswith("sqlite") else 2 * cores


workers = int(
    os.environ.get("GUNICORN_WORKERS")
    or default_workers(os.environ.get("REGISTRY_DATABASE_URL", "sqlite"))
)
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then (fragmented memory), but seldom: a new worker reads the index
# again and starts with nothing kept, and at the rate of a flood of lookups (650 a second a
# worker) 20,000 requests came every 30 s. What a worker keeps is bounded: at 100,000 agencies
# each of 2 workers held 469 MB from its 6,000th request to its 41,000th, under the query mix.
max_requests = 200_000
max_requests_jitter = 20_000
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # the app logs each request itself, as JSON (registry.ops.logs)
errorlog = "-"
preload_app = False  # each worker opens its own database pool and index reader
FULL_COLLECTION_THRESHOLD = 100  # Python's default is 10 (see post_worker_init)


def on_starting(server):
    from registry.ops.logs import configure

    configure()


def post_worker_init(worker):
    """Warm the search index before the worker takes requests (with Whoosh, the name vocabulary
    and the common words' postings take seconds to read at a million agencies: no user should
    wait for them), then move what the worker holds so far out of the garbage collector's way:
    a full collection walking them paused lookups noticeably at a million agencies.

    What a worker keeps then grows with the lookups it answers (up to 10,000 records of
    results): with Python's default thresholds a full collection came every few hundred
    lookups. Full collections are considered ten times less often; young objects, where a
    request's garbage is, are collected as before."""
    index = getattr(worker.wsgi, "extensions", {}).get("registry.index")
    if index is not None:
        index.warm()
    gc.collect()
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)
