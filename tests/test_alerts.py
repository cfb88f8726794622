"""Nobody has to ask: staff notices (inbox and e-mail, through a real SMTP server), watching an
agency by e-mail (double opt-in, one-click unsubscribe), the Atom feeds, the warnings page, and
phoenix firms flagged to the regulators concerned."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from sqlmodel import select
from support import EN, authority_with_account, log_in, log_out, send_report, token

from registry.alerts import watches
from registry.models import (
    AgencyCorridor,
    Licence,
    Notice,
    Sanction,
    User,
    Watch,
)
from registry.search.matching import licence_key

ATOM = "{http://www.w3.org/2005/Atom}"


def suspend(client, agency, starts_on="2026-01-01"):
    url = f"/manage/agencies/{agency.id}/sanctions"
    return client.post(
        url,
        data={
            "sanction-type": "suspension",
            "sanction-licence_id": "0",
            "sanction-decision_ref": "S-77",
            "sanction-starts_on": starts_on,
            "sanction-ends_on": "2099-01-01",
            "sanction-summary": "Charged workers for visas",
            "csrf_token": token(client),
        },
    )


def notices_of(session, email):
    session.expire_all()
    return session.exec(
        select(Notice).join(User, User.id == Notice.user_id).where(User.email == email)
    ).all()


def test_a_sanction_reaches_the_other_authorities_concerned(client, session, world, inbox):
    """Mexico suspends its agency, which Guatemala licensed too and a Honduran consulate follows
    (it recruits Hondurans): both hear of it, in the inbox and by e-mail; Mexico does not."""
    agency = world["agency"]
    gt = world["users"]["other_regulator"].authority_id
    session.add(
        Licence(
            agency_id=agency.id,
            authority_id=gt,
            number="GT-3",
            number_key=licence_key("GT-3"),
            country="GT",
            valid_until=date(2099, 1, 1),
        )
    )
    authority_with_account(
        session,
        "c@hn.example",
        name="Consulado HN",
        country="HN",
        kind="consulate",
        station="MX",
        languages="es",
    )
    session.add(AgencyCorridor(agency_id=agency.id, country="HN", direction="origin"))
    session.commit()
    log_in(client, "mx1@gov.example")
    assert suspend(client, agency).status_code == 302
    received = {inbox.next()[0][0] for _ in range(2)}
    assert received == {"gt@gov.example", "c@hn.example"}
    assert inbox.empty_after_sending(client.application)
    assert notices_of(session, "mx1@gov.example") == []
    log_out(client)
    log_in(client, "c@hn.example")
    page = client.get("/manage/inbox", headers=EN).get_data(as_text=True)
    assert "imposed a sanction on Agencia Sierra Madre: Suspension" in page
    assert (
        client.post(
            "/manage/inbox/read", data={"csrf_token": token(client, "/manage/inbox")}
        ).status_code
        == 302
    )
    assert all(n.read_at for n in notices_of(session, "c@hn.example"))


def test_a_referral_and_a_new_red_flag_are_told(client, session, world, inbox):
    send_report(client, name="Agencia Sierra Madre")  # a public report on the MX agency
    told = {inbox.next()[0][0] for _ in range(2)}
    assert told == {"mx1@gov.example", "mx2@gov.example"}  # Mexico's reviewers, nobody else
    assert inbox.empty_after_sending(client.application)
    log_in(client, "mx1@gov.example")
    url = f"/manage/red-flags/{world['flag'].id}/referrals"
    client.post(
        url,
        data={
            "refer-to_authority_id": str(world["inspectorate"].id),
            "refer-note": "Check it",
            "csrf_token": token(client),
        },
    )
    # the inspectorate has no account: nobody to tell, and nothing fails
    assert session.exec(select(Notice).where(Notice.kind == "referral")).all() == []


def test_watching_an_agency_from_asking_to_stopping(app, client, session, world, inbox):
    agency = world["agency"]
    page = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert f"/agencies/{agency.id}/watch" in page
    url = f"/agencies/{agency.id}/watch"
    refused = client.post(
        url, headers=EN, data={"email": "not an address", "csrf_token": token(client, url)}
    )
    assert refused.status_code == 400 and 'value="not an address"' in refused.get_data(as_text=True)
    asked = client.post(
        url, headers=EN, data={"email": "Maria@Example.org", "csrf_token": token(client, url)}
    )
    assert "We sent a message to Maria@Example.org" in asked.get_data(as_text=True)
    to, message = inbox.next()
    assert to == ["maria@example.org"]
    confirm = re.search(r"http://localhost(/watch/[^/\s]+/confirm)", message.get_content()).group(1)
    # nothing is told before the address is confirmed
    log_in(client, "mx1@gov.example")
    assert suspend(client, agency).status_code == 302
    log_out(client)
    assert watches.tell_changes(app) == 0
    # the link shows a button; the button confirms
    assert client.get(confirm).status_code == 200
    assert client.post(confirm, data={"csrf_token": token(client, confirm)}).status_code == 302
    stored = session.exec(select(Watch)).one()
    assert stored.confirmed_at is not None and stored.last_code == "suspended"
    assert watches.tell_changes(app) == 0  # nothing changed since confirming

    # the suspension is lifted early: the verdict changes, a message goes out
    log_in(client, "mx1@gov.example")
    suspension = session.exec(select(Sanction).where(Sanction.decision_ref == "S-77")).one()
    events = f"/manage/sanctions/{suspension.id}/events"
    client.post(
        events,
        data={
            "event-kind": "lifted",
            "event-on": date.today().isoformat(),
            "event-reason": "Refunded",
            "csrf_token": token(client),
        },
    )
    log_out(client)
    assert watches.tell_changes(app) == 1
    client.application.extensions["registry.jobs"]["mail"]()  # the worker's turn
    to, message = inbox.next()
    assert to == ["maria@example.org"] and "Agencia Sierra Madre" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # written by the worker, outside any request: the link starts with REGISTRY_PUBLIC_URL
    unsubscribe = message["List-Unsubscribe"].strip()  # folded: a long header
    assert unsubscribe.startswith("<http://127.0.0.1:5000/watch/")
    stop = re.search(r"<http://[^/]+(/watch/[^>]+/stop)>", unsubscribe).group(1)
    assert stop in message.get_content()
    # RFC 8058: the mail provider posts without any CSRF token
    assert client.post(stop, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert session.exec(select(Watch)).all() == []
    assert client.get(stop).status_code == 404  # the link worked once


def test_an_address_cannot_be_flooded_with_confirmations(client, session, world, make_agency):
    for n in range(watches.PENDING_PER_ADDRESS + 1):
        agency = make_agency(f"Agencia Número {n}", country="MX")
        url = f"/agencies/{agency.id}/watch"
        response = client.post(
            url, headers=EN, data={"email": "victim@example.org", "csrf_token": token(client, url)}
        )
    assert response.status_code == 400
    assert "too many watches waiting" in response.get_data(as_text=True)
    pending = session.exec(select(Watch).where(Watch.email == "victim@example.org")).all()
    assert len(pending) == watches.PENDING_PER_ADDRESS


def test_the_feeds_and_the_warnings_page(client, session, world, make_agency, make_authority):
    gt = world["users"]["other_regulator"].authority_id
    quetzal = make_agency("Agencia Quetzal", country="GT")
    session.add(
        Sanction(
            agency_id=quetzal.id,
            authority_id=gt,
            country="GT",
            type="ban",
            decision_ref="GT-BAN-9",
            starts_on=date.today() - timedelta(days=3),
            summary="Sold fake visas",
        )
    )
    session.add(
        Sanction(
            agency_id=world["agency"].id,
            authority_id=world["users"]["regulator"].authority_id,
            country="MX",
            type="revocation",
            decision_ref="MX-R-1",
            starts_on=date.today() - timedelta(days=10),
            status="in_force",
        )
    )
    session.commit()
    feed = client.get("/feeds/changes.atom", headers=EN)
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    entries = ET.fromstring(feed.data).findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles[:2] == ["Ban: Agencia Quetzal", "Revocation: Agencia Sierra Madre"]
    only_gt = ET.fromstring(client.get("/feeds/changes.atom?country=GT", headers=EN).data)
    assert [e.find(f"{ATOM}title").text for e in only_gt.findall(f"{ATOM}entry")] == [
        "Ban: Agencia Quetzal"
    ]
    assert client.get("/feeds/changes.atom?country=XX").status_code == 400
    own = ET.fromstring(client.get(f"/agencies/{quetzal.id}/changes.atom", headers=EN).data)
    assert len(own.findall(f"{ATOM}entry")) == 1
    page = client.get("/warnings", headers=EN).get_data(as_text=True)
    assert page.index("Guatemala") < page.index("Agencia Quetzal") < page.index("Mexico")
    assert "Sold fake visas" in page and "Warning" not in page.split("<h1>")[1][:0]
    warnings = ET.fromstring(client.get("/warnings.atom", headers=EN).data)
    assert len(warnings.findall(f"{ATOM}entry")) == 2  # the warning sanction is not one


def test_a_phoenix_firm_is_flagged(client, session, world, make_agency, index_now, inbox):
    """Guatemala banned an agency; Mexico records a new one with its phone: the manage page
    says so, and Guatemala hears of it."""
    gt = world["users"]["other_regulator"].authority_id
    banned = make_agency("Trabajos del Sol", country="GT", phones=["+502 2222 3333"])
    session.add(
        Sanction(
            agency_id=banned.id,
            authority_id=gt,
            country="GT",
            type="ban",
            decision_ref="GT-BAN-1",
            starts_on=date(2025, 1, 1),
        )
    )
    session.commit()
    index_now()
    log_in(client, "mx1@gov.example")
    response = client.post(
        "/manage/agencies/new",
        data={
            "name": "Empleos Amanecer",
            "kind": "agency",
            "phones": "+502 2222 3333",
            "csrf_token": token(client, "/manage/agencies/new"),
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Possible phoenix firm" in page
    assert "Resembles Trabajos del Sol (Banned): same phone." in page
    to, message = inbox.next()
    assert to == ["gt@gov.example"] and "Trabajos del Sol" in message.get_content()
    notice = session.exec(select(Notice).where(Notice.kind == "phoenix")).first()
    assert notice is not None and "Trabajos del Sol" in notice.params
    # editing it again does not tell Guatemala a second time
    edit = f"/manage/agencies/{notice.agency_id}/edit"
    again = client.post(
        edit,
        data={
            "name": "Empleos Amanecer",
            "kind": "agency",
            "phones": "+502 2222 3333",
            "address": "Calle Nueva 5",
            "csrf_token": token(client, edit),
        },
    )
    assert again.status_code == 302
    told = session.exec(select(Notice).where(Notice.kind == "phoenix")).all()
    assert len(told) == 1
    # an agency that resembles nobody banned is not flagged
    clean = client.post(
        "/manage/agencies/new",
        data={
            "name": "Cosechas Honradas",
            "kind": "agency",
            "phones": "+52 55 1111 2222",
            "csrf_token": token(client, "/manage/agencies/new"),
        },
    )
    assert "Possible phoenix firm" not in client.get(
        clean.headers["Location"], headers=EN
    ).get_data(as_text=True)


def test_an_imported_agency_that_resembles_a_banned_one_is_flagged(
    app, runner, session, world, make_agency, index_now, tmp_path
):
    """A regulator's CSV import is checked as a hand-made record is: the regulators concerned
    hear of the new agency that has the banned one's website; the others are not flagged."""
    gt = world["users"]["other_regulator"].authority_id
    banned = make_agency(
        "Trabajos del Sol", country="GT", websites=["https://trabajosdelsol.example"]
    )
    session.add(
        Sanction(
            agency_id=banned.id,
            authority_id=gt,
            country="GT",
            type="ban",
            decision_ref="GT-BAN-2",
            starts_on=date(2025, 1, 1),
        )
    )
    session.commit()
    index_now()
    path = tmp_path / "agencies.csv"
    path.write_text(
        "name,kind,country,licence_number,status,aliases,valid_from,valid_until,authority,"
        "address,city,phone,email,website\n"
        "Amanecer Laboral,agency,MX,,,,,,,,,,,https://www.trabajosdelsol.example/\n"
        "Cosechas Honradas,agency,MX,,,,,,,,,,,https://cosechas.example\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["import-agencies", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 new agencies resemble a banned or revoked one" in result.output
    notices = session.exec(select(Notice).where(Notice.kind == "phoenix")).all()
    told = {session.get(User, n.user_id).email for n in notices}  # both countries: nobody acted
    assert "gt@gov.example" in told and "mx1@gov.example" in told
    assert all("Amanecer Laboral" in n.params and "Trabajos del Sol" in n.params for n in notices)
