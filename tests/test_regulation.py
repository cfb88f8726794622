"""Regulators' workflow, and the role x URL matrix over every state-changing URL."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import func, select
from support import (
    ALLOWED,
    EN,
    OPEN,
    ROLES,
    as_role,
    authority_with_account,
    log_in,
    requests,
    token,
)

from registry.audit.chain import verify
from registry.models import (
    Agency,
    AgencyCorridor,
    AuditEntry,
    Authority,
    EvidenceContent,
    EvidenceFile,
    Finding,
    Inspection,
    Licence,
    PublicText,
    RedFlag,
    Sanction,
    SanctionEvent,
    User,
)


def counts(session):
    session.expire_all()
    return tuple(
        session.exec(select(func.count()).select_from(m)).one()
        for m in (Agency, Licence, Sanction, AuditEntry, Inspection, Finding, User)
    ) + (
        tuple(session.exec(select(Agency.name).order_by(Agency.id)).all()),
        tuple(session.exec(select(Authority.name).order_by(Authority.id)).all()),
        tuple(session.exec(select(RedFlag.state, RedFlag.agency_id).order_by(RedFlag.id)).all()),
        tuple(
            session.exec(select(Agency.listing, Agency.merged_into_id).order_by(Agency.id)).all()
        ),
        tuple(
            session.exec(select(User.role, User.active, User.organisation).order_by(User.id)).all()
        ),
        tuple(
            (s.status, s.lifted_on, s.appeal_state)
            for s in session.exec(select(Sanction).order_by(Sanction.id)).all()
        ),
        tuple(lic.valid_until for lic in session.exec(select(Licence).order_by(Licence.id)).all()),
        session.exec(select(func.count()).select_from(PublicText)).one(),
    )


def test_the_matrix_covers_every_state_changing_url(app, world):
    adapter = app.url_map.bind("localhost")
    covered = {adapter.match(url, method="POST")[0] for url, _ in requests(world).values()}
    writes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    }
    assert writes - covered - OPEN == set()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_role_matrix(client, session, world, role, name):
    url, data = requests(world)[name]
    client = as_role(client, world, role)
    before = counts(session)
    response = client.post(url, data={**data, "csrf_token": token(client)})
    if role in ALLOWED[name]:
        assert response.status_code in (200, 302)  # an invitation shows its one-time link
        assert "/login" not in response.headers.get("Location", "")
        assert counts(session) != before
    else:
        expected = 302 if role == "anonymous" else 403
        assert response.status_code == expected
        if role == "anonymous":
            assert "/login" in response.headers["Location"]
        assert counts(session) == before


def test_post_without_csrf_token_changes_nothing(client, session, world):
    client = as_role(client, world, "regulator")
    url, data = requests(world)["impose sanction"]
    before = counts(session)
    assert client.post(url, data=data).status_code == 400
    assert counts(session) == before


def test_suspension_shows_on_the_public_page_at_once(client, session, world):
    client = as_role(client, world, "regulator")
    url, data = requests(world)["impose sanction"]
    client.post(url, data={**data, "csrf_token": token(client)})
    page = client.get(f"/agencies/{world['agency'].id}", headers=EN).get_data(as_text=True)
    assert "verdict-suspended" in page and "S-9" in page
    found = client.get("/api/v1/search?q=Agencia+Sierra+Madre").get_json()
    assert found["results"][0]["verdict"]["code"] == "suspended"


def test_revocation_needs_a_second_regulator(app, client, session, world):
    agency = world["agency"]
    client = as_role(client, world, "regulator")
    client.post(
        f"/manage/agencies/{agency.id}/sanctions",
        data={
            "sanction-type": "revocation",
            "sanction-licence_id": str(world["licence"].id),
            "sanction-decision_ref": "REV-2",
            "sanction-starts_on": "2026-02-01",
            "sanction-summary": "Sold visas",
            "csrf_token": token(client),
        },
    )
    page = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert "REV-2" not in page and "verdict-licensed" in page
    proposed = session.exec(select(Sanction).where(Sanction.decision_ref == "REV-2")).one()
    refused = client.post(
        f"/manage/sanctions/{proposed.id}/confirm", data={"csrf_token": token(client)}
    )  # by the proposer
    assert refused.status_code in (302, 400, 403)
    session.refresh(proposed)
    assert proposed.status == "awaiting_confirmation"
    client.post("/logout", data={"csrf_token": token(client, "/help")})
    log_in(client, "mx2@gov.example")
    client.post(f"/manage/sanctions/{proposed.id}/confirm", data={"csrf_token": token(client)})
    page = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert "REV-2" in page and "verdict-revoked" in page
    licence = session.get(Licence, world["licence"].id)
    session.refresh(licence)
    assert licence.status == "revoked"
    history = page[page.index("History of its status") :]
    assert "Licence MX-77 revoked." in history
    assert "Revocation confirmed by a second regulator" in history and "REV-2" in history
    public = app.test_client().get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert "REV-2" in public
    assert "mx1@gov.example" not in public and "mx2@gov.example" not in public


def test_every_write_is_audited_with_before_and_after(client, session, world):
    client = as_role(client, world, "regulator")
    url, data = requests(world)["renew licence"]
    client.post(url, data={**data, "csrf_token": token(client)})
    entry = session.exec(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry.action == "licence.renew" and entry.actor == "mx1@gov.example"
    assert '"valid_until":"2099-01-01"' in entry.before
    assert '"valid_until":"2100-01-01"' in entry.after
    assert verify(session)[1] == []


def test_rejected_form_keeps_what_was_typed(client, world):
    client = as_role(client, world, "regulator")
    response = client.post(
        f"/manage/agencies/{world['agency'].id}/licences",
        data={
            "licence-number": "MX-77",
            "licence-valid_from": "2026-01-01",
            "licence-conditions": "No fees",
            "csrf_token": token(client),
        },
        headers=EN,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "licence MX-77 is already recorded for this agency" in page and "No fees" in page
    spanish = client.post(
        f"/manage/agencies/{world['agency'].id}/licences",
        data={
            "licence-number": "MX-77",
            "licence-valid_from": "2026-01-01",
            "csrf_token": token(client),
        },
        headers={"Accept-Language": "es"},
    )
    assert "la licencia MX-77 ya consta para esta agencia" in spanish.get_data(as_text=True)


def test_regulator_pages_render(client, world):
    client = as_role(client, world, "regulator")
    dashboard = client.get("/manage/", headers=EN).get_data(as_text=True)
    assert "Agencia Sierra Madre" in dashboard and "REV-1" in dashboard
    assert "Confirm" in dashboard  # proposed by regulator_2, so regulator may confirm
    manage = client.get(f"/manage/agencies/{world['agency'].id}", headers=EN)
    assert manage.status_code == 200 and "Issue licence" in manage.get_data(as_text=True)
    assert client.get("/manage/agencies/new", headers=EN).status_code == 200
    assert client.get("/manage/agencies/99999").status_code == 404


def test_ngo_and_admin_get_403_on_regulator_pages(client, world):
    for role in ("ngo", "admin"):
        log_in(client, world["users"][role].email)
        assert client.get("/manage/").status_code == 403
        client.post("/logout", data={"csrf_token": token(client, "/help")})


@pytest.mark.parametrize(
    "role, status", [("anonymous", 302), ("ngo", 403), ("other_regulator", 200), ("admin", 200)]
)
def test_audit_log_is_browsable_by_regulators_and_admins(client, world, role, status):
    regulator = as_role(client, world, "regulator")
    url, data = requests(world)["renew licence"]
    regulator.post(url, data={**data, "csrf_token": token(regulator)})
    regulator.post("/logout", data={"csrf_token": token(regulator, "/help")})
    client = as_role(client, world, role)
    response = client.get(f"/manage/audit/?agency={world['agency'].id}", headers=EN)
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert "licence.renew" in page and "mx1@gov.example" in page
        assert "2099-01-01 → 2100-01-01" in page


def test_visit_is_public_without_its_notes(app, client, world):
    client = as_role(client, world, "regulator")
    url, data = requests(world)["record inspection"]
    client.post(url, data={**data, "csrf_token": token(client)})
    public = app.test_client().get(f"/agencies/{world['agency'].id}", headers=EN)
    page = public.get_data(as_text=True)
    assert "Monitoring visit" in page and "Issues found" in page
    assert "Contracts not translated" not in page


def test_red_flag_to_finding_to_sanction(client, session, world):
    flag = RedFlag(
        agency_id=world["agency"].id,
        category="recruitment_fee",
        description="Paid 500",
        state="substantiated",
        public_summary="Fee",
    )
    session.add(flag)
    session.commit()
    client = as_role(client, world, "regulator")
    manage = client.get(f"/manage/agencies/{world['agency'].id}?red_flag={flag.id}")
    assert f'<option selected value="{flag.id}"' in manage.get_data(as_text=True)
    url, data = requests(world)["record finding"]
    client.post(
        url, data={**data, "finding-red_flag_ids": str(flag.id), "csrf_token": token(client)}
    )
    finding = session.exec(select(Finding)).one()
    assert [f.id for f in finding.red_flags] == [flag.id]
    url, data = requests(world)["impose sanction"]
    client.post(
        url,
        data={
            **data,
            "sanction-type": "fine",
            "sanction-finding_id": str(finding.id),
            "csrf_token": token(client),
        },
    )
    session.refresh(finding)
    fine = session.exec(select(Sanction).where(Sanction.type == "fine")).one()
    assert finding.sanction_id == fine.id
    page = client.get(f"/agencies/{world['agency'].id}", headers=EN).get_data(as_text=True)
    assert "Charged fees disguised as medical costs" in page


def test_renamed_agency_stays_findable_by_its_former_name(app, client, session, world):
    client = as_role(client, world, "regulator")
    url, data = requests(world)["edit agency"]
    saved = client.post(url, data={**data, "csrf_token": token(client)})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        f"/manage/agencies/{world['agency'].id}"
    )
    found = app.test_client().get("/api/v1/search?q=Agencia+Sierra+Madre").get_json()
    assert found["outcome"] == "match"
    assert found["results"][0]["name"] == "Sierra Madre Talent"
    assert "Agencia Sierra Madre" in found["results"][0]["aliases"]


def test_every_page_title_names_the_page_then_the_registry(client, world):
    client = as_role(client, world, "regulator")
    page = client.get(f"/manage/agencies/{world['agency'].id}", headers=EN).get_data(as_text=True)
    title = page[page.index("<title>") : page.index("</title>")]
    assert title == "<title>Manage: Agencia Sierra Madre · Recruitment registry"
    for path in ("/manage/", "/manage/red-flags", "/report", "/help"):
        other = client.get(path, headers=EN).get_data(as_text=True)
        title = other[other.index("<title>") + 7 : other.index("</title>")]
        assert title.endswith(" · Recruitment registry") and title.count("Recruitment") == 1
    assert page.count("Record the visit") == 1


# -- across borders: an authority's act gives it power over that act and its own licences alone


@pytest.fixture
def foreign(session, world, make_agency, index_now):
    """A Guatemalan agency with its GT licence, a sanction awaiting a GT regulator, and a red flag
    with evidence: every object of another authority, seen by the MX regulator."""
    gt_authority = world["users"]["other_regulator"].authority_id
    agency = make_agency(
        "Agencia Quetzal", country="GT", licence=("GT-5", "active", date(2099, 1, 1))
    )
    licence = agency.licences[0]
    licence.authority_id = gt_authority
    pending = Sanction(
        agency_id=agency.id,
        authority_id=gt_authority,
        type="revocation",
        decision_ref="GT-REV",
        starts_on=date(2026, 1, 1),
        summary="Fraud",
        status="awaiting_confirmation",
        licence_id=licence.id,
    )
    flag = RedFlag(agency_id=agency.id, category="other", description="Kept passports")
    session.add_all([licence, pending, flag])
    session.flush()
    evidence = EvidenceFile(
        red_flag_id=flag.id,
        original_name="contract.png",
        stored_name="x1.png",
        content_type="image/png",
        size=3,
        sha256="0",
    )
    session.add(evidence)
    session.flush()
    session.add(EvidenceContent(evidence_file_id=evidence.id, data=b"png"))
    session.commit()
    index_now()
    return {
        "agency": agency,
        "licence": licence,
        "pending": pending,
        "flag": flag,
        "evidence": evidence,
    }


def foreign_requests(foreign):
    """What the MX regulator might try on the Guatemalan agency's objects."""
    agency = foreign["agency"]
    return {
        "edit agency": (
            "POST",
            f"/manage/agencies/{agency.id}/edit",
            {"name": "Renamed by Mexico", "kind": "agency"},
        ),
        "edit agency form": ("GET", f"/manage/agencies/{agency.id}/edit", {}),
        "review red flag": (
            "POST",
            f"/manage/red-flags/{foreign['flag'].id}",
            {"state": "unsubstantiated", "public_summary": ""},
        ),
        "read red flag": ("GET", f"/manage/red-flags/{foreign['flag'].id}", {}),
        "open evidence": ("GET", f"/manage/evidence/{foreign['evidence'].id}", {}),
        "renew its GT licence": (
            "POST",
            f"/manage/licences/{foreign['licence'].id}/renew",
            {"renew-valid_until": "2100-01-01"},
        ),
        "confirm GT sanction": ("POST", f"/manage/sanctions/{foreign['pending'].id}/confirm", {}),
        "impose sanction": (
            "POST",
            f"/manage/agencies/{agency.id}/sanctions",
            {
                "sanction-type": "fine",
                "sanction-licence_id": "0",
                "sanction-decision_ref": "MX-F",
                "sanction-starts_on": "2026-01-01",
                "sanction-summary": "Fees",
            },
        ),
        "record inspection": (
            "POST",
            f"/manage/agencies/{agency.id}/inspections",
            {
                "inspection-kind": "monitoring_visit",
                "inspection-visited_on": "2026-03-01",
                "inspection-outcome": "compliant",
            },
        ),
        "record finding": (
            "POST",
            f"/manage/agencies/{agency.id}/findings",
            {
                "finding-reference": "MX-FIND",
                "finding-decided_on": "2026-03-02",
                "finding-summary": "Fees",
            },
        ),
    }


