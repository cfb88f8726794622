"""`/data`: the dumps; `/api/v1/changes`: what changed since a given time, for mirrors."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import and_, or_
from sqlmodel import select

from registry.db import get_reader
from registry.models import Agency
from registry.opendata import dumps

bp = Blueprint("opendata", __name__)
CHANGES_LIMIT = 1000


@bp.get("/data")
def data_page():
    found = dumps.latest(current_app)
    return render_template(
        "opendata/data.html",
        latest=found,
        size=found.stat().st_size if found else 0,
        licence=dumps.LICENCE,
        columns=dumps.COLUMNS,
    )


@bp.get("/data/registry-latest.zip")
def latest_dump():
    found = dumps.latest(current_app)
    if found is None:  # not a failure of the server: nothing to send yet (the worker writes it)
        abort(404, description=_("The first dump is being written: try again in a few minutes."))
    return send_file(
        found,
        mimetype="application/zip",
        as_attachment=True,
        download_name=found.name,
        max_age=3600,
    )


def _since() -> tuple[datetime, int]:
    """`since` (an ISO time, UTC when it names no zone) and `after` (an agency id, to go on
    within the same second): where the last page ended."""
    raw = request.args.get("since", "")
    try:
        since = datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else datetime.min
    except ValueError:
        abort(400, description=_("Give since as an ISO time, for example 2026-12-01T00:00:00Z."))
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    after = request.args.get("after", "0")
    if not after.isascii() or not after.isdigit() or len(after) > 10:
        abort(400, description=_("Give after as the id of the last agency read."))
    return since, int(after)


@bp.get("/api/v1/changes")
def changes():
    """The agencies changed since a time, oldest change first, a page at a time: each with its
    change time and where to read it (a merged record names the one it joined). A mirror keeps
    `next` and asks it again later."""
    since, after = _since()
    rows = (
        get_reader()
        .exec(
            select(Agency.id, Agency.updated_at, Agency.listing, Agency.merged_into_id)
            .where(
                Agency.listing.in_(("registry", "merged")),
                or_(Agency.updated_at > since, and_(Agency.updated_at == since, Agency.id > after)),
            )
            .order_by(Agency.updated_at, Agency.id)
            .limit(CHANGES_LIMIT)
        )
        .all()
    )
    agencies = [
        {
            "id": agency_id,
            "changed_at": changed_at.isoformat(),
            "merged_into": merged_into,
            "url": url_for("public.agency", agency_id=agency_id, _external=True),
            "api_url": url_for("api.api_agency", agency_id=agency_id, _external=True),
        }
        for agency_id, changed_at, _listing, merged_into in rows
    ]
    last_at, last_id = (rows[-1][1], rows[-1][0]) if rows else (since, after)
    return jsonify(
        {
            "since": since.isoformat() if since != datetime.min.replace(tzinfo=UTC) else None,
            "agencies": agencies,
            "more": len(rows) == CHANGES_LIMIT,
            "next": url_for(
                "opendata.changes", since=last_at.isoformat(), after=last_id, _external=True
            ),
        }
    )
