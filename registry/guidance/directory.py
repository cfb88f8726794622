"""The directory of help: save a contact (audited; the caller commits) and list the contacts
nearest to a migrant first."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, or_, select

from registry.audit.changes import fields, record
from registry.countries import is_country
from registry.models import HelpContact, User, utcnow
from registry.regulation.operations import RuleBroken, authorize
from registry.vocab import HELP_KINDS

CONTACT_FIELDS = (
    "kind",
    "name",
    "country",
    "serves",
    "address",
    "city",
    "hours",
    "languages",
    "phone",
    "whatsapp",
    "email",
    "website",
    "notes",
    "active",
)
KIND_ORDER = {kind: n for n, kind in enumerate(HELP_KINDS)}


def _clean(values: dict) -> dict:
    cleaned = {k: (values.get(k) or "").strip() for k in CONTACT_FIELDS if k != "active"}
    cleaned["active"] = bool(values.get("active", True))
    cleaned["country"] = cleaned["country"].upper()
    cleaned["serves"] = cleaned["serves"].upper()
    if cleaned["kind"] not in HELP_KINDS:
        raise RuleBroken(_l("Say what kind of help it is."))
    if not cleaned["name"]:
        raise RuleBroken(_l("Give its name."))
    if not is_country(cleaned["country"]):
        raise RuleBroken(_l("Choose the country where it is."))
    if cleaned["serves"] and not is_country(cleaned["serves"]):
        raise RuleBroken(_l("Choose the country whose people it serves, or none."))
    if not (cleaned["phone"] or cleaned["whatsapp"] or cleaned["email"] or cleaned["website"]):
        raise RuleBroken(
            _l("Give at least one way to reach it: a phone, WhatsApp, an e-mail or a website.")
        )
    for name in ("phone", "whatsapp"):
        if cleaned[name] and len(re.sub(r"\D", "", cleaned[name])) < 3:
            raise RuleBroken(
                _l("Write the phone number with its digits, for example +502 2411 1111.")
            )
    if cleaned["website"] and not re.match(r"https?://", cleaned["website"]):
        cleaned["website"] = "https://" + cleaned["website"]
    cleaned["languages"] = ",".join(
        dict.fromkeys(c.strip().lower() for c in cleaned["languages"].split(",") if c.strip())
    )
    return cleaned


def save_contact(
    session: Session, *, actor: User | str, contact: HelpContact | None, **values
) -> HelpContact:
    if isinstance(actor, User):
        authorize(actor, "help.manage", contact)
    cleaned = _clean(values)
    before = fields(contact, CONTACT_FIELDS) if contact is not None else {}
    contact = contact or HelpContact(**cleaned)
    for key, value in cleaned.items():
        setattr(contact, key, value)
    contact.updated_at = utcnow()
    session.add(contact)
    session.flush()
    record(
        session,
        by=actor,
        action="help_contact.update" if before else "help_contact.create",
        obj=contact,
        agency_id=None,
        before=before,
        after=fields(contact, CONTACT_FIELDS),
    )
    return contact


def nearest(
    session: Session,
    countries: list[str],
    *,
    trafficking: bool = False,
    limit: int | None = None,
    everywhere: bool = False,
) -> list[HelpContact]:
    """Active contacts in `countries` (or serving their people abroad), the first country's
    first, and within a country the trafficking help lines first when the matter is
    trafficking, then help lines, consulates, ... (HELP_KINDS' order). With `everywhere`, the
    other countries' contacts follow."""
    wanted = [c for c in dict.fromkeys(c.upper() for c in countries if c)]
    query = select(HelpContact).where(HelpContact.active == True)  # noqa: E712 - SQL
    if wanted and not everywhere:
        query = query.where(or_(HelpContact.country.in_(wanted), HelpContact.serves.in_(wanted)))
    elif not everywhere:
        return []
    found = list(session.exec(query).all())

    def rank(contact: HelpContact) -> tuple:
        places = [wanted.index(c) for c in (contact.country, contact.serves) if c in wanted]
        place = min(places) if places else len(wanted)
        kind = KIND_ORDER.get(contact.kind, 99)
        if not trafficking and contact.kind == "trafficking_hotline":
            kind = KIND_ORDER["hotline"] + 0.5  # still shown, after the general help lines
        return (place, contact.country, kind, contact.name)

    found.sort(key=rank)
    return found[:limit] if limit else found
