"""Hardening from the outside: headers, session expiry, proxies, caches, and absurd input on
every route of the URL map answered without a 5xx."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from itsdangerous import TimestampSigner
from support import as_role, token

from registry import create_app, schema
from registry.accounts.service import MAX_FAILURES_PER_ADDRESS

ABSURD_IDS = [
    "99999999999999999999",
    "9223372036854775808",
    "99999999999",
    "2147483648",
    "0",
    "²",
    "1e5",
    "-1",
]


def test_every_page_has_strict_security_headers(client, world):
    for url in (
        "/",
        "/search?q=sierra",
        "/report",
        "/login",
        f"/agencies/{world['agency'].id}",
        "/api/v1/search?q=sierra",
        "/nowhere",
    ):
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "script-src" not in policy and "unsafe-inline" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
    staff = as_role(client, world, "regulator").get("/manage/")
    assert staff.status_code == 200 and staff.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" in client.get("/", base_url="https://localhost").headers


def test_a_staff_session_lasts_eight_hours(client, world, monkeypatch):
    as_role(client, world, "regulator")
    login = client.post(
        "/login",
        data={
            "email": "mx1@gov.example",
            "password": "correct horse battery",
            "csrf_token": token(client),
        },
    )
    expires = parsedate_to_datetime(
        re.search(r"Expires=([^;]+)", login.headers["Set-Cookie"]).group(1)
    )
    lasts = expires - datetime.now(UTC)
    assert timedelta(hours=7, minutes=58) < lasts <= timedelta(hours=8)
    assert client.get("/manage/").status_code == 200
    later = int(datetime.now(UTC).timestamp()) + 8 * 3600 + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = client.get("/manage/")  # a browser that kept the cookie: refused all the same
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_receipts_and_report_states_are_kept_by_no_cache(client, world):
    response = client.post(
        "/report",
        data={
            "name": "Agencia Sierra Madre",
            "country": "MX",
            "category": "recruitment_fee",
            "description": "They asked me for 500 dollars.",
            "csrf_token": token(client, "/report"),
        },
    )
    assert re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", response.get_data(as_text=True))
    assert "no-store" in response.headers["Cache-Control"]
    assert "no-store" in client.get("/report").headers["Cache-Control"]
    status = client.post(
        "/report/status",
        data={"code": "AAAA-BBBB-CCCC", "csrf_token": token(client, "/report/status")},
    )
    assert "no-store" in status.headers["Cache-Control"]


def _proxied_app(tmp_path, database_url, proxies):
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": tmp_path / "instance",
            "DATABASE_URL": database_url,
            "INDEX_DIR": str(tmp_path / "index"),
            "INDEXER_THREAD": False,
            "TRUSTED_PROXIES": proxies,
        }
    )
    schema.upgrade(app.extensions["registry.engine"])
    return app


@pytest.mark.parametrize("proxies", [0, 1])
def test_addresses_behind_a_trusted_proxy(tmp_path, database_url, proxies):
    """Behind nginx every connection comes from the proxy: with it trusted, each visitor is
    limited on their own address; without, X-Forwarded-For is not believed (a visitor cannot
    pick a new address for each guess)."""
    app = _proxied_app(tmp_path, database_url, proxies)
    try:
        client = app.test_client()
        for n in range(MAX_FAILURES_PER_ADDRESS):
            client.post(
                "/login",
                data={
                    "email": f"x{n}@example.org",
                    "password": "wrong" * 3,
                    "csrf_token": token(client),
                },
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            )
        visitor = client.post(
            "/login",
            data={"email": "new@example.org", "password": "w" * 12, "csrf_token": token(client)},
            headers={"X-Forwarded-For": "198.51.100.7"},
        )
        assert visitor.status_code == (401 if proxies else 429)
        seen = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
        assert ("Strict-Transport-Security" in seen.headers) is bool(proxies)
    finally:
        app.extensions["registry.index"].close()
        app.extensions["registry.engine"].dispose()


def _urls(app, value: str) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = re.sub(rf"<(?:[^:<>]+:)?{argument}>", value, url)
        urls.append(url)
    return urls


QUERIES = [
    "?agency={v}&before={v}&red_flag={v}&limit={v}&country={v}&kind={v}&verdict={v}"
    "&q={v}&name={v}&code={v}&next={v}",
    "",
]


POSTED = (
    "name",
    "kind",
    "country",
    "category",
    "description",
    "agency_id",
    "email",
    "password",
    "role",
    "authority_id",
    "organisation",
    "state",
    "public_summary",
    "code",
    "licence-number",
    "licence-valid_from",
    "renew-valid_until",
    "sanction-type",
    "sanction-licence_id",
    "sanction-finding_id",
    "sanction-starts_on",
    "finding-red_flag_ids",
    "inspection-visited_on",
    "active",
    "current",
    "confirm",
    "serves",
    "hidden",
    "item-kind",
    "item-amount",
    "item-effective_on",
    "item-replaces",
    "end-ends_on",
)


@pytest.mark.parametrize("role", ["anonymous", "ngo", "regulator", "admin"])
def test_every_route_answers_absurd_values_without_a_5xx(client, world, role):
    client = as_role(client, world, role)
    app = client.application
    failures = []
    gets = dict.fromkeys(  # each address once: a route without arguments is the same for all
        url + query.format(v=value)
        for value in ABSURD_IDS
        for url in _urls(app, value)
        for query in QUERIES
    )
    for target in gets:
        response = client.get(target)
        if response.status_code >= 500:
            failures.append(("GET", target, response.status_code))
        response.close()
    csrf = token(client, "/report")  # one per session
    # log-out once, last: it ends the session (and its CSRF token) the other writes are tried in
    posts = [
        u for u in dict.fromkeys(_urls(app, "1") + _urls(app, ABSURD_IDS[0])) if u != "/logout"
    ]
    for value in ABSURD_IDS + ["x" * 5000, "\x00", "<script>"]:
        fields = {"csrf_token": csrf, **dict.fromkeys(POSTED, value)}
        for url in posts + (["/logout"] if value == "<script>" else []):
            response = client.post(url, data=fields)
            if response.status_code >= 500:
                failures.append(("POST", url, value, response.status_code))
            response.close()
    assert failures == []


def test_a_nul_byte_is_a_clear_400_on_every_backend(client, world):
    """PostgreSQL refuses NUL in a string: found by the walk above, on PostgreSQL only."""
    response = client.post(
        "/login",
        data={"email": "a\x00@example.org", "password": "x" * 12, "csrf_token": token(client)},
    )
    assert response.status_code == 400
    assert client.get("/search?q=sierra%00madre").status_code == 400
    assert client.get("/api/v1/search?q=sierra%00madre").status_code == 400


def test_ids_beyond_64_bits_are_not_found(client, world):
    huge = "99999999999999999999"
    assert client.get(f"/agencies/{huge}").status_code == 404
    assert client.get(f"/api/v1/agencies/{huge}").status_code == 404
    form = client.get(f"/report?agency={huge}")
    assert form.status_code == 200
    regulator = as_role(client, world, "regulator")
    assert regulator.get(f"/manage/audit/?before={huge}&agency={huge}").status_code == 200
    for url in (
        f"/manage/agencies/{huge}",
        f"/manage/red-flags/{huge}",
        f"/manage/evidence/{huge}",
    ):
        assert regulator.get(url).status_code == 404
