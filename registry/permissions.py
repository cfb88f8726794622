"""Who may do what: the one place where every read and write of the staff areas is checked
against the user's role and authority. Views, operations and templates (as `can(...)`) ask here;
nothing else decides by role.

The rules, for a regulator (an account of one authority, hence of one country). An authority is
of one kind (Authority.kind): a licensing regulator, a labour inspectorate of a destination
country, or a consulate or labour attaché of an origin country stationed abroad.
- Licensing regulators license and sanction; inspectorates and consulates never do.
- An inspectorate and a consulate monitor the agencies whose corridors reach them: an
  inspectorate those that place workers in its country, a consulate those that recruit its
  nationals (Agency.corridors). They record monitoring visits and findings on them.
- An agency's identity (names, contacts, representatives), its red flags and their evidence
  belong to the authorities of the agency's own country.
- An authority's act (a licence, a sanction, a finding, a visit) gives it power over that act and
  its own licences alone: issuing a licence to another country's agency lets the issuer renew
  that licence and sanction, inspect or record findings on the agency it licensed, never rename
  the agency, review its red flags or open their evidence.
- A red flag's reviewers may refer it to an authority of another country; the receiving
  authority reads its account and evidence (never who reported it) and answers.
- Anyone with an account may report red flags and follow the reports they sent; NGOs do so on
  behalf of their organisation. Admins manage accounts. Regulators and admins read the audit log.
The public (no account) searches, reports anonymously and follows a report by its receipt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, g, redirect, request, url_for
from flask_login import current_user

STAFF = ("regulator",)


def authority_id_of(user: Any) -> int | None:
    """The authority a regulator acts for (None for everyone else)."""
    if getattr(user, "role", None) != "regulator":
        return None
    return getattr(user, "authority_id", None)


def authority_kind(user: Any) -> str | None:
    """The kind of authority a regulator acts for: licensing, inspectorate or consulate."""
    if authority_id_of(user) is None or getattr(user, "authority", None) is None:
        return None
    return getattr(user.authority, "kind", None) or "licensing"


def jurisdiction_of(user: Any) -> str | None:
    """The country where a licensing regulator records new agencies and licences (None for
    inspectorates and consulates, which license nothing)."""
    if authority_kind(user) != "licensing":
        return None
    return user.authority.country


def _monitors(user: Any, agency: Any) -> bool:
    """An inspectorate follows the agencies placing workers in its country (or based there); a
    consulate those recruiting its nationals."""
    kind = authority_kind(user)
    if agency is None or kind not in ("inspectorate", "consulate"):
        return False
    country = user.authority.country
    direction = "destination" if kind == "inspectorate" else "origin"
    reaches = any(
        c.country == country and c.direction == direction for c in getattr(agency, "corridors", ())
    )
    return reaches or (kind == "inspectorate" and agency.country == country)


def _own_country(user: Any, country: str | None) -> bool:
    return country is not None and jurisdiction_of(user) == country


def owns_licence(user: Any, licence: Any) -> bool:
    """A licence is its issuing authority's; one recorded without an authority (an import that
    named none) belongs to the authorities of its country."""
    if licence is None or authority_kind(user) != "licensing":
        return False
    if licence.authority_id is not None:
        return licence.authority_id == authority_id_of(user)
    return _own_country(user, licence.country)


def owns_act(user: Any, act: Any) -> bool:
    """A sanction or a finding is the act of the authority that made it."""
    return (
        act is not None
        and authority_id_of(user) is not None
        and act.authority_id == authority_id_of(user)
    )


def _agency_of_country(user: Any, agency: Any) -> bool:
    """The agency's identity, red flags and evidence: its own country's authorities."""
    return agency is not None and _own_country(user, agency.country)


def _supervises(user: Any, agency: Any) -> bool:
    """Sanctions: a licensing regulator's, on agencies of its country or holding one of its
    licences."""
    return agency is not None and (
        _agency_of_country(user, agency)
        or any(owns_licence(user, licence) for licence in agency.licences)
    )


def _flag_agency(target: Any) -> Any:
    """A red flag's agency, from the flag or from one of its evidence files."""
    flag = getattr(target, "red_flag", None) or target
    return getattr(flag, "agency", None)


def _referred_to(user: Any, target: Any) -> bool:
    """Was the red flag (or the red flag of an evidence file) referred to the user's
    authority? It may then read the flag's account and evidence, never its reporter."""
    flag = getattr(target, "red_flag", None) or target
    mine = authority_id_of(user)
    return mine is not None and any(
        r.to_authority_id == mine for r in getattr(flag, "referrals", ())
    )


def _keeps_requirements(user: Any, target: Any) -> bool:
    """A destination country's entry requirements (registry.guidance): its licensing regulator
    and labour inspectorate keep them; an administrator keeps any. Target: the country, or a
    category (its country)."""
    country = getattr(target, "country", target)
    if getattr(user, "role", None) == "admin":
        return True
    return (
        isinstance(country, str)
        and authority_kind(user) in ("licensing", "inspectorate")
        and user.authority.country == country
    )


def _any(_user: Any, _target: Any) -> bool:
    return True