def foreign_state(session, foreign):
    session.expire_all()
    agency = session.get(Agency, foreign["agency"].id)
    return (
        agency.name,
        session.get(RedFlag, foreign["flag"].id).state,
        session.get(Licence, foreign["licence"].id).valid_until,
        session.get(Sanction, foreign["pending"].id).status,
        session.exec(select(func.count()).select_from(Sanction)).one(),
        session.exec(select(func.count()).select_from(Inspection)).one(),
        session.exec(select(func.count()).select_from(Finding)).one(),
    )


# Once Mexico licensed the agency: its sanctions, visits and findings on it (and its own licence);
# never the agency's identity, its red flags or evidence, Guatemala's licence or sanction.
ALLOWED_AFTER_LICENSING = {"impose sanction", "record inspection", "record finding"}


@pytest.mark.parametrize("licensed", [False, True], ids=["unlicensed", "after-licensing"])
@pytest.mark.parametrize(
    "name",
    sorted(
        foreign_requests(
            {
                "agency": Agency(id=0),
                "licence": Licence(id=0),
                "pending": Sanction(id=0),
                "flag": RedFlag(id=0),
                "evidence": EvidenceFile(id=0),
            }
        )
    ),
)
def test_foreign_agency_matrix(client, session, world, foreign, licensed, name):
    client = as_role(client, world, "regulator")
    if licensed:
        response = client.post(
            f"/manage/agencies/{foreign['agency'].id}/licences",
            data={
                "licence-number": "MX-900",
                "licence-valid_from": "2026-01-01",
                "csrf_token": token(client),
            },
        )
        assert response.status_code == 302
    method, url, data = foreign_requests(foreign)[name]
    before = foreign_state(session, foreign)
    if method == "POST":
        response = client.post(url, data={**data, "csrf_token": token(client)})
    else:
        response = client.get(url)
    if licensed and name in ALLOWED_AFTER_LICENSING:
        assert response.status_code == 302
        assert foreign_state(session, foreign) != before
    else:
        assert response.status_code == 403
        assert foreign_state(session, foreign) == before


