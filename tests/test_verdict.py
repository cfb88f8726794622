"""The verdict rules, table-driven: records and a date in, one code and its reasons out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from registry.verdict import effective_licence_status, evaluate

ON = date(2026, 6, 1)


@dataclass(frozen=True)
class Auth:
    name: str = "Ministry X"


@dataclass
class L:
    status: str = "active"
    valid_until: date | None = date(2027, 3, 1)
    valid_from: date | None = date(2024, 1, 1)
    number: str = "RL-123"
    conditions: str = ""
    authority: Auth = Auth()
    id: int = 1
    authority_id: int | None = 1


@dataclass
class S:
    type: str
    starts_on: date = date(2026, 5, 1)
    ends_on: date | None = date(2026, 8, 1)
    appeal_state: str = "none"
    decision_ref: str = "Z-1"
    authority: Auth = Auth("Authority Y")
    status: str = "in_force"
    licence_id: int | None = None
    authority_id: int | None = 1
    lifted_on: date | None = None


@dataclass
class F:
    state: str = "substantiated"
    category: str = "recruitment_fee"


@dataclass
class Fd:
    decided_on: date = date(2026, 1, 1)
    reference: str = "F-1"
    summary: str = "Sold fake visas"
    authority: Auth = Auth()


CASES = [
    # (description, licences, sanctions, findings, red flags, expected code)
    ("no records at all", [], [], [], [], "unlicensed"),
    ("an active licence", [L()], [], [], [], "licensed"),
    ("active with no end date", [L(valid_until=None)], [], [], [], "licensed"),
    ("active licence past its end date", [L(valid_until=date(2026, 5, 31))], [], [], [], "expired"),
    ("last day of validity still counts", [L(valid_until=ON)], [], [], [], "licensed"),
    (
        "suspended licence past its end date",
        [L("suspended", date(2026, 1, 1))],
        [],
        [],
        [],
        "expired",
    ),
    ("stored expired", [L("expired")], [], [], [], "expired"),
    ("licence not valid yet", [L(valid_from=date(2026, 7, 1))], [], [], [], "unlicensed"),
    ("suspended licence", [L("suspended")], [], [], [], "suspended"),
    ("revoked licence", [L("revoked")], [], [], [], "revoked"),
    (
        "revoked stays revoked after its end date",
        [L("revoked", date(2020, 1, 1))],
        [],
        [],
        [],
        "revoked",
    ),
    ("banned licence", [L("banned")], [], [], [], "banned"),
    (
        "suspension in force outranks an active licence",
        [L()],
        [S("suspension")],
        [],
        [],
        "suspended",
    ),
    (
        "suspension with appeal pending still applies",
        [L()],
        [S("suspension", appeal_state="pending")],
        [],
        [],
        "suspended",
    ),
    (
        "suspension overturned on appeal",
        [L()],
        [S("suspension", appeal_state="overturned")],
        [],
        [],
        "licensed",
    ),
    (
        "suspension that has ended",
        [L()],
        [S("suspension", ends_on=date(2026, 5, 20))],
        [],
        [],
        "licensed",
    ),
    (
        "suspension not started yet",
        [L()],
        [S("suspension", starts_on=date(2026, 7, 1))],
        [],
        [],
        "licensed",
    ),
    ("revocation in force", [L()], [S("revocation", ends_on=None)], [], [], "revoked"),
    (
        "revocation awaiting a second regulator",
        [L()],
        [S("revocation", ends_on=None, status="awaiting_confirmation")],
        [],
        [],
        "licensed",
    ),
    ("ban outranks revocation", [L("revoked")], [S("ban", ends_on=None)], [], [], "banned"),
    ("time-limited ban over", [L()], [S("ban", ends_on=date(2026, 5, 2))], [], [], "licensed"),
    ("ban on an agency without licence", [], [S("ban", ends_on=None)], [], [], "banned"),
    ("a fine in force gives warnings", [L()], [S("fine")], [], [], "licensed_with_warnings"),
    ("a warning in force gives warnings", [L()], [S("warning")], [], [], "licensed_with_warnings"),
    (
        "licence conditions give warnings",
        [L(conditions="No client funds")],
        [],
        [],
        [],
        "licensed_with_warnings",
    ),
    ("substantiated red flag", [L()], [], [], [F()], "licensed_with_warnings"),
    ("red flag only received", [L()], [], [], [F("received")], "licensed"),
    ("unsubstantiated red flag", [L()], [], [], [F("unsubstantiated")], "licensed"),
    ("a finding", [L()], [], [Fd()], [], "licensed_with_warnings"),
    ("a finding on an unlicensed agency", [], [], [Fd()], [F()], "unlicensed"),
    ("a fine on an expired licence", [L("expired")], [S("fine")], [], [], "expired"),
    ("active here, revoked elsewhere", [L(), L("revoked", number="PH-9")], [], [], [], "revoked"),
    ("expired and active", [L("expired", number="OLD-1"), L()], [], [], [], "licensed"),
]


@pytest.mark.parametrize(
    "licences, sanctions, findings, flags, expected",
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_verdict_code(licences, sanctions, findings, flags, expected):
    verdict = evaluate(
        licences=licences, sanctions=sanctions, findings=findings, red_flags=flags, on=ON
    )
    assert verdict.code == expected


def test_reasons_name_licence_authority_and_dates():
    verdict = evaluate(licences=[L()], sanctions=[S("warning")], on=ON)
    texts = [r.text() for r in verdict.reasons]
    assert texts[0] == "Licence RL-123 issued by Ministry X is active until 2027-03-01."
    assert "Warning by Authority Y from 2026-05-01 to 2026-08-01, decision Z-1." in texts


def test_a_suspension_suspends_the_licence_it_concerns_for_its_term():
    """The first reason of a suspended agency says the licence is suspended, not active."""
    verdict = evaluate(licences=[L()], sanctions=[S("suspension")], on=ON)
    texts = [r.text() for r in verdict.reasons]
    assert verdict.code == "suspended"
    assert texts[0] == "Licence RL-123 issued by Ministry X is suspended until 2026-08-01."
    assert "Suspension by Authority Y from 2026-05-01 to 2026-08-01, decision Z-1." in texts
    assert not any("is active" in t for t in texts)
    assert effective_licence_status(L(), ON, [S("suspension")]) == "suspended"
    after = date(2026, 8, 2)  # the term is over: active again
    assert effective_licence_status(L(), after, [S("suspension")]) == "active"
    assert evaluate(licences=[L()], sanctions=[S("suspension")], on=after).code == "licensed"


def test_a_sanction_acts_on_the_licence_it_names_or_on_its_authoritys_licences():
    other_authority = S("revocation", authority_id=2)
    assert effective_licence_status(L(), ON, [other_authority]) == "active"
    named = S("revocation", authority_id=2, licence_id=1)
    assert effective_licence_status(L(), ON, [named]) == "revoked"
    assert effective_licence_status(L(id=7), ON, [named]) == "active"
    assert effective_licence_status(L(), ON, [S("ban")]) == "banned"
    unconfirmed = S("revocation", status="awaiting_confirmation")
    assert effective_licence_status(L(), ON, [unconfirmed]) == "active"


def test_a_lifted_sanction_stops_on_the_day_it_is_lifted():
    lifted = S("suspension", ends_on=None, lifted_on=date(2026, 5, 20))
    assert effective_licence_status(L(), ON, [lifted]) == "active"
    verdict = evaluate(licences=[L()], sanctions=[lifted], on=ON)
    assert verdict.code == "licensed"
    assert any("lifted on 2026-05-20" in r.text() for r in verdict.reasons)
    assert evaluate(licences=[L()], sanctions=[lifted], on=date(2026, 5, 19)).code == "suspended"


def test_ended_sanction_stays_in_the_reasons():
    verdict = evaluate(
        licences=[L()], sanctions=[S("suspension", ends_on=date(2026, 5, 20))], on=ON
    )
    assert any("Past sanction" in r.text() and "2026-05-20" in r.text() for r in verdict.reasons)


def test_expired_reason_gives_the_date():
    verdict = evaluate(licences=[L(valid_until=date(2026, 1, 31))], sanctions=[], on=ON)
    assert verdict.reasons[0].text() == "Licence RL-123 issued by Ministry X expired on 2026-01-31."


def test_unlicensed_reason_says_it_is_illegal():
    verdict = evaluate(licences=[], sanctions=[], on=ON)
    assert "illegal" in verdict.reasons[0].text()
    assert verdict.summary().startswith("No licence")


def test_the_same_records_give_another_verdict_on_another_date():
    licence = L(valid_until=date(2026, 12, 31))
    assert evaluate(licences=[licence], sanctions=[], on=date(2026, 12, 31)).code == "licensed"
    assert evaluate(licences=[licence], sanctions=[], on=date(2027, 1, 1)).code == "expired"
    assert effective_licence_status(licence, date(2027, 1, 1)) == "expired"
