"""Staff notices: who must hear of what happened to an agency, in the inbox and by e-mail.

The authorities concerned with an agency (registry.permissions says the same of what they may
do): the licensing regulators of its country, those that licensed it, the inspectorates of the
countries it places workers in (or of its own), the consulates of the countries it recruits in.
The authority that acted is not told of its own act. Each active regulator account of an
authority concerned gets a notice and a message, in its authority's first language. The caller
commits (the messages leave with the commit: registry.mail)."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_
from sqlmodel import Session, select

from registry import mail
from registry.models import (
    Agency,
    AgencyCorridor,
    Authority,
    Licence,
    Notice,
    User,
)
from registry.vocab import N_

SUBJECTS = {
    "sanction": N_("Sanction on an agency you follow"),
    "finding": N_("Finding on an agency you follow"),
    "referral": N_("A red flag was referred to your authority"),
    "red_flag": N_("New red flag to review"),
    "phoenix": N_("Possible phoenix firm"),
}
SANCTIONED = N_(
    "%(authority)s (%(country)s) imposed a sanction on %(agency)s: %(type_label)s, from %(date)s."
)
FOUND = N_("%(authority)s (%(country)s) recorded a finding on %(agency)s: %(summary)s")
REFERRED = N_(
    "%(authority)s (%(country)s) referred a red flag on %(agency)s to your authority: %(note)s"
)
FLAGGED = N_("New red flag on %(agency)s: %(category_label)s.")
PHOENIX = N_(
    "%(agency)s may be %(other)s under a new name (%(other_verdict_label)s): same "
    "%(reasons_labels)s."
)


def text(message: str, params: dict, gettext: Callable[[str], str]) -> str:
    """A notice in a language: parameters ending in `_label` are msgids too, and those ending
    in `_labels` lists of msgids."""
    values = {}
    for key, value in params.items():
        if key.endswith("_labels"):
            value = ", ".join(gettext(v) for v in value)
        elif key.endswith("_label"):
            value = gettext(value)
        values[key] = value
    return gettext(message) % values


def absolute(path: str) -> str:
    """A link into the registry for a message: the request's host, else REGISTRY_PUBLIC_URL
    (messages written by the background worker)."""
    base = request.host_url if has_request_context() else current_app.config["PUBLIC_URL"]
    return base.rstrip("/") + path


def concerned(session: Session, agency: Agency) -> list[Authority]:
    """The authorities concerned with an agency (see the module's docstring)."""
    licensed_by = select(Licence.authority_id).where(Licence.agency_id == agency.id)
    origin = select(AgencyCorridor.country).where(
        AgencyCorridor.agency_id == agency.id, AgencyCorridor.direction == "origin"
    )
    destination = select(AgencyCorridor.country).where(
        AgencyCorridor.agency_id == agency.id, AgencyCorridor.direction == "destination"
    )
    return list(
        session.exec(
            select(Authority).where(
                or_(
                    (Authority.kind == "licensing") & (Authority.country == agency.country),
                    Authority.id.in_(licensed_by),
                    (Authority.kind == "inspectorate")
                    & (Authority.country.in_(destination) | (Authority.country == agency.country)),
                    (Authority.kind == "consulate") & Authority.country.in_(origin),
                )
            )
        ).all()
    )


def tell(
    session: Session,
    *,
    authorities: list[Authority],
    kind: str,
    message: str,
    params: dict,
    link: str,
    agency_id: int | None = None,
    acting_authority_id: int | None = None,
) -> int:
    """A notice and a message to every active account of `authorities` (but the acting one's).
    `message` is a msgid with `params`; returns how many accounts were told."""
    told = 0
    for authority in authorities:
        if authority.id == acting_authority_id:
            continue
        users = session.exec(
            select(User).where(
                User.authority_id == authority.id,
                User.role == "regulator",
                User.active == True,  # noqa: E712 - SQL
            )
        ).all()
        language = (authority.language_codes or ["es"])[0]
        for user in users:
            session.add(
                Notice(
                    user_id=user.id,
                    kind=kind,
                    message=message,
                    params=json.dumps(params, ensure_ascii=False),
                    link=link,
                    agency_id=agency_id,
                )
            )
            with force_locale(language):
                mail.queue(
                    session,
                    to=user.email,
                    subject=_(SUBJECTS[kind]),
                    body=text(message, params, _) + "\n\n" + absolute(link),
                )
            told += 1
    return told


def on_agency(
    session: Session,
    *,
    agency: Agency,
    kind: str,
    message: str,
    params: dict,
    acting_authority_id: int | None,
) -> int:
    """Tell the authorities concerned with `agency` (but the acting one) what happened to it."""
    return tell(
        session,
        authorities=concerned(session, agency),
        kind=kind,
        message=message,
        params={"agency": agency.name, **params},
        link=f"/manage/agencies/{agency.id}",
        agency_id=agency.id,
        acting_authority_id=acting_authority_id,
    )
