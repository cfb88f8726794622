"""One agency, one record: a reported name that turns out to be a registered agency is merged
into it (names, contacts, flags, findings and history move; the old pages redirect), and a red
flag is filed on the registered agency it is really about."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select
from support import EN, PASSWORD, log_in, log_out, token

from registry.accounts.service import create_user
from registry.audit.chain import verify
from registry.models import Agency, AgencyContact, AuditEntry, Finding, RedFlag


@pytest.fixture
def world(session, make_authority, make_agency, index_now):
    mx = make_authority("Secretaría MX", "MX")
    for email in ("mx1@gov.example", "mx2@gov.example"):
        create_user(session, email=email, role="regulator", password=PASSWORD, authority_id=mx.id)
    gt = make_authority("Ministerio GT", "GT")
    create_user(
        session, email="gt@gov.example", role="regulator", password=PASSWORD, authority_id=gt.id
    )
    session.commit()
    registered = make_agency(
        "Agencia Sierra Madre",
        country="MX",
        phones=["+52 55 1234 5678"],
        licence=("MX-77", "active", date(2099, 1, 1)),
    )
    # What an NGO's report made of a misspelt name, later substantiated (hence public).
    duplicate = make_agency(
        "Agencia Sierra Madre Internacional",
        country="MX",
        phones=["+52 55 1234 5678", "+52 55 9999 0000"],
        emails=["contacto@sierra-madre.example"],
    )
    duplicate.listing = "registry"
    flag = RedFlag(
        agency_id=duplicate.id,
        category="recruitment_fee",
        state="substantiated",
        description="Charged 800 dollars",
        public_summary="Charged a fee",
    )
    finding = Finding(
        agency_id=duplicate.id,
        authority_id=mx.id,
        reference="F-1",
        decided_on=date(2026, 3, 1),
        summary="Charged workers a fee",
    )
    reported = make_agency("Sierra Madr Empleos", country="MX")
    reported.listing = "reported"
    open_flag = RedFlag(
        agency_id=reported.id, category="passport_retention", description="They kept my passport"
    )
    session.add_all([duplicate, flag, finding, reported, open_flag])
    session.commit()
    index_now()
    return {
        "registered": registered,
        "duplicate": duplicate,
        "flag": flag,
        "finding": finding,
        "reported": reported,
        "open_flag": open_flag,
    }


def post(client, url, **data):
    return client.post(url, headers=EN, data={**data, "csrf_token": token(client, url)})


def test_merging_moves_everything_and_the_old_pages_redirect(client, session, world, index_now):
    registered, duplicate = world["registered"], world["duplicate"]
    log_in(client, "mx1@gov.example")
    page = client.get(f"/manage/agencies/{duplicate.id}/merge", headers=EN).get_data(as_text=True)
    assert f'name="candidate" value="{registered.id}"' in page  # the lookup's own matching
    response = post(
        client, f"/manage/agencies/{duplicate.id}/merge", candidate=str(registered.id), checked="y"
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/agencies/{registered.id}")
    session.expire_all()
    survivor = session.get(Agency, registered.id)
    assert "Agencia Sierra Madre Internacional" in [n.name for n in survivor.names]
    phones = [c.value for c in survivor.contacts if c.type == "phone"]
    assert sorted(phones) == ["+52 55 1234 5678", "+52 55 9999 0000"]  # no duplicate phone
    assert "contacto@sierra-madre.example" in survivor.contact_values("email")
    assert session.get(RedFlag, world["flag"].id).agency_id == registered.id
    assert session.get(Finding, world["finding"].id).agency_id == registered.id
    merged = session.get(Agency, duplicate.id)
    assert (merged.listing, merged.merged_into_id) == ("merged", registered.id)
    assert not session.exec(
        select(AgencyContact).where(AgencyContact.agency_id == duplicate.id)
    ).all()

    actions = session.exec(
        select(AuditEntry.action, AuditEntry.agency_id).where(
            AuditEntry.action.in_(["agency.merge", "agency.absorb"])
        )
    ).all()
    assert sorted(actions) == [("agency.absorb", registered.id), ("agency.merge", duplicate.id)]
    assert verify(session)[1] == []  # the audit chain holds

    public = client.get(f"/agencies/{duplicate.id}")
    assert public.status_code == 301
    assert public.headers["Location"].endswith(f"/agencies/{registered.id}")
    api = client.get(f"/api/v1/agencies/{duplicate.id}")
    assert api.status_code == 301 and api.headers["Location"].endswith(
        f"/api/v1/agencies/{registered.id}"
    )
    manage = client.get(f"/manage/agencies/{duplicate.id}")
    assert manage.status_code == 302

    survivor_page = client.get(f"/agencies/{registered.id}", headers=EN).get_data(as_text=True)
    assert "was found to be this agency and joined to it" in survivor_page
    assert "Charged a fee" in survivor_page  # the substantiated red flag moved

    index_now()
    found = client.get("/api/v1/search?q=Agencia+Sierra+Madre+Internacional").get_json()
    ids = [hit["id"] for hit in found["results"]]
    assert registered.id in ids and duplicate.id not in ids
    assert found["results"][0]["id"] == registered.id


def test_a_report_naming_a_merged_record_is_filed_on_the_survivor(client, session, world):
    registered, duplicate = world["registered"], world["duplicate"]
    log_in(client, "mx1@gov.example")
    post(client, f"/manage/agencies/{duplicate.id}/merge", record=str(registered.id), checked="y")
    log_out(client)
    response = client.post(
        f"/report?agency={duplicate.id}",
        headers=EN,
        data={
            "agency_id": str(duplicate.id),
            "name": duplicate.name,
            "country": "MX",
            "category": "other",
            "description": "They asked for money again.",
            "csrf_token": token(client, f"/report?agency={duplicate.id}"),
        },
    )
    assert response.status_code == 200
    session.expire_all()
    latest = session.exec(select(RedFlag).order_by(RedFlag.id.desc())).first()
    assert latest.agency_id == registered.id


@pytest.mark.parametrize(
    "data, message",
    [
        ({"record": "999999", "checked": "y"}, "No agency has this record number."),
        ({"record": "abc", "checked": "y"}, "Write the record number only"),
        ({"record": "١٢", "checked": "y"}, "No agency has this record number."),
        ({"candidate": "²", "checked": "y"}, "Choose the agency, or write its record number."),
        ({"record": "99999999999", "checked": "y"}, "No agency has this record number."),
        ({"checked": "y"}, "Choose the agency, or write its record number."),
        ({"record": "SELF", "checked": "y"}, "cannot be merged into itself"),
        ({"record": "REPORTED", "checked": "y"}, "not into a reported name"),
        ({"record": "REGISTERED"}, "Tick the box"),
    ],
)
def test_a_refused_merge_says_why_and_changes_nothing(client, session, world, data, message):
    ids = {
        "SELF": world["duplicate"].id,
        "REPORTED": world["reported"].id,
        "REGISTERED": world["registered"].id,
    }
    data = {k: str(ids.get(v, v)) if k == "record" else v for k, v in data.items()}
    log_in(client, "mx1@gov.example")
    before = session.exec(select(AuditEntry.id)).all()
    response = post(client, f"/manage/agencies/{world['duplicate'].id}/merge", **data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Agency, world["duplicate"].id).merged_into_id is None
    assert session.exec(select(AuditEntry.id)).all() == before


def test_another_countrys_regulator_may_not_merge(client, session, world):
    log_in(client, "gt@gov.example")
    response = post(
        client,
        f"/manage/agencies/{world['duplicate'].id}/merge",
        record=str(world["registered"].id),
        checked="y",
    )
    assert response.status_code == 403
    session.expire_all()
    assert session.get(Agency, world["duplicate"].id).merged_into_id is None


def test_a_red_flag_is_filed_on_the_agency_it_is_about(client, session, world):
    registered, reported, flag = world["registered"], world["reported"], world["open_flag"]
    log_in(client, "mx1@gov.example")
    review = client.get(f"/manage/red-flags/{flag.id}", headers=EN).get_data(as_text=True)
    assert f"/manage/red-flags/{flag.id}/agency" in review
    page = client.get(f"/manage/red-flags/{flag.id}/agency", headers=EN).get_data(as_text=True)
    assert f'value="{registered.id}"' in page
    response = post(
        client, f"/manage/red-flags/{flag.id}/agency", candidate=str(registered.id), checked="y"
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(RedFlag, flag.id).agency_id == registered.id
    # The reported name had nothing else: it is merged, and people who type it find the agency.
    left = session.get(Agency, reported.id)
    assert (left.listing, left.merged_into_id) == ("merged", registered.id)
    link = session.exec(select(AuditEntry).where(AuditEntry.action == "red_flag.link")).one()
    assert json.loads(link.before)["agency_id"] == reported.id
    assert json.loads(link.after)["agency_id"] == registered.id
    queue = client.get("/manage/red-flags", headers=EN).get_data(as_text=True)
    assert "Sierra Madr Empleos" not in queue and "Agencia Sierra Madre" in queue
