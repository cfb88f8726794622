"""The regional verdict, as a pure function: each country's standing, and how they combine (a ban
or a revocation in force anywhere leads; otherwise a licence somewhere licenses, with warnings
when another country suspended the agency)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from registry.verdict import Standing, evaluate

ON = date(2026, 6, 1)


@dataclass(frozen=True)
class Auth:
    name: str


@dataclass
class L:
    country: str
    authority_id: int
    id: int
    status: str = "active"
    valid_from: date | None = date(2024, 1, 1)
    valid_until: date | None = date(2027, 3, 1)
    number: str = "RL-1"
    conditions: str = ""
    authority: Auth = Auth("Licensing office")


@dataclass
class S:
    type: str
    country: str
    authority_id: int
    starts_on: date = date(2026, 3, 1)
    ends_on: date | None = None
    licence_id: int | None = None
    appeal_state: str = "none"
    decision_ref: str = "D-1"
    status: str = "in_force"
    lifted_on: date | None = None
    authority: Auth = Auth("Sanctioning office")


GT_LICENCE = L("GT", authority_id=2, id=20)
MX_LICENCE = L("MX", authority_id=1, id=10)


def regional(licences=(), sanctions=()):
    verdict = evaluate(licences=licences, sanctions=sanctions, on=ON)
    return verdict.code, [(s.country, s.code) for s in verdict.standings]


@pytest.mark.parametrize(
    ("licences", "sanctions", "code", "standings"),
    [
        # licensed in Guatemala; licence revoked in Mexico: the revocation leads
        (
            [GT_LICENCE, MX_LICENCE],
            [S("revocation", "MX", authority_id=1)],
            "revoked",
            [("MX", "revoked"), ("GT", "licensed")],
        ),
        # a ban in one country leads, even with licences in force in two others
        (
            [GT_LICENCE, MX_LICENCE, L("CA", authority_id=3, id=30)],
            [S("ban", "PA", authority_id=4)],
            "banned",
            [("PA", "banned"), ("CA", "licensed"), ("GT", "licensed"), ("MX", "licensed")],
        ),
        # a ban outweighs a revocation elsewhere
        (
            [MX_LICENCE],
            [S("revocation", "MX", authority_id=1), S("ban", "GT", authority_id=2)],
            "banned",
            [("GT", "banned"), ("MX", "revoked")],
        ),
        # suspended in Mexico, licensed in Guatemala: licensed, with warnings
        (
            [GT_LICENCE, MX_LICENCE],
            [S("suspension", "MX", authority_id=1, ends_on=date(2026, 9, 1))],
            "licensed_with_warnings",
            [("MX", "suspended"), ("GT", "licensed")],
        ),
        # within one country a suspension still outweighs the licence
        (
            [MX_LICENCE],
            [S("suspension", "MX", authority_id=1, ends_on=date(2026, 9, 1))],
            "suspended",
            [("MX", "suspended")],
        ),
        # expired in Mexico, licensed in Guatemala: simply licensed
        (
            [GT_LICENCE, L("MX", authority_id=1, id=10, valid_until=date(2025, 1, 1))],
            [],
            "licensed",
            [("GT", "licensed"), ("MX", "expired")],
        ),
        # suspended in one country, expired in the other, licensed nowhere: suspended
        (
            [MX_LICENCE, L("GT", authority_id=2, id=20, valid_until=date(2025, 1, 1))],
            [S("suspension", "MX", authority_id=1, ends_on=date(2026, 9, 1))],
            "suspended",
            [("MX", "suspended"), ("GT", "expired")],
        ),
        # a revocation that ended (lifted) no longer leads
        (
            [GT_LICENCE],
            [S("revocation", "MX", authority_id=1, lifted_on=date(2026, 5, 1))],
            "licensed",
            [("GT", "licensed")],
        ),
        # a revocation awaiting its second regulator is not public yet
        (
            [GT_LICENCE],
            [S("revocation", "MX", authority_id=1, status="awaiting_confirmation")],
            "licensed",
            [("GT", "licensed")],
        ),
        # no licence anywhere, a fine in one country: unlicensed, no standing for the fine
        ([], [S("fine", "MX", authority_id=1)], "unlicensed", []),
    ],
)
def test_regional_verdict(licences, sanctions, code, standings):
    assert regional(licences, sanctions) == (code, standings)


def test_an_agency_known_in_one_country_reads_as_before():
    """Records that name no country (older ones) count as one country: the rules as they were."""
    unnamed = L("", authority_id=1, id=1)
    assert regional([unnamed], [S("suspension", "", authority_id=1)]) == ("suspended", [])
    assert regional([unnamed], []) == ("licensed", [])


def test_each_standing_carries_its_date_and_reads_in_plain_words():
    verdict = evaluate(
        licences=[GT_LICENCE, MX_LICENCE],
        sanctions=[S("revocation", "MX", authority_id=1, starts_on=date(2026, 3, 1))],
        on=ON,
    )
    names = {"MX": "Mexico", "GT": "Guatemala"}
    texts = [s.text(country_name=names.get) for s in verdict.standings]
    assert texts == [
        "Licence revoked in Mexico on 2026-03-01.",
        "Licensed in Guatemala until 2027-03-01.",
    ]
    assert [s.tone for s in verdict.standings] == ["danger", "ok"]


def test_a_suspension_standing_says_until_when():
    verdict = evaluate(
        licences=[MX_LICENCE],
        sanctions=[S("suspension", "MX", authority_id=1, ends_on=date(2026, 9, 1))],
        on=ON,
    )
    assert verdict.standings == (Standing("MX", "suspended", date(2026, 9, 1)),)
    assert verdict.standings[0].text() == "Suspended in MX until 2026-09-01."
