"""The permission rules, table-driven: role x action x jurisdiction."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from registry.permissions import ACTIONS, can


@dataclass
class Auth:
    country: str


@dataclass
class U:
    role: str
    authority: Auth | None = None
    is_authenticated: bool = True
    is_active: bool = True


class Anonymous:
    is_authenticated = False
    is_active = False


MX_REGULATOR = U("regulator", Auth("MX"))
GT_REGULATOR = U("regulator", Auth("GT"))
NGO, ADMIN = U("ngo"), U("admin")

CASES = [
    (MX_REGULATOR, "licence.write", "MX", True),
    (GT_REGULATOR, "licence.write", "MX", False),
    (MX_REGULATOR, "sanction.write", "MX", True),
    (MX_REGULATOR, "sanction.write", None, False),
    (NGO, "sanction.write", "MX", False),
    (ADMIN, "sanction.write", "MX", False),
    (ADMIN, "users.manage", None, True),
    (MX_REGULATOR, "users.manage", None, False),
    (NGO, "red_flag.submit", None, True),
    (NGO, "red_flag.review", "MX", False),
    (MX_REGULATOR, "red_flag.review", "MX", True),
    (GT_REGULATOR, "red_flag.review", "MX", False),
    (NGO, "evidence.open", None, False),
    (MX_REGULATOR, "audit.view", None, True),
    (U("regulator", Auth("MX"), is_active=False), "licence.write", "MX", False),
    (U("regulator", None), "licence.write", "MX", False),
]


@pytest.mark.parametrize("user, action, country, allowed", CASES)
def test_rules(user, action, country, allowed):
    assert can(user, action, country) is allowed


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_anonymous_may_do_nothing_that_needs_an_account(action):
    assert can(Anonymous(), action, "MX") is False


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        can(ADMIN, "agency.delete")
