"""The permission rules, table-driven: role x action x the authority and country of the target."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from registry.permissions import ACTIONS, can


@dataclass
class Auth:
    country: str


@dataclass
class U:
    role: str
    authority: Auth | None = None
    authority_id: int | None = None
    is_authenticated: bool = True
    is_active: bool = True


@dataclass
class Lic:
    authority_id: int | None
    country: str


@dataclass
class Ag:
    country: str
    licences: list = field(default_factory=list)


@dataclass
class Flag:
    agency: Ag


@dataclass
class File:
    red_flag: Flag


@dataclass
class Sanc:
    authority_id: int


class Anonymous:
    is_authenticated = False
    is_active = False


MX_REGULATOR = U("regulator", Auth("MX"), authority_id=1)
MX_OTHER_AUTHORITY = U("regulator", Auth("MX"), authority_id=3)
GT_REGULATOR = U("regulator", Auth("GT"), authority_id=2)
NGO, ADMIN = U("ngo"), U("admin")
MX_AGENCY = Ag("MX", [Lic(1, "MX")])
# A Guatemalan agency that the Mexican authority (1) licensed to recruit in Mexico.
GT_AGENCY_LICENSED_BY_MX = Ag("GT", [Lic(2, "GT"), Lic(1, "MX")])
IMPORTED_LICENCE = Lic(None, "MX")  # an import that named no authority

CASES = [
    (MX_REGULATOR, "agency.create", "MX", True),
    (MX_REGULATOR, "agency.create", "GT", False),
    (MX_REGULATOR, "agency.edit", MX_AGENCY, True),
    (GT_REGULATOR, "agency.edit", MX_AGENCY, False),
    (MX_REGULATOR, "agency.edit", GT_AGENCY_LICENSED_BY_MX, False),
    (MX_REGULATOR, "licence.issue", GT_AGENCY_LICENSED_BY_MX, True),
    (MX_REGULATOR, "licence.renew", MX_AGENCY.licences[0], True),
    (MX_OTHER_AUTHORITY, "licence.renew", MX_AGENCY.licences[0], False),
    (GT_REGULATOR, "licence.renew", MX_AGENCY.licences[0], False),
    (MX_REGULATOR, "licence.renew", IMPORTED_LICENCE, True),
    (GT_REGULATOR, "licence.renew", IMPORTED_LICENCE, False),
    (MX_REGULATOR, "licence.renew", GT_AGENCY_LICENSED_BY_MX.licences[1], True),
    (MX_REGULATOR, "licence.renew", GT_AGENCY_LICENSED_BY_MX.licences[0], False),
    (MX_REGULATOR, "sanction.impose", MX_AGENCY, True),
    (MX_REGULATOR, "sanction.impose", GT_AGENCY_LICENSED_BY_MX, True),
    (MX_REGULATOR, "sanction.impose", Ag("GT"), False),
    (MX_REGULATOR, "sanction.impose", None, False),
    (NGO, "sanction.impose", MX_AGENCY, False),
    (ADMIN, "sanction.impose", MX_AGENCY, False),
    (MX_REGULATOR, "finding.record", GT_AGENCY_LICENSED_BY_MX, True),
    (MX_REGULATOR, "inspection.record", Ag("GT"), False),
    (MX_REGULATOR, "sanction.confirm", Sanc(1), True),
    (MX_OTHER_AUTHORITY, "sanction.confirm", Sanc(1), False),
    (GT_REGULATOR, "sanction.confirm", Sanc(1), False),
    (ADMIN, "users.manage", None, True),
    (MX_REGULATOR, "users.manage", None, False),
    (NGO, "red_flag.submit", None, True),
    (NGO, "red_flag.follow", None, True),
    (NGO, "red_flag.review", Flag(MX_AGENCY), False),
    (MX_REGULATOR, "red_flag.review", Flag(MX_AGENCY), True),
    (GT_REGULATOR, "red_flag.review", Flag(MX_AGENCY), False),
    (MX_REGULATOR, "red_flag.review", Flag(GT_AGENCY_LICENSED_BY_MX), False),
    (GT_REGULATOR, "red_flag.review", Flag(GT_AGENCY_LICENSED_BY_MX), True),
    (MX_REGULATOR, "evidence.open", File(Flag(MX_AGENCY)), True),
    (MX_REGULATOR, "evidence.open", File(Flag(GT_AGENCY_LICENSED_BY_MX)), False),
    (NGO, "evidence.open", File(Flag(MX_AGENCY)), False),
    (MX_REGULATOR, "audit.view", None, True),
    (MX_REGULATOR, "manage.view", None, True),
    (NGO, "manage.view", None, False),
    (
        U("regulator", Auth("MX"), authority_id=1, is_active=False),
        "licence.issue",
        MX_AGENCY,
        False,
    ),
    (U("regulator", None), "licence.issue", MX_AGENCY, False),
    (U("regulator", None), "manage.view", None, False),
]


@pytest.mark.parametrize("user, action, target, allowed", CASES)
def test_rules(user, action, target, allowed):
    assert can(user, action, target) is allowed


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_anonymous_may_do_nothing_that_needs_an_account(action):
    assert can(Anonymous(), action, MX_AGENCY) is False


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        can(ADMIN, "agency.delete")
