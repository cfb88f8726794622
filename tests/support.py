"""Helpers the test modules share (the shared fixtures are in conftest.py): logging in through
the forms, and the role x URL matrix over every state-changing URL (test_regulation.py checks
that it covers every one; test_security.py replays it with absurd values)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from registry.models import (
    Agency,
    Authority,
    CategoryItem,
    HelpContact,
    Licence,
    MigrationCategory,
    RedFlag,
    Referral,
    Sanction,
    SanctionEvent,
    User,
)
from registry.search.whoosh_private import TABLES_OF_CONTENTS

PASSWORD = "correct horse battery"
POSTGRES_URL = os.environ.get("REGISTRY_TEST_POSTGRES_URL")


def schema_url(name: str) -> str:
    """POSTGRES_URL with `name` first on the search path (pg_trgm lives in public)."""
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{name}%2Cpublic"


EN = {"Accept-Language": "en"}


def authority_with_account(session, email: str, **fields) -> Authority:
    """An authority (`fields`: name, country, kind, station, ...) with one regulator's account,
    `email`, whose password is PASSWORD; flushed, not committed."""
    from registry.accounts.service import create_user

    authority = Authority(**fields)
    session.add(authority)
    session.flush()
    create_user(
        session, email=email, role="regulator", password=PASSWORD, authority_id=authority.id
    )
    return authority


def token(client, url="/login"):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)


def try_log_in(client, email, password=PASSWORD, *, query="", headers=EN, **extra):
    """Send the login form (in English unless `headers` say otherwise); its answer."""
    return client.post(
        "/login" + query,
        data={"email": email, "password": password, "csrf_token": token(client)},
        headers=headers,
        **extra,
    )


def log_in(client, email, *, query=""):
    """Log in through the form (every test account has PASSWORD); the redirect it answers."""
    response = try_log_in(client, email, query=query)
    assert response.status_code == 302
    return response


def log_out(client):
    client.post("/logout", data={"csrf_token": token(client, "/help")})


def send_report(client, headers=EN, address="10.0.0.1", **fields):
    """Send the public report form as a visitor at `address`; `fields` replace the defaults
    (a recruitment-fee report on "Agencia Sierra Madre", Mexico)."""
    data = {
        "name": "Agencia Sierra Madre",
        "country": "MX",
        "category": "recruitment_fee",
        "description": "They asked me for 500 dollars to process my visa.",
        "csrf_token": token(client),
        **fields,
    }
    return client.post(
        "/report",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": address},
    )


def as_role(client, world, role):
    if role != "anonymous":
        log_in(client, world["users"][role].email)
    return client


def requests(world):
    agency, licence, pending = world["agency"], world["licence"], world["pending"]
    ngo = world["users"]["ngo"]
    return {
        "new agency": ("/manage/agencies/new", {"name": "Nueva Agencia", "kind": "agency"}),
        "issue licence": (
            f"/manage/agencies/{agency.id}/licences",
            {"licence-number": "MX-78", "licence-valid_from": "2026-01-01"},
        ),
        "renew licence": (
            f"/manage/licences/{licence.id}/renew",
            {"renew-valid_until": "2100-01-01"},
        ),
        "impose sanction": (
            f"/manage/agencies/{agency.id}/sanctions",
            {
                "sanction-type": "suspension",
                "sanction-licence_id": "0",
                "sanction-decision_ref": "S-9",
                "sanction-starts_on": "2026-01-01",
                "sanction-summary": "Preventive suspension",
            },
        ),
        "confirm sanction": (f"/manage/sanctions/{pending.id}/confirm", {}),
        "lift or appeal sanction": (
            f"/manage/sanctions/{world['warning'].id}/events",
            {"event-kind": "lifted", "event-on": "2026-02-01", "event-reason": "Returned the fees"},
        ),
        "confirm sanction change": (f"/manage/sanction-events/{world['lifting'].id}/confirm", {}),
        "record inspection": (
            f"/manage/agencies/{agency.id}/inspections",
            {
                "inspection-kind": "monitoring_visit",
                "inspection-visited_on": "2026-03-01",
                "inspection-outcome": "issues_found",
                "inspection-notes": "Contracts not translated",
            },
        ),
        "edit agency": (
            f"/manage/agencies/{agency.id}/edit",
            {"name": "Sierra Madre Talent", "kind": "agency"},
        ),
        "record finding": (
            f"/manage/agencies/{agency.id}/findings",
            {
                "finding-reference": "F-1",
                "finding-decided_on": "2026-03-02",
                "finding-summary": "Charged fees disguised as medical costs",
            },
        ),
        "review red flag": (
            f"/manage/red-flags/{world['flag'].id}",
            {"state": "under_review", "public_summary": ""},
        ),
        "invite user": (
            "/admin/users",
            {
                "email": "new@gov.example",
                "role": "ngo",
                "organisation": "Otra ONG",
                "country": "MX",
                "authority_id": "",
            },
        ),
        "edit user": (
            f"/admin/users/{ngo.id}",
            {"role": "ngo", "organisation": "Renamed", "authority_id": "", "active": "y"},
        ),
        "merge agency": (
            f"/manage/agencies/{world['reported'].id}/merge",
            {"record": str(agency.id), "checked": "y"},
        ),
        "link red flag": (
            f"/manage/red-flags/{world['flag'].id}/agency",
            {"record": str(world["second"].id), "checked": "y"},
        ),
        "translate sanction": (
            f"/manage/texts/sanction/{world['warning'].id}",
            {"lang": "en", "text": "Returns filed late"},
        ),
        "refer red flag": (
            f"/manage/red-flags/{world['flag'].id}/referrals",
            {
                "refer-to_authority_id": str(world["inspectorate"].id),
                "refer-note": "Recruits in Guatemala too",
            },
        ),
        "answer referral": (
            f"/manage/referrals/{world['referral'].id}",
            {"answer-answer": "accepted", "answer-note": "We will inspect"},
        ),
        "new requirement category": (
            "/manage/requirements/new",
            {"country": "MX", "code": "VRT", "name": "Visitante regional", "lang": "es"},
        ),
        "edit requirement category": (
            f"/manage/requirements/{world['category'].id}",
            {"country": "MX", "code": "TVTF", "name": "Tarjeta renombrada", "lang": "es"},
        ),
        "add requirement": (
            f"/manage/requirements/{world['category'].id}/items",
            {
                "item-kind": "document",
                "item-name": "Pasaporte",
                "item-source_name": "Ley de Migración",
                "item-effective_on": "2026-01-01",
            },
        ),
        "end requirement": (
            f"/manage/requirements/items/{world['category'].items[0].id}/end",
            {"end-ends_on": "2026-06-01"},
        ),
        "record placements": (
            f"/manage/licences/{licence.id}/placements",
            {"year": "2025", "destination": "US", "women": "3", "men": "5", "unspecified": "0"},
        ),
        "add help contact": (
            "/manage/help-contacts/new",
            {"kind": "hotline", "name": "Línea de ayuda", "country": "MX", "phone": "800 111"},
        ),
        "edit help contact": (
            f"/manage/help-contacts/{world['contact'].id}",
            {"kind": "ngo", "name": "Casa renombrada", "country": "GT", "phone": "+502 2222 0000"},
        ),
        "add authority": (
            "/admin/authorities/new",
            {"name": "Ministerio HN", "country": "HN", "code": "HN-STSS", "languages": "es"},
        ),
        "edit authority": (
            f"/admin/authorities/{world['users']['regulator'].authority_id}",
            {"name": "Secretaría renombrada", "country": "MX"},
        ),
    }


ROLES = ["anonymous", "ngo", "other_regulator", "admin", "regulator"]
# Any regulator records new agencies in its own country, and may license any agency to recruit
# in its own country (an agency may hold licences in several countries). Renewing, sanctioning
# and confirming act on the MX agency and licence: MX regulators only. Accounts: admins only.
ALLOWED = {
    name: {"regulator"}
    for name in requests(
        {
            "agency": Agency(id=0),
            "licence": Licence(id=0),
            "pending": Sanction(id=0),
            "flag": RedFlag(id=0),
            "users": {
                "ngo": User(id=0),
                "regulator": User(authority_id=0),
                "other_regulator": User(authority_id=0),
            },
            "warning": Sanction(id=0),
            "lifting": SanctionEvent(id=0),
            "reported": Agency(id=0),
            "second": Agency(id=0),
            "referral": Referral(id=0),
            "inspectorate": Authority(id=0),
            "category": MigrationCategory(id=0, items=[CategoryItem(id=0)]),
            "contact": HelpContact(id=0),
        }
    )
}
ALLOWED["new agency"] |= {"other_regulator"}
ALLOWED["issue licence"] |= {"other_regulator"}
ALLOWED["invite user"] = ALLOWED["edit user"] = {"admin"}
ALLOWED["add authority"] = ALLOWED["edit authority"] = {"admin"}
ALLOWED["answer referral"] = {"other_regulator"}  # referred by Mexico to Guatemala
# Mexico's requirements: Mexico's regulators and the administrators; the directory of help: the
# organisations and the administrators
for _name in ("new", "edit"):
    ALLOWED[f"{_name} requirement category"] = {"regulator", "admin"}
ALLOWED["add requirement"] = ALLOWED["end requirement"] = {"regulator", "admin"}
ALLOWED["add help contact"] = ALLOWED["edit help contact"] = {"ngo", "admin"}

# Writes open to everyone (or to every account, on its own behalf), tested in their own files.
OPEN = {
    "accounts.login",
    "accounts.logout",
    "accounts.change_password",
    "admin.accept_invite",
    "reports.report",
    "reports.report_status",
    "accounts.forgot_password",
    "accounts.reset_password",
    # watching an agency by e-mail (no account; the token in the link decides), and a staff
    # member marking its own inbox read: tests/test_alerts.py
    "alerts.watch",
    "alerts.confirm_watch",
    "alerts.stop_watch",
    "alerts.mark_read",
    "proofs.issue",  # a proof of a check, for anyone: tests/test_proofs.py
    "opendata.decide_match",  # an imported list's uncertain entry: tests/test_lists.py
}


def mark_older_format(app) -> None:
    """Make the index look written by an older version of the registry, whose Whoosh table of
    contents this version cannot even read (it named classes that are gone)."""
    if app.config["SEARCH_BACKEND"] == "whoosh":
        folder = Path(app.config["INDEX_DIR"])
        (folder / "registry-format").write_text("1\n")
        for contents in folder.glob(TABLES_OF_CONTENTS):
            contents.write_bytes(contents.read_bytes().replace(b"whoosh.codec", b"registry.gone"))
    else:
        from registry.search.postgres_index import search_state

        with app.extensions["registry.engine"].begin() as connection:
            connection.execute(search_state.update().values(value="0"))