def test_a_licence_issued_abroad_is_its_issuers_to_renew(client, session, world, foreign):
    """The MX licence of the Guatemalan agency: Mexico renews it and may revoke it; the
    manage page offers Mexico only what it may do."""
    client = as_role(client, world, "regulator")
    client.post(
        f"/manage/agencies/{foreign['agency'].id}/licences",
        data={
            "licence-number": "MX-900",
            "licence-valid_from": "2026-01-01",
            "csrf_token": token(client),
        },
    )
    mx_licence = session.exec(select(Licence).where(Licence.number == "MX-900")).one()
    response = client.post(
        f"/manage/licences/{mx_licence.id}/renew",
        data={"renew-valid_until": "2031-01-01", "csrf_token": token(client)},
    )
    assert response.status_code == 302
    session.refresh(mx_licence)
    assert mx_licence.valid_until == date(2031, 1, 1)
    page = client.get(f"/manage/agencies/{foreign['agency'].id}", headers=EN)
    html = page.get_data(as_text=True)
    assert "Edit identity" not in html
    assert f"/manage/licences/{mx_licence.id}/renew" in html
    assert f"/manage/licences/{foreign['licence'].id}/renew" not in html
    assert f'<option value="{foreign["licence"].id}"' not in html  # not sanctionable by MX
    assert "Kept passports" not in client.get("/manage/red-flags").get_data(as_text=True)


