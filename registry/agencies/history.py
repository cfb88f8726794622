"""The public, dated history of an agency's status, read from the audit log.

Only official acts that are public are shown (a revocation awaiting its second regulator is not),
and never who did them: the authority is on the record, the official's identity is not.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from registry.models import AuditEntry
from registry.verdict import Reason
from registry.vocab import N_, SANCTION_TYPES

TEMPLATES = {
    "agency.create": N_("Recorded in the registry."),
    "licence.issue": N_("Licence %(number)s issued, valid until %(valid_until)s."),
    "licence.renew": N_("Licence %(number)s renewed until %(valid_until)s."),
    "licence.revoked": N_("Licence %(number)s revoked."),
    "licence.banned": N_("Licence %(number)s cancelled and its holder banned."),
    "sanction.impose": N_("%(type_label)s in force from %(starts_on)s (decision %(decision_ref)s)."),
    "sanction.confirm": N_("%(type_label)s confirmed by a second regulator and in force from "
                           "%(starts_on)s (decision %(decision_ref)s)."),
}


@dataclass(frozen=True)
class HistoryItem:
    on: date
    reason: Reason


def status_history(session: Session, agency_id: int) -> list[HistoryItem]:
    entries = session.exec(select(AuditEntry).where(
        AuditEntry.agency_id == agency_id, AuditEntry.action.in_(list(TEMPLATES)))
        .order_by(AuditEntry.seq.desc())).all()
    items = []
    for entry in entries:
        after = json.loads(entry.after)
        params = {k: (v if v is not None else "—") for k, v in after.items()
                  if isinstance(v, (str, int, type(None)))}
        if "type" in after:
            params["type_label"] = SANCTION_TYPES.get(after["type"], after["type"])
        items.append(HistoryItem(entry.at.date(), Reason(TEMPLATES[entry.action], params)))
    return items
