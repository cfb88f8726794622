"""The public, dated history of an agency's status, read from the audit log.

Only official acts that are public are shown (a revocation awaiting its second regulator is not),
and never who did them: the authority is on the record, the official's identity is not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from registry.agencies.merging import merged_ids
from registry.models import AuditEntry
from registry.verdict import Reason
from registry.vocab import N_, SANCTION_TYPES

TEMPLATES = {
    "agency.create": N_("Recorded in the registry."),
    "licence.issue": N_("Licence %(number)s issued, valid until %(valid_until)s."),
    "licence.renew": N_("Licence %(number)s renewed until %(valid_until)s."),
    "licence.revoked": N_("Licence %(number)s revoked."),
    "licence.banned": N_("Licence %(number)s cancelled and its holder banned."),
    "sanction.impose": N_(
        "%(type_label)s in force from %(starts_on)s (decision %(decision_ref)s)."
    ),
    "sanction.confirm": N_(
        "%(type_label)s confirmed by a second regulator and in force from "
        "%(starts_on)s (decision %(decision_ref)s)."
    ),
    "sanction.lifted": N_(
        "%(type_label)s (decision %(decision_ref)s) lifted from %(on)s: %(reason)s"
    ),
    "sanction.appeal_lodged": N_(
        "Appeal lodged on %(on)s against %(type_label)s (decision "
        "%(decision_ref)s); it applies meanwhile."
    ),
    "sanction.appeal_upheld": N_(
        "%(type_label)s (decision %(decision_ref)s) upheld on appeal on %(on)s."
    ),
    "sanction.appeal_overturned": N_(
        "%(type_label)s (decision %(decision_ref)s) overturned on appeal on %(on)s."
    ),
    "licence.reinstate": N_("Licence %(number)s is active again."),
    "agency.absorb": N_("The record “%(name)s” was found to be this agency and joined to it."),
}


@dataclass(frozen=True)
class HistoryItem:
    on: date
    reason: Reason


def status_history(session: Session, agency_id: int) -> list[HistoryItem]:
    """The agency's public history, with that of every record merged into it."""
    ids = merged_ids(session, agency_id)
    entries = session.exec(
        select(AuditEntry)
        .where(AuditEntry.agency_id.in_(ids), AuditEntry.action.in_(list(TEMPLATES)))
        .order_by(AuditEntry.seq.desc())
    ).all()
    items = []
    for entry in entries:
        if entry.agency_id != agency_id and entry.action == "agency.create":
            continue  # a merged record's own creation is not the agency's
        after = json.loads(entry.after)
        params = {
            k: (_as_date(v) if v is not None else "—")
            for k, v in after.items()
            if isinstance(v, (str, int, type(None)))
        }
        if "type" in after:
            params["type_label"] = SANCTION_TYPES.get(after["type"], after["type"])
        items.append(HistoryItem(entry.at.date(), Reason(TEMPLATES[entry.action], params)))
    return items


def _as_date(value):
    """A date written as ISO text in the audit log, as a date (written in the reader's
    language); any other value as it is."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return value