def test_a_sanction_cannot_name_another_authoritys_licence(client, session, world, foreign):
    client = as_role(client, world, "regulator")
    client.post(
        f"/manage/agencies/{foreign['agency'].id}/licences",
        data={
            "licence-number": "MX-900",
            "licence-valid_from": "2026-01-01",
            "csrf_token": token(client),
        },
    )
    before = foreign_state(session, foreign)
    response = client.post(
        f"/manage/agencies/{foreign['agency'].id}/sanctions",
        data={
            "sanction-type": "revocation",
            "sanction-licence_id": str(foreign["licence"].id),
            "sanction-decision_ref": "X",
            "sanction-starts_on": "2026-01-01",
            "sanction-summary": "x",
            "csrf_token": token(client),
        },
    )
    assert response.status_code == 400
    assert foreign_state(session, foreign) == before


def manage_page(client, agency_id):
    return client.get(f"/manage/agencies/{agency_id}", headers=EN).get_data(as_text=True)


def test_the_sanction_form_proposes_the_agencys_licence(client, world):
    client = as_role(client, world, "regulator")
    page = manage_page(client, world["agency"].id)
    form = page[page.index('name="sanction-licence_id"') :]
    form = form[: form.index("</select>")]
    assert re.search(rf'<option selected value="{world["licence"].id}">MX-77', form)


