"""Red flags referred across borders: Mexico, which reviews a red flag, passes it to Guatemala's
authority with a note; Guatemala finds it in its referrals, reads the account and the evidence
(never who reported), and accepts or declines; both see the trail; every step is audited."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select
from support import EN, PASSWORD, log_in, log_out, token

from registry.accounts.service import create_user
from registry.audit.chain import verify
from registry.models import AuditEntry, EvidenceContent, EvidenceFile, Referral
from registry.regulation.operations import RuleBroken
from registry.reports import referrals


def refer(client, flag, to_authority_id, note="Places Guatemalans in Mexico: please check."):
    url = f"/manage/red-flags/{flag.id}/referrals"
    return client.post(
        url,
        headers=EN,
        data={
            "refer-to_authority_id": str(to_authority_id),
            "refer-note": note,
            "csrf_token": token(client, f"/manage/red-flags/{flag.id}"),
        },
    )


def answer(client, referral, choice, note=""):
    url = f"/manage/referrals/{referral.id}"
    return client.post(
        url,
        headers=EN,
        data={"answer-answer": choice, "answer-note": note, "csrf_token": token(client, url)},
    )


def with_reporter_and_evidence(session, flag):
    flag.reporter_name, flag.contact = "María Testigo", "whatsapp +52 55 1234 5678"
    session.add(flag)
    session.flush()
    evidence = EvidenceFile(
        red_flag_id=flag.id,
        original_name="contrato.pdf",
        stored_name="e1.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0",
    )
    session.add(evidence)
    session.flush()
    session.add(EvidenceContent(evidence_file_id=evidence.id, data=b"%PDF"))
    session.commit()
    return evidence


def test_a_referral_from_question_to_answer(client, session, world):
    flag, referral = world["flag"], world["referral"]
    evidence = with_reporter_and_evidence(session, flag)

    log_in(client, "gt@gov.example")  # Guatemala, the receiving authority
    queue = client.get("/manage/referrals", headers=EN).get_data(as_text=True)
    assert "Received by your authority" in queue and "Agencia Sierra Madre" in queue
    page = client.get(f"/manage/referrals/{referral.id}", headers=EN).get_data(as_text=True)
    assert "Asked for a visa fee" in page and "The agency places Guatemalans" in page
    assert "María Testigo" not in page and "1234 5678" not in page  # never who reported
    assert client.get(f"/manage/evidence/{evidence.id}").status_code == 200
    assert client.get(f"/manage/red-flags/{flag.id}").status_code == 403  # not its review

    refused = answer(client, referral, "declined")  # declining needs a reason
    assert refused.status_code == 400 and "say why you decline it" in refused.get_data(as_text=True)
    assert answer(client, referral, "accepted", "We will visit its office.").status_code == 302
    again = answer(client, referral, "declined", "Changed our mind")
    assert again.status_code == 400 and "already been answered" in again.get_data(as_text=True)
    session.expire_all()
    stored = session.get(Referral, referral.id)
    assert (stored.state, stored.answer) == ("accepted", "We will visit its office.")
    log_out(client)

    log_in(client, "mx1@gov.example")  # Mexico, which referred it, sees the answer
    review = client.get(f"/manage/red-flags/{flag.id}", headers=EN).get_data(as_text=True)
    assert "Accepted: the authority will act on it" in review
    assert "We will visit its office." in review


def test_referring_is_audited_and_checked(client, session, world):
    flag = world["flag"]
    log_in(client, "mx1@gov.example")
    gt = world["users"]["other_regulator"].authority_id
    same_country = world["users"]["regulator"].authority_id
    assert refer(client, flag, same_country).status_code == 400  # not offered: other countries
    assert session.exec(select(Referral)).all() == [world["referral"]]
    waiting = refer(client, flag, gt)  # the world's referral to Guatemala still waits
    assert waiting.status_code == 400
    assert "already waits for that authority" in waiting.get_data(as_text=True)
    no_note = refer(client, flag, world["inspectorate"].id, note="")
    assert no_note.status_code == 400
    assert refer(client, flag, world["inspectorate"].id).status_code == 302
    made = session.exec(
        select(Referral).where(Referral.to_authority_id == world["inspectorate"].id)
    )
    referral = made.one()
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "red_flag.refer")).one()
    assert entry.entity_id == referral.id and entry.agency_id == world["agency"].id
    assert json.loads(entry.after)["note"].startswith("Places Guatemalans")
    assert verify(session)[1] == []


def test_nobody_else_reads_a_referral(client, session, world):
    """An authority neither sending nor receiving, an NGO, the public: nothing."""
    referral, flag = world["referral"], world["flag"]
    evidence = with_reporter_and_evidence(session, flag)
    create_user(
        session,
        email="inspector@ca.example",
        role="regulator",
        password=PASSWORD,
        authority_id=world["inspectorate"].id,
    )
    session.commit()
    log_in(client, "inspector@ca.example")
    assert client.get(f"/manage/referrals/{referral.id}").status_code == 403
    assert answer(client, referral, "accepted").status_code == 403
    assert client.get(f"/manage/evidence/{evidence.id}").status_code == 403
    assert "Agencia Sierra Madre" not in client.get("/manage/referrals").get_data(as_text=True)
    log_out(client)
    log_in(client, "ngo@ngo.example")
    assert client.get(f"/manage/referrals/{referral.id}").status_code == 403
    log_out(client)
    assert client.get(f"/manage/referrals/{referral.id}").status_code == 302  # to log in


def test_the_rule_itself_refuses_an_authority_of_the_same_country(app, session, world):
    """Beyond the form's choices: the operation refuses it too."""
    with app.test_request_context(), pytest.raises(RuleBroken):
        referrals.refer(
            session,
            actor=world["users"]["regulator"],
            flag=world["flag"],
            to_authority_id=world["users"]["regulator"].authority_id,
            note="Same country",
        )
