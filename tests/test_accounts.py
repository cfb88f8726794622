"""Accounts: the create-user command, logging in and out, limits on guessing."""

from __future__ import annotations

import pytest
from sqlmodel import select
from support import PASSWORD, token, try_log_in

from registry.accounts.service import change_password, create_user
from registry.models import User


@pytest.fixture
def make_user(session):
    def make(email="reg@example.org", role="admin", **kwargs) -> User:
        user = create_user(session, email=email, role=role, password=PASSWORD, **kwargs)
        session.commit()
        return user

    return make


def test_create_user_command(runner, session, make_authority):
    authority = make_authority("Ministerio de Trabajo", "GT")
    result = runner.invoke(
        args=[
            "create-user",
            "Ana@Example.org",
            "--role",
            "regulator",
            "--authority",
            str(authority.id),
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    user = session.exec(select(User)).one()
    assert (user.email, user.role, user.country) == ("ana@example.org", "regulator", "GT")
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    "args, message",
    [
        (["x@example.org", "--role", "regulator"], "give --authority ID-OR-CODE"),
        (["x@example.org", "--role", "regulator", "--authority", "99"], "no authority has the id"),
        (["x@example.org", "--role", "regulator", "--authority", "XX-NONE"], "'XX-NONE'"),
        (["x@example.org", "--role", "ngo"], "give --organisation NAME"),
        (["not-an-email", "--role", "admin"], "is not an e-mail address"),
    ],
)
def test_create_user_refuses_incomplete_accounts(runner, args, message):
    result = runner.invoke(args=["create-user", *args, "--password-stdin"], input=PASSWORD)
    assert result.exit_code != 0 and message in result.output


def test_short_password_is_refused(runner):
    result = runner.invoke(
        args=["create-user", "a@example.org", "--role", "admin", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code != 0 and "at least 12 characters" in result.output


def test_duplicate_account_is_refused(runner, make_user):
    make_user("a@example.org")
    result = runner.invoke(
        args=["create-user", "A@example.org", "--role", "admin", "--password-stdin"], input=PASSWORD
    )
    assert result.exit_code != 0 and "exists already" in result.output


def test_login_and_logout(client, make_user):
    make_user("a@example.org")
    response = try_log_in(client, "A@example.org", query="?next=/help")
    assert response.status_code == 302 and response.headers["Location"] == "/help"
    assert client.post("/logout", data={"csrf_token": token(client)}).status_code == 302


def test_pages_seen_logged_in_are_kept_by_no_cache(client, make_user):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    make_user("a@example.org")
    try_log_in(client, "a@example.org")
    for path in ("/", "/admin/users", "/api/v1/search?q=x"):
        assert client.get(path).headers["Cache-Control"] == "private, no-store", path
    client.post("/logout", data={"csrf_token": token(client)})
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_login_refuses_offsite_next(client, make_user):
    make_user("a@example.org")
    response = try_log_in(client, "a@example.org", query="?next=//evil.example/")
    assert response.headers["Location"] == "/admin/"  # the administrator's own home


def test_wrong_password_keeps_the_email_typed(client, make_user):
    make_user("a@example.org")
    response = try_log_in(client, "a@example.org", "wrong password!!")
    page = response.get_data(as_text=True)
    assert response.status_code == 401 and "Wrong e-mail or password." in page
    assert 'value="a@example.org"' in page


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user("a@example.org")
    response = client.post("/login", data={"email": "a@example.org", "password": PASSWORD})
    assert response.status_code in (200, 400) and "Location" not in response.headers


def test_guessing_is_limited_per_account(client, make_user):
    make_user("a@example.org")
    for _ in range(5):
        assert try_log_in(client, "a@example.org", "wrong password!!").status_code == 401
    response = try_log_in(client, "a@example.org")  # even the right password now waits
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)


def test_disabled_account_cannot_log_in(client, session, make_user):
    user = make_user("a@example.org")
    user.active = False
    session.add(user)
    session.commit()
    assert try_log_in(client, "a@example.org").status_code == 401


def test_password_change_logs_out_every_session(app, client, session, make_user):
    user = make_user("a@example.org")
    try_log_in(client, "a@example.org")
    assert (
        client.post("/logout", data={"csrf_token": token(client, "/help")}).status_code == 302
    )  # the session was valid
    try_log_in(client, "a@example.org")
    change_password(session, user=user, password="another long password")
    session.commit()
    response = client.post("/logout", data={"csrf_token": token(client)})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_session_cookie_flags(client, make_user):
    make_user("a@example.org")
    response = try_log_in(client, "a@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie  # plain HTTP on a laptop
    secure = client.post(
        "/login",
        base_url="https://localhost",
        data={"email": "a@example.org", "password": PASSWORD, "csrf_token": token(client)},
    )
    assert "Secure" in secure.headers.get("Set-Cookie", "")


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, make_user):
    make_user("a@example.org")
    other = app.test_client()
    try_log_in(client, "a@example.org")
    try_log_in(other, "a@example.org")
    response = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "a new long password",
            "confirm": "a new long password",
            "csrf_token": token(client, "/account/password"),
        },
    )
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200  # still logged in here
    assert other.get("/account/password").status_code == 302  # logged out there
    assert try_log_in(app.test_client(), "a@example.org", "a new long password").status_code == 302