def test_a_confirmed_revocation_revokes_the_licence_everywhere(client, session, world):
    agency, licence = world["agency"], world["licence"]
    client = as_role(client, world, "regulator")
    assert "Renew</button>" in manage_page(client, agency.id)
    client.post(
        f"/manage/sanctions/{world['pending'].id}/confirm", data={"csrf_token": token(client)}
    )
    page = manage_page(client, agency.id)
    row = page[page.index("MX-77 (MX)") :]
    assert row[: row.index("</tr>")].count("Revoked") == 1 and "Renew</button>" not in page
    response = client.post(
        f"/manage/licences/{licence.id}/renew",
        data={"renew-valid_until": "2101-01-01", "csrf_token": token(client)},
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Licence, licence.id).valid_until == date(2099, 1, 1)
    public = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert "verdict-revoked" in public and "is active" not in public
    licence_row = public[public.index("<td>MX-77</td>") :]
    assert "Revoked" in licence_row[: licence_row.index("</tr>")]
    api = client.get("/api/v1/search?q=Agencia+Sierra+Madre").get_json()["results"][0]
    assert api["status"] == "revoked" and api["verdict"]["code"] == "revoked"


def test_a_suspension_suspends_its_licence_for_its_term_then_is_lifted(client, session, world):
    agency = world["agency"]
    client = as_role(client, world, "regulator")
    response = client.post(
        f"/manage/agencies/{agency.id}/sanctions",
        data={
            "sanction-type": "suspension",
            "sanction-licence_id": str(world["licence"].id),
            "sanction-decision_ref": "SUS-1",
            "sanction-starts_on": "2026-01-01",
            "sanction-ends_on": "2099-06-30",
            "sanction-summary": "Fees charged to workers",
            "csrf_token": token(client),
        },
    )
    assert response.status_code == 302
    public = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    reasons = public[public.index('<ul class="reasons">') :]
    first = re.search(r"<li[^>]*>([^<]+)</li>", reasons).group(1)
    assert first == "Licence MX-77 issued by Secretaría MX is suspended until June 30, 2099."
    suspension = session.exec(select(Sanction).where(Sanction.decision_ref == "SUS-1")).one()
    rejected = client.post(
        f"/manage/sanctions/{suspension.id}/events",
        data={
            "event-kind": "lifted",
            "event-on": "2026-03-01",
            "event-reason": "",
            "csrf_token": token(client),
        },
    )
    assert rejected.status_code == 400  # the reason is required, and nothing changes
    client.post(
        f"/manage/sanctions/{suspension.id}/events",
        data={
            "event-kind": "lifted",
            "event-on": "2026-03-01",
            "event-reason": "The fees were paid back",
            "csrf_token": token(client),
        },
    )
    session.refresh(suspension)
    assert suspension.lifted_on == date(2026, 3, 1)  # a suspension needs no second regulator
    public = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert "verdict-licensed" in public
    events = public[public.index('<ol class="events">') :]
    assert "January 1, 2026</time> — Imposed" in events
    assert "March 1, 2026</time> — Lifted: The fees were paid back" in events
    assert "lifted from March 1, 2026" in public[public.index("History of its status") :]


