"""A forgotten password, end to end through a real SMTP server (aiosmtpd, in a thread): the same
answer for every address, a one-time link valid for an hour, every other session ended."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select
from support import EN, PASSWORD, token

from registry.accounts.service import create_user
from registry.models import AuditEntry, User, utcnow

NEW_PASSWORD = "a much newer passphrase"


@pytest.fixture
def account(session):
    user = create_user(
        session,
        email="ana@ngo.example",
        role="ngo",
        password=PASSWORD,
        organisation="Casa del Migrante",
    )
    session.commit()
    return user


def ask(client, email, address="10.0.0.1"):
    return client.post(
        "/password/forgot",
        headers=EN,
        environ_base={"REMOTE_ADDR": address},
        data={"email": email, "csrf_token": token(client, "/password/forgot")},
    )


def try_log_in(client, email, password):
    """A log-in that may fail: the answer, whatever it is."""
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token(client, "/login")}
    )


def test_a_forgotten_password_is_reset_by_the_link_sent(app, client, session, account, inbox):
    other_device = app.test_client()
    assert try_log_in(other_device, "ana@ngo.example", PASSWORD).status_code == 302

    answer = ask(client, "Ana@NGO.example")
    assert answer.status_code == 200
    assert "If an account has the address" in answer.get_data(as_text=True)
    recipients, mail = inbox.next()
    assert recipients == ["ana@ngo.example"] and mail["From"] == "registro@example.org"
    body = mail.get_content()
    link = re.search(r"http://localhost(/password/reset/\S+)", body).group(1)
    assert "within one hour" in body

    page = client.get(link, headers=EN)
    assert page.status_code == 200 and "ana@ngo.example" in page.get_data(as_text=True)
    done = client.post(
        link,
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token(client, link)},
    )
    assert done.status_code == 302 and done.headers["Location"] == "/ngo/reports"

    assert client.get(link).status_code == 404  # spent
    assert other_device.get("/ngo/reports").status_code == 302  # that session ended
    assert try_log_in(app.test_client(), "ana@ngo.example", PASSWORD).status_code == 401
    assert try_log_in(app.test_client(), "ana@ngo.example", NEW_PASSWORD).status_code == 302
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.reset_password")).one()
    assert NEW_PASSWORD not in entry.after and "hash" not in entry.after


def test_an_unknown_address_gets_the_same_answer_and_no_mail(app, client, account, inbox):
    known = ask(client, "ana@ngo.example").get_data(as_text=True)
    inbox.next()
    unknown = ask(client, "nobody@ngo.example").get_data(as_text=True)
    strip = lambda page: re.sub(r'value="[^"]+"|\S+@ngo\.example', "", page)  # noqa: E731
    assert strip(known) == strip(unknown)
    assert inbox.empty_after_sending(app)


def test_a_link_expires_after_an_hour(app, client, session, account, inbox):
    ask(client, "ana@ngo.example")
    link = re.search(r"http://localhost(/password/reset/\S+)", inbox.next()[1].get_content())
    user = session.exec(select(User)).one()
    user.invite_expires = utcnow() - timedelta(seconds=1)
    session.add(user)
    session.commit()
    expired = client.get(link.group(1), headers=EN)
    assert expired.status_code == 404
    assert "Ask for a new link" in expired.get_data(as_text=True)


def test_asking_again_and_again_sends_three_links_at_most(app, client, account, inbox):
    for attempt in range(6):
        assert ask(client, "ana@ngo.example", address=f"10.0.1.{attempt}").status_code == 200
    assert [inbox.next()[0] for _ in range(3)] == [["ana@ngo.example"]] * 3
    assert inbox.empty_after_sending(app)


def test_an_empty_address_is_refused(client):
    response = client.post(
        "/password/forgot",
        headers=EN,
        data={"email": "", "csrf_token": token(client, "/password/forgot")},
    )
    assert response.status_code == 400


def test_without_a_mail_server_the_message_is_logged(app, client, account, caplog):
    app.config["MAIL_SERVER"] = ""
    with caplog.at_level("WARNING", logger="registry.mail"):
        assert ask(client, "ana@ngo.example").status_code == 200
    assert "/password/reset/" in caplog.text and "ana@ngo.example" in caplog.text