# action -> (roles that may attempt it, the rule on the target the action is checked against)
RULES: dict[str, tuple[tuple[str, ...], Callable[[Any, Any], bool]]] = {
    # the regulators' area: its dashboard, an agency's management page, the review queue
    "manage.view": (STAFF, lambda u, _t: authority_id_of(u) is not None),
    "agency.create": (STAFF, _own_country),  # target: the country
    "agency.edit": (STAFF, _agency_of_country),  # target: the agency
    "agency.merge": (STAFF, _agency_of_country),  # target: the record merged away
    "agency.absorb": (STAFF, _supervises),  # target: the survivor of a merge or a linked flag
    "licence.issue": (
        STAFF,
        lambda u, agency: agency is not None and jurisdiction_of(u) is not None,
    ),  # a licence of its own country
    "licence.renew": (STAFF, owns_licence),  # target: the licence
    "placements.record": (STAFF, owns_licence),  # a licence's yearly returns
    "sanction.impose": (STAFF, _supervises),  # target: the agency
    "sanction.confirm": (STAFF, owns_act),  # target: the sanction
    "sanction.end": (STAFF, owns_act),  # lift it, record its appeal; target: the sanction
    "finding.record": (STAFF, lambda u, a: _supervises(u, a) or _monitors(u, a)),
    "inspection.record": (STAFF, lambda u, a: _supervises(u, a) or _monitors(u, a)),
    # a public text's translations: its author's (a sanction's or finding's authority, a red
    # flag's reviewers); target: the sanction, finding or red flag
    "public_text.translate": (
        STAFF,
        lambda u, record: (
            owns_act(u, record)
            if hasattr(record, "authority_id")
            else _agency_of_country(u, _flag_agency(record))
        ),
    ),
    "red_flag.queue": (STAFF, lambda u, _t: jurisdiction_of(u) is not None),  # licensing only
    "red_flag.review": (STAFF, lambda u, flag: _agency_of_country(u, _flag_agency(flag))),
    # a red flag passed to an authority of another country (registry.reports.referrals)
    "red_flag.refer": (STAFF, lambda u, flag: _agency_of_country(u, _flag_agency(flag))),
    "referral.view": (
        STAFF,
        lambda u, r: authority_id_of(u) in (r.to_authority_id, r.from_authority_id),
    ),
    "referral.decide": (STAFF, lambda u, r: r.to_authority_id == authority_id_of(u)),
    "evidence.open": (
        STAFF,
        lambda u, file: _agency_of_country(u, _flag_agency(file)) or _referred_to(u, file),
    ),
    "red_flag.submit": (("ngo", "regulator", "admin"), _any),
    "red_flag.follow": (("ngo", "regulator", "admin"), _any),  # "My reports"
    # an imported list's entry the lookup was not sure of (registry.opendata.lists): the
    # administrators who run imports, or the likely agency's country's regulators
    "list.queue": (("regulator", "admin"), _any),  # the page; each entry as below
    "list.review": (
        ("regulator", "admin"),
        lambda u, match: u.role == "admin" or _agency_of_country(u, getattr(match, "agency", None)),
    ),
    "audit.view": (("regulator", "admin"), _any),
    "insights.view": (("regulator", "admin"), _any),  # what the lookups tell (aggregates only)
    # entry requirements and costs of a destination country, and the directory of help
    "requirements.manage": (("regulator", "admin"), _keeps_requirements),
    "requirements.list": (  # the page of the categories one keeps
        ("regulator", "admin"),
        lambda u, _t: _keeps_requirements(u, getattr(getattr(u, "authority", None), "country", "")),
    ),
    "help.manage": (("ngo", "admin"), _any),
    "users.manage": (("admin",), _any),
    "authorities.manage": (("admin",), _any),
    "reports.unrouted": (("admin",), _any),  # reports no authority covers (registry.reports)
}
ACTIONS = {action: roles for action, (roles, _rule) in RULES.items()}


def can(user: Any, action: str, target: Any = None) -> bool:
    """May `user` do `action` on `target` (see RULES for what each action is checked against)?
    Anonymous and disabled users may not."""
    if action not in RULES:
        raise KeyError(f"unknown action {action!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles, rule = RULES[action]
    return user.role in roles and bool(rule(user, target))


def why_denied(user: Any, action: str) -> str:
    """ "role": the page is for another role (the 403 page says whose it is); "record": the
    role is right but the record is another authority's or country's."""
    roles, _rule = RULES[action]
    return "record" if getattr(user, "role", None) in roles else "role:" + roles[0]


def require(action: str, target: Any = None) -> None:
    """Stop the request unless the current user may act: log in first, or 403 saying why."""
    if not current_user.is_authenticated:
        if request.path.startswith("/api/"):
            abort(401)
        abort(redirect(url_for("accounts.login", next=request.full_path.rstrip("?"))))
    if not can(current_user, action, target):
        g.denied = why_denied(current_user, action)
        abort(403)


def home_endpoint(user: Any) -> str:
    """Where each role lands after logging in: its own working page."""
    if can(user, "manage.view"):
        return "regulation.dashboard"
    if can(user, "users.manage"):
        return "admin_home.home"
    if can(user, "red_flag.follow"):
        return "reports.my_reports"
    return "public.home"


def init_app(app) -> None:
    """Templates ask the same rules: `{% if can("agency.edit", agency) %}`."""
    app.jinja_env.globals["can"] = lambda action, target=None: can(current_user, action, target)