def test_an_appeal_on_a_revocation_needs_a_second_regulator_at_every_step(client, session, world):
    agency, revocation = world["agency"], world["pending"]
    client = as_role(client, world, "regulator")
    client.post(f"/manage/sanctions/{revocation.id}/confirm", data={"csrf_token": token(client)})

    def step(kind, on, reason):
        client.post(
            f"/manage/sanctions/{revocation.id}/events",
            data={
                "event-kind": kind,
                "event-on": on,
                "event-reason": reason,
                "csrf_token": token(client),
            },
        )
        event = session.exec(select(SanctionEvent).where(SanctionEvent.kind == kind)).one()
        assert event.status == "awaiting_confirmation"
        return event

    def confirm_as(email, event):
        client.post("/logout", data={"csrf_token": token(client, "/help")})
        log_in(client, email)
        client.post(
            f"/manage/sanction-events/{event.id}/confirm", data={"csrf_token": token(client)}
        )
        session.expire_all()

    lodged = step("appeal_lodged", "2026-02-01", "Appeal filed with the labour court")
    session.refresh(revocation)
    assert revocation.appeal_state == "none"  # nothing changes before the second regulator
    confirm_as("mx2@gov.example", lodged)
    assert session.get(Sanction, revocation.id).appeal_state == "pending"
    decided = step("appeal_overturned", "2026-05-01", "The court annulled decision REV-1")
    confirm_as("mx1@gov.example", decided)
    assert session.get(Sanction, revocation.id).appeal_state == "overturned"
    assert session.get(Licence, world["licence"].id).status == "active"
    public = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert "verdict-licensed" in public
    events = public[public.index('<ol class="events">') :]
    assert (
        events.index("Imposed")
        < events.index("February 1, 2026</time> — Appeal lodged")
        < events.index("May 1, 2026</time> — Overturned on appeal")
    )
    actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert actions[-5:] == [
        "sanction.propose_appeal_lodged",
        "sanction.appeal_lodged",
        "sanction.propose_appeal_overturned",
        "sanction.appeal_overturned",
        "licence.reinstate",
    ]
    assert verify(session)[1] == []


