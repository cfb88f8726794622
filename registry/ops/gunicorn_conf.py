"""gunicorn settings for the registry: `gunicorn -c python:registry.ops.gunicorn_conf`.

Every setting can be overridden on the command line or by the GUNICORN_* variables below.
Workers are processes (sync worker class, one request at a time each): a lookup is CPU-bound
Python, so two per core keeps the cores busy while one waits on the database.
"""
import gc
import multiprocessing
import os

wsgi_app = "registry:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 20_000          # recycle workers now and then (fragmented memory)
max_requests_jitter = 2_000
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None               # the app logs each request itself, as JSON (registry.ops.logs)
errorlog = "-"
preload_app = False            # each worker opens its own database pool and index reader
FULL_COLLECTION_THRESHOLD = 100  # Python's default is 10 (see post_worker_init)


def on_starting(server):
    from registry.ops.logs import configure
    configure()


def post_worker_init(worker):
    """Warm the search index before the worker takes requests (with Whoosh, the name vocabulary
    and the common words' postings take seconds to read at a million agencies: no user should
    wait for them), then move what the worker holds so far out of the garbage collector's way:
    a full collection walking them paused lookups for 60 to 80 ms at a million agencies.

    What a worker keeps then grows with the lookups it answers (up to 10,000 records of
    results, whose walk takes 60 ms): with Python's default thresholds a full collection came
    every few hundred lookups, 4% of their time at 100,000 agencies. Full collections are
    considered ten times less often (1%); young objects, where a request's garbage is, are
    collected as before."""
    index = getattr(worker.wsgi, "extensions", {}).get("registry.index")
    if index is not None:
        index.warm()
    gc.collect()
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)
