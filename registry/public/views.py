from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlmodel import select

from registry.agencies.history import status_history
from registry.agencies.records import is_public, load_full, primary_licence, verdict_for
from registry.clock import today
from registry.countries import every_country_choice, is_country
from registry.db import get_reader
from registry.guidance import directory
from registry.models import Authority, Inspection
from registry.public.forms import SearchForm
from registry.public.links import agency_urls
from registry.search import lookup
from registry.statistics import tally

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    return render_template("public/home.html", form=SearchForm())


@bp.get("/search")
def results():
    form = SearchForm(request.args)
    if not form.validate() or not (form.q.data or "").strip():
        return render_template("public/home.html", form=form), 200 if not form.errors else 400
    result = lookup(
        form.q.data,
        country=form.country.data or None,
        kind=form.kind.data or None,
        verdict=form.verdict.data or None,
        limit=30,
    )
    tally.count(result, form.country.data)
    return render_template(
        "public/results.html",
        form=form,
        result=result,
        contacts=directory.nearest(get_reader(), [form.country.data or ""], limit=4)
        if result.outcome != "match"
        else [],
        primary_licence=primary_licence,
        agency_url=agency_urls(),
    )


@bp.get("/agencies/<int:agency_id>")
def agency(agency_id: int):
    record = load_full(get_reader(), [agency_id]).get(agency_id)
    if record is not None and record.merged_into_id is not None:  # one agency, one address
        return redirect(url_for("public.agency", agency_id=record.merged_into_id), 301)
    if record is None or not is_public(record):
        abort(404)
    return render_template(
        "public/agency.html",
        agency=record,
        contacts=directory.nearest(
            get_reader(),
            [record.country, *(c.country for c in record.corridors)],
            limit=4,
        ),
        verdict=verdict_for(record, today()),
        today=today(),
        primary_licence=primary_licence(record),
        history=status_history(get_reader(), agency_id),
        inspections=get_reader()
        .exec(
            select(Inspection)
            .where(Inspection.agency_id == agency_id)
            .order_by(Inspection.visited_on.desc())
        )
        .all(),
    )


@bp.get("/help")
def help_page():
    """Staying safe, where to report, and the directory of help: the visitor's country
    (`?country=`) first, then every other."""
    reader = get_reader()
    authorities = reader.exec(
        select(Authority)
        .where(Authority.kind != "register")  # imported lists answer nobody
        .order_by(Authority.country)
    ).all()
    chosen = (request.args.get("country") or "").upper()
    chosen = chosen if is_country(chosen) else ""
    return render_template(
        "public/help.html",
        authorities=authorities,
        chosen=chosen,
        contacts=directory.nearest(reader, [chosen], everywhere=True),
        countries=every_country_choice(),
    )