def test_a_summary_says_its_language_until_it_is_translated(client, session, world):
    agency = world["agency"]
    client = as_role(client, world, "regulator")
    url = f"/manage/agencies/{agency.id}/sanctions"
    client.post(
        url,
        data={
            "sanction-type": "warning",
            "sanction-licence_id": "0",
            "sanction-decision_ref": "W-7",
            "sanction-starts_on": "2026-02-01",
            "sanction-summary": "Cobró cuotas a los trabajadores",
            "sanction-lang": "es",
            "csrf_token": token(client),
        },
    )
    sanction = session.exec(select(Sanction).where(Sanction.decision_ref == "W-7")).one()
    assert sanction.lang == "es"
    english = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert '<span lang="es">Cobró cuotas a los trabajadores</span>' in english
    assert "(written in Spanish; no translation yet)" in english

    page = f"/manage/texts/sanction/{sanction.id}"
    refused = client.post(
        page,
        headers=EN,
        data={"lang": "es", "text": "Otra cosa", "csrf_token": token(client, page)},
    )
    assert refused.status_code == 400 and "Otra cosa" in refused.get_data(as_text=True)
    assert "already written in this language" in refused.get_data(as_text=True)
    saved = client.post(
        page, data={"lang": "en", "text": "Charged workers fees", "csrf_token": token(client, page)}
    )
    assert saved.status_code == 302
    english = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert '<span lang="en">Charged workers fees</span>' in english
    assert "no translation yet" not in english
    spanish = client.get(f"/agencies/{agency.id}", headers={"Accept-Language": "es"})
    assert "Cobró cuotas a los trabajadores" in spanish.get_data(as_text=True)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "public_text.add")).one()
    assert (entry.entity, entry.entity_id, entry.agency_id) == ("sanction", sanction.id, agency.id)


