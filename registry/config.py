"""Configuration read from the environment, with defaults in the instance folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from registry import mail
from registry.sessions import SESSION_LIFETIME


def _kept_secret(instance_path: Path, variable: str, file_name: str) -> str:
    """The environment's `variable`, or a key generated once and kept in the instance folder
    (0600): on several servers, set the variable to the same value on each."""
    from_env = os.environ.get(variable)
    if from_env:
        return from_env
    key_file = instance_path / file_name
    if not key_file.exists():  # written whole, then linked: no process reads half a key
        draft = instance_path / f".{file_name}.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, key_file)
        except FileExistsError:  # another process made it first: theirs is the key
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


def from_environment(instance_path: Path) -> dict:
    """Build the configuration mapping for an app whose instance folder is `instance_path`."""
    instance_path.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("REGISTRY_DATABASE_URL") or (
        f"sqlite:///{instance_path / 'registry.sqlite3'}"
    )
    index_dir = os.environ.get("REGISTRY_INDEX_DIR") or str(instance_path / "index")
    return {
        **mail.settings(os.environ),  # REGISTRY_MAIL_*: see registry.mail
        "SECRET_KEY": _kept_secret(instance_path, "REGISTRY_SECRET_KEY", "secret_key"),
        # Keys the audit chain (registry.audit.chain); outside the database, so that whoever
        # can write to the database cannot rewrite the chain and recompute its hashes.
        "AUDIT_KEY": _kept_secret(instance_path, "REGISTRY_AUDIT_KEY", "audit_key"),
        "DATABASE_URL": database_url,
        "INDEX_DIR": index_dir,
        # whoosh | postgres; unset: postgres on PostgreSQL (registry.search.backend)
        "SEARCH_BACKEND": os.environ.get("REGISTRY_SEARCH_BACKEND") or None,
        # A background thread in each process drains the index outbox; tests switch it off.
        "INDEXER_THREAD": os.environ.get("REGISTRY_INDEXER_THREAD", "1") != "0",
        "INDEXER_INTERVAL": float(os.environ.get("REGISTRY_INDEXER_INTERVAL", "0.5")),
        # The address the public reaches the registry at, for links in messages the background
        # worker writes (a watched agency whose licence lapsed); requests use their own host.
        "PUBLIC_URL": os.environ.get("REGISTRY_PUBLIC_URL", "http://127.0.0.1:5000"),
        # Agencies each process keeps for lists of results (registry.agencies.listing); 0: none.
        "LISTING_CACHE_SIZE": int(os.environ.get("REGISTRY_LISTING_CACHE_SIZE", "10000")),
        # Rankings of recent queries each process keeps (registry.search.rankings); 0: none.
        "RANKING_CACHE_SIZE": int(os.environ.get("REGISTRY_RANKING_CACHE_SIZE", "2000")),
        "BABEL_DEFAULT_LOCALE": "es",
        "LANGUAGES": ("es", "en", "fr", "pt", "ht"),
        # Proxies in front whose X-Forwarded-For/-Proto are believed (registry.security).
        "TRUSTED_PROXIES": int(os.environ.get("REGISTRY_TRUSTED_PROXIES", "0")),
        # The largest request: five evidence files of 10 MB and the form (nginx: 55m).
        "MAX_CONTENT_LENGTH": 55 * 1024 * 1024,
        "PERMANENT_SESSION_LIFETIME": SESSION_LIFETIME,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
    }
