from __future__ import annotations

import json

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlmodel import select

from registry.db import get_session
from registry.ids import id_arg
from registry.models import AuditEntry
from registry.permissions import can

bp = Blueprint("audit", __name__, url_prefix="/manage/audit")
PAGE = 50


@bp.get("/")
@login_required
def browse():
    """Newest first, 50 a page; `agency` narrows to one agency, `before` pages back."""
    if not can(current_user, "audit.view"):
        abort(403)
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(PAGE)
    agency_id = request.args.get("agency", type=id_arg)
    if agency_id:
        query = query.where(AuditEntry.agency_id == agency_id)
    before = request.args.get("before", type=id_arg)
    if before:
        query = query.where(AuditEntry.seq < before)
    entries = get_session().exec(query).all()
    return render_template(
        "audit/browse.html", entries=entries, agency_id=agency_id, changes=changes, page_size=PAGE
    )


def changes(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field the entry changed."""
    before, after = json.loads(entry.before), json.loads(entry.after)
    return [
        (k, before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    ]