@pytest.mark.parametrize(
    "name, field",
    [
        ("issue licence", "licence-number"),
        ("impose sanction", "sanction-decision_ref"),
        ("record finding", "finding-reference"),
    ],
)
def test_a_refused_write_keeps_the_form_and_changes_nothing(client, session, world, name, field):
    """A domain rule refusing a write (here: an end before the start, a licence number with
    no letters or digits, a finding on another agency's red flag) answers 400 with the form as
    typed, and keeps nothing."""
    client = as_role(client, world, "regulator")
    url, data = requests(world)[name]
    broken = {
        "issue licence": {"licence-number": "---"},
        "impose sanction": {"sanction-ends_on": "2025-01-01"},
        "record finding": {"finding-red_flag_ids": "999999"},
    }[name]
    typed = {**data, **broken}
    before = counts(session)
    response = client.post(url, data={**typed, "csrf_token": token(client)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'name="{field}"' in page and f'value="{typed[field]}"' in page
    assert counts(session) == before


# Inspectorates and consulates: a consulate of Guatemala stationed in Mexico follows agencies
# that recruit Guatemalans; Canada's labour inspectorate those that place workers in Canada.
# Either records visits and findings on such an agency, nothing else; on any other, nothing.
MONITORS = {
    "consulate": ("GT", "origin", "consul@gt.example"),
    "inspectorate": ("CA", "destination", "inspector@ca.example"),
}


@pytest.fixture
def monitors(session, world):
    for kind, (country, _direction, email) in MONITORS.items():
        authority_with_account(
            session,
            email,
            name=f"{kind} {country}",
            country=country,
            kind=kind,
            station="MX" if kind == "consulate" else "",
        )
    session.commit()


@pytest.mark.parametrize("reaches", [False, True], ids=["elsewhere", "in-its-corridor"])
@pytest.mark.parametrize("kind", sorted(MONITORS))
@pytest.mark.parametrize(
    "name",
    sorted(
        foreign_requests(
            {
                "agency": Agency(id=0),
                "licence": Licence(id=0),
                "pending": Sanction(id=0),
                "flag": RedFlag(id=0),
                "evidence": EvidenceFile(id=0),
            }
        )
    )
    + ["issue licence"],
)
def test_monitor_matrix(client, session, world, foreign, monitors, kind, reaches, name):
    country, direction, email = MONITORS[kind]
    if reaches:
        session.add(
            AgencyCorridor(agency_id=foreign["agency"].id, country=country, direction=direction)
        )
        session.commit()
    log_in(client, email)
    method, url, data = {
        **foreign_requests(foreign),
        "issue licence": (
            "POST",
            f"/manage/agencies/{foreign['agency'].id}/licences",
            {"licence-number": "X-1", "licence-valid_from": "2026-01-01"},
        ),
    }[name]
    before = foreign_state(session, foreign), len(foreign_licences(session, foreign))
    if method == "POST":
        response = client.post(url, data={**data, "csrf_token": token(client)})
    else:
        response = client.get(url)
    after = foreign_state(session, foreign), len(foreign_licences(session, foreign))
    if reaches and name in ("record inspection", "record finding"):
        assert response.status_code == 302
        assert after != before
    else:
        assert response.status_code == 403
        assert after == before


def foreign_licences(session, foreign):
    session.expire_all()
    return session.get(Agency, foreign["agency"].id).licences


def test_a_monitor_sees_the_agencies_its_corridors_reach(client, session, world, monitors):
    """The consulate's dashboard lists the agencies recruiting its nationals, whatever their
    country, and no other; it offers no "record a new agency"."""
    reaching = Agency(name="Reclutadora Puente Sur", name_key="reclutadora sur", country="MX")
    reaching.corridors = [AgencyCorridor(country="GT", direction="origin")]
    elsewhere = Agency(name="Agencia Norte Lejano", name_key="agencia norte lejano", country="MX")
    elsewhere.corridors = [AgencyCorridor(country="GT", direction="destination")]
    session.add_all([reaching, elsewhere])
    session.commit()
    log_in(client, "consul@gt.example")
    page = client.get("/manage/", headers=EN).get_data(as_text=True)
    assert "Reclutadora Puente Sur" in page and "Agencia Norte Lejano" not in page
    assert client.get("/manage/agencies/new").status_code == 403
    manage = client.get(f"/manage/agencies/{reaching.id}", headers=EN).get_data(as_text=True)
    assert "Licences and sanctions stay with the licensing regulators" in manage
    assert 'name="inspection-visited_on"' in manage and 'name="sanction-type"' not in manage
