"""Administrators invite, change roles and disable accounts; nobody else may."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select
from support import EN, PASSWORD, token, try_log_in

from registry.accounts.service import create_user
from registry.models import AuditEntry, User


@pytest.fixture
def people(session, make_authority):
    mx = make_authority("Secretaría MX", "MX")
    admin = create_user(session, email="admin@example.org", role="admin", password=PASSWORD)
    ngo = create_user(
        session,
        email="ngo@ngo.example",
        role="ngo",
        password=PASSWORD,
        organisation="Casa del Migrante",
    )
    session.commit()
    return {"admin": admin, "ngo": ngo, "mx": mx}


def test_invite_then_accept(app, client, session, people):
    try_log_in(client, "admin@example.org")
    response = client.post(
        "/admin/users",
        headers=EN,
        data={
            "email": "new.regulator@gov.example",
            "role": "regulator",
            "authority_id": str(people["mx"].id),
            "organisation": "",
            "country": "",
            "csrf_token": token(client, "/admin/users"),
        },
    )
    page = response.get_data(as_text=True)
    link = re.search(r"<code>(http://localhost/invite/[^<]+)</code>", page).group(1)
    invited = session.exec(select(User).where(User.email == "new.regulator@gov.example")).one()
    assert invited.password_hash == "" and invited.role == "regulator"
    assert try_log_in(client.application.test_client(), invited.email, "").status_code != 302

    newcomer = app.test_client()
    path = link.replace("http://localhost", "")
    newcomer.post(
        path,
        data={
            "password": "a brand new password",
            "confirm": "a brand new password",
            "csrf_token": token(newcomer, path),
        },
    )
    assert newcomer.get(path).status_code == 404  # used once
    assert try_log_in(app.test_client(), invited.email, "a brand new password").status_code == 302
    entries = session.exec(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [e.action for e in entries][-2:] == ["user.invite", "user.accept_invite"]
    accepted = entries[-1]
    assert (accepted.actor, accepted.actor_id, accepted.entity_id) == (
        invited.email,
        invited.id,
        invited.id,
    )  # the newcomer's own act
    assert "password" not in accepted.before + accepted.after


def test_disabling_an_account_ends_its_sessions(app, client, session, people):
    ngo_client = app.test_client()
    assert try_log_in(ngo_client, "ngo@ngo.example").status_code == 302
    assert ngo_client.get("/ngo/reports").status_code == 200
    try_log_in(client, "admin@example.org")
    url = f"/admin/users/{people['ngo'].id}"
    client.post(
        url,
        data={
            "role": "ngo",
            "organisation": "Casa del Migrante",
            "authority_id": "",
            "csrf_token": token(client, url),
        },
    )  # active off
    session.refresh(people["ngo"])
    assert people["ngo"].active is False
    assert ngo_client.get("/ngo/reports").status_code == 302  # back to log in
    assert try_log_in(app.test_client(), "ngo@ngo.example").status_code == 401


def test_admin_cannot_lock_themselves_out(client, session, people):
    try_log_in(client, "admin@example.org")
    url = f"/admin/users/{people['admin'].id}"
    response = client.post(
        url,
        headers=EN,
        data={"role": "ngo", "organisation": "X", "active": "y", "csrf_token": token(client, url)},
    )
    assert response.status_code == 400
    assert "cannot disable or demote your own account" in response.get_data(as_text=True)
    session.refresh(people["admin"])
    assert people["admin"].role == "admin"


def authority_form(client, url="/admin/authorities/new", **fields):
    data = {
        "name": "Secretaría de Trabajo de Honduras",
        "code": "hn-stss",
        "country": "HN",
        "website": "https://trabajo.example.hn",
        "email": "quejas@trabajo.example.hn",
        "phone": "+504 2222 0000",
        "contact": "Tegucigalpa, 8:00 to 16:00",
        "languages": "es, en",
        **fields,
    }
    return client.post(url, headers=EN, data={**data, "csrf_token": token(client, url)})


def test_administrators_add_and_change_authorities_audited(client, session, people):
    from registry.models import Authority

    try_log_in(client, "admin@example.org")
    response = authority_form(client)
    assert response.status_code == 302
    added = session.exec(select(Authority).where(Authority.country == "HN")).one()
    assert (added.code, added.language_codes, added.email) == (
        "HN-STSS",
        ["es", "en"],
        "quejas@trabajo.example.hn",
    )
    listed = client.get("/admin/authorities", headers=EN).get_data(as_text=True)
    assert "Secretaría de Trabajo de Honduras" in listed
    response = authority_form(
        client, f"/admin/authorities/{added.id}", name="Secretaría de Trabajo y Seguridad Social"
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Authority, added.id).name == "Secretaría de Trabajo y Seguridad Social"
    actions = session.exec(
        select(AuditEntry.action)
        .where(AuditEntry.entity == "authority", AuditEntry.entity_id == added.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["authority.create", "authority.update"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"country": ""}, "This field is required."),
        ({"languages": "Spanish and English"}, "two-letter codes"),
        ({"email": "not an address"}, "like name@example.org"),
        ({"code": "has spaces"}, "letters, digits"),
    ],
)
def test_a_refused_authority_keeps_what_was_typed(client, session, people, fields, message):
    from registry.models import Authority

    try_log_in(client, "admin@example.org")
    before = session.exec(select(Authority)).all()
    response = authority_form(client, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert "Secretaría de Trabajo de Honduras" in page and "Tegucigalpa, 8:00 to 16:00" in page
    session.expire_all()
    assert len(session.exec(select(Authority)).all()) == len(before)


def test_an_authority_code_is_used_once(client, session, people):
    try_log_in(client, "admin@example.org")
    assert authority_form(client).status_code == 302
    response = authority_form(client, name="Otra")
    assert response.status_code == 400
    assert "already used by Secretaría de Trabajo de Honduras" in response.get_data(as_text=True)


def test_only_administrators_manage_authorities(client, people):
    try_log_in(client, "ngo@ngo.example")
    response = client.get("/admin/authorities", headers=EN)
    assert response.status_code == 403
    assert "for the registry's administrators" in response.get_data(as_text=True)
