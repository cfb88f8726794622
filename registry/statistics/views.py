"""`/statistics` (public): tables by country and year with their charts and CSV files;
`/manage/insights` (staff): what the lookups tell regulators."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from registry.countries import is_country
from registry.db import get_reader
from registry.permissions import jurisdiction_of, require
from registry.statistics import charts, figures, insights
from registry.vocab import N_, RED_FLAG_CATEGORIES, SANCTION_TYPES

bp = Blueprint("statistics", __name__)

TITLES = {
    "licences": N_("Licences"),
    "sanctions": N_("Sanctions by type"),
    "oversight": N_("Findings and visits"),
    "red_flags": N_("Red flags reported and decided"),
    "placements": N_("Workers placed, by destination and sex"),
    "lookups": N_("Lookups each month"),
}
COLUMNS = {
    "country": N_("Country"),
    "year": N_("Year"),
    "month": N_("Month"),
    "licensed_at_year_end": N_("Agencies licensed at the end of the year"),
    "issued": N_("Licences issued"),
    "lapsed": N_("Licences ended"),
    "findings": N_("Findings"),
    "inspections": N_("Inspections"),
    "monitoring_visits": N_("Monitoring visits"),
    "received": N_("Red flags received"),
    "category": N_("What was reported"),
    "substantiated": N_("Substantiated"),
    "unsubstantiated": N_("Unsubstantiated"),
    "referred": N_("Referred to an authority"),
    "median_days_to_decision": N_("Median days to a decision"),
    "lookups": N_("Lookups"),
    "destination": N_("Destination country"),
    "women": N_("Women"),
    "men": N_("Men"),
    "unspecified": N_("Sex not recorded"),
    "workers": N_("Workers placed"),
    "licensed": N_("Found a licensed agency"),
    "other": N_("Found an agency without a valid licence"),
    "similar": N_("Found only look-alike names"),
    "none": N_("Found nothing"),
}
CSV_MAX_AGE = 15 * 60


def labels(name: str) -> dict[str, str]:
    """Each column of table `name` named in the visitor's language, and its title."""
    named = {**COLUMNS, **SANCTION_TYPES}
    return {c: _(named[c]) for c in figures.TABLES[name]} | {"title": _(TITLES[name])}


def _country() -> str:
    code = (request.args.get("country") or "").upper()
    return code if is_country(code) else ""


def _data() -> tuple[dict, object, str]:
    data, computed_at = figures.stored(get_reader())
    country = _country()
    return figures.only(data, country), computed_at, country


@bp.get("/statistics")
def statistics_page():
    data, computed_at, country = _data()
    everywhere, _at = figures.stored(get_reader())
    countries = sorted(
        {
            row[0]
            for name in ("licences", "sanctions", "red_flags")
            for row in everywhere.get(name, [])
        }
    )
    return render_template(
        "statistics/page.html",
        data=data,
        tables=figures.TABLES,
        labels={name: labels(name) for name in figures.TABLES},
        computed_at=computed_at,
        country=country,
        countries=countries,
    )


def _name(name: str) -> str:
    if name not in figures.TABLES:
        abort(404)
    return name


@bp.get("/statistics/<name>.svg")
def chart(name: str):
    data, _at, _country_ = _data()
    svg = charts.render(_name(name), data, labels(name))
    response = Response(svg, mimetype="image/svg+xml")
    # an image runs no script; its own styles are pygal's, inline in the SVG
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.cache_control.public, response.cache_control.max_age = True, CSV_MAX_AGE
    return response


@bp.get("/statistics/<name>.csv")
def table_csv(name: str):
    data, _at, country = _data()
    named = labels(_name(name))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([named[c] for c in figures.TABLES[name]])
    rows = data.get(name, [])
    if name == "red_flags":  # what was reported, in the reader's words
        rows = [[*r[:2], _(RED_FLAG_CATEGORIES.get(r[2], r[2])), *r[3:]] for r in rows]
    writer.writerows(rows)
    response = Response(out.getvalue(), mimetype="text/csv")
    suffix = f"-{country}" if country else ""
    response.headers["Content-Disposition"] = f'attachment; filename="{name}{suffix}.csv"'
    response.cache_control.public, response.cache_control.max_age = True, CSV_MAX_AGE
    return response


@bp.get("/manage/insights")
def insights_page():
    require("insights.view")
    reader = get_reader()
    country = _country() if "country" in request.args else (jurisdiction_of(current_user) or "")
    shared, shared_at = insights.stored_shared(reader)
    return render_template(
        "statistics/insights.html",
        country=country,
        nothing=insights.searched(reader, "none", country),
        similar=insights.searched(reader, "similar", country),
        shared=shared[:100],
        shared_at=shared_at,
        names=insights.agency_names(reader, shared[:100]),
        keep_days=insights.KEEP_DAYS,
    )
