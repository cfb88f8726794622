from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from registry.agencies.records import is_public, load_full, verdict_for
from registry.api.serialize import agency_json, hit_json
from registry.clock import today
from registry.db import get_reader
from registry.i18n import translations
from registry.public.links import agency_urls
from registry.search import lookup
from registry.search.matching import MAX_QUERY
from registry.statistics import tally
from registry.vocab import AGENCY_KINDS, VERDICTS

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_LIMIT = 100


def _limit() -> int:
    raw = request.args.get("limit", "20")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3 and 1 <= int(raw) <= MAX_LIMIT):
        abort(400, description=_("limit must be a whole number from 1 to %(max)d", max=MAX_LIMIT))
    return int(raw)


def _choice(name: str, allowed) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in allowed:
        abort(
            400,
            description=_(
                "%(name)s must be one of: %(allowed)s",
                name=name,
                allowed=", ".join(sorted(allowed)),
            ),
        )
    return value


@bp.get("/search")
def api_search():
    text = (request.args.get("q") or "").strip()
    if not text:
        abort(400, description=_("q is required"))
    if len(text) > MAX_QUERY:
        abort(400, description=_("q must be at most %(max)d characters", max=MAX_QUERY))
    country = request.args.get("country") or None
    if country is not None and (len(country) != 2 or not country.isalpha()):
        abort(400, description=_("country must be an ISO 3166-1 alpha-2 code"))
    result = lookup(
        text,
        country=country.upper() if country else None,
        kind=_choice("kind", AGENCY_KINDS),
        verdict=_choice("verdict", VERDICTS),
        limit=_limit(),
    )
    tally.count(result, country)
    agency_url, gettext = agency_urls(external=True), translations().ugettext
    return jsonify(
        query=result.query,
        outcome=result.outcome,
        total=result.total,
        warnings=result.warnings,
        results=[hit_json(h, agency_url, gettext) for h in result.hits],
    )


@bp.get("/agencies/<int:agency_id>")
def api_agency(agency_id: int):
    agency = load_full(get_reader(), [agency_id]).get(agency_id)
    if agency is not None and agency.merged_into_id is not None:
        return redirect(url_for("api.api_agency", agency_id=agency.merged_into_id), 301)
    if agency is None or not is_public(agency):
        abort(404, description=_("no agency with this id"))
    return jsonify(agency_json(agency, verdict_for(agency, today())))