def test_password_change_needs_the_current_password(client, make_user):
    make_user("a@example.org")
    try_log_in(client, "a@example.org")
    response = client.post(
        "/account/password",
        headers={"Accept-Language": "en"},
        data={
            "current": "not my password!",
            "password": "a new long password",
            "confirm": "a new long password",
            "csrf_token": token(client, "/account/password"),
        },
    )
    assert response.status_code == 400 and "Wrong password." in response.get_data(as_text=True)


def test_failed_log_ins_are_kept_for_their_window_only(client, session, make_user):
    from datetime import timedelta

    from registry.accounts.service import WINDOW
    from registry.models import LoginAttempt, utcnow

    make_user("a@example.org")
    try_log_in(client, "a@example.org", "wrong password!!")
    old = session.exec(select(LoginAttempt)).all()
    assert len(old) == 2
    for attempt in old:
        attempt.at = utcnow() - WINDOW - timedelta(seconds=1)
        session.add(attempt)
    session.commit()
    try_log_in(client, "b@example.org", "wrong password!!")
    session.expire_all()
    assert sorted(a.key for a in session.exec(select(LoginAttempt)).all()) == [
        "account:b@example.org",
        "address:127.0.0.1",
    ]


def test_create_user_takes_the_authority_by_its_code(runner, session):
    from registry.authorities.service import save

    authority = save(
        session, actor=None, name="Secretaría del Trabajo", country="MX", code="mx-stps"
    )
    session.commit()
    result = runner.invoke(
        args=[
            "create-user",
            "ana@example.org",
            "--role",
            "regulator",
            "--authority",
            "MX-STPS",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert session.exec(select(User)).one().authority_id == authority.id


def test_list_authorities_prints_id_code_country_and_name(runner, session):
    assert "No authorities yet" in runner.invoke(args=["list-authorities"]).output
    from registry.authorities.service import save

    save(session, actor=None, name="Secretaría del Trabajo", country="MX", code="MX-STPS")
    save(session, actor=None, name="Ministerio de Trabajo", country="GT")
    session.commit()
    lines = runner.invoke(args=["list-authorities"]).output.splitlines()
    assert lines[0].split() == ["ID", "CODE", "COUNTRY", "NAME"]
    assert lines[1].split()[1:] == ["-", "GT", "Ministerio", "de", "Trabajo"]
    assert lines[2].split()[1:] == ["MX-STPS", "MX", "Secretaría", "del", "Trabajo"]


def test_production_passwords_use_scrypt_at_its_full_cost():
    from werkzeug.security import check_password_hash, generate_password_hash

    from registry.accounts.service import PASSWORD_METHOD

    hashed = generate_password_hash(PASSWORD, method=PASSWORD_METHOD)
    assert hashed.startswith("scrypt:32768:8:1$") and check_password_hash(hashed, PASSWORD)
