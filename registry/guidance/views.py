"""The public side: entry requirements (`/requirements`), the offer check (`/offer-check`)."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from registry.clock import today
from registry.db import get_reader
from registry.guidance import directory, offers, requirements
from registry.guidance.forms import OfferForm
from registry.proofs.service import qr_svg
from registry.public.links import agency_urls
from registry.search import lookup

bp = Blueprint("guidance", __name__)


@bp.get("/requirements")
def requirements_page():
    session = get_reader()
    every = requirements.categories(session)
    chosen = (request.args.get("country") or "").upper()
    by_country: dict[str, list] = {}
    for category in every:
        by_country.setdefault(category.country, []).append(category)
    shown = {chosen: by_country[chosen]} if chosen in by_country else by_country
    return render_template(
        "guidance/requirements.html", by_country=shown, countries=sorted(by_country), chosen=chosen
    )


@bp.get("/requirements/<country>/<code>")
def category_page(country: str, code: str):
    session = get_reader()
    category = requirements.find(session, country.upper(), code)
    if category is None:
        abort(404)
    on = today()
    return render_template(
        "guidance/category.html",
        category=category,
        items=requirements.in_force(category, on),
        earlier=requirements.earlier(category, on),
        contacts=directory.nearest(session, [category.country], limit=6),
        on=on,
    )


def _charges(form: OfferForm) -> list[offers.Charge] | None:
    """The charges typed, or None when a row is incomplete (its fields say why)."""
    found, complete = [], True
    for amount, currency, purpose in form.charge_rows():
        code = (currency.data or "").strip().upper()
        if amount.data is None and not purpose.data:
            continue
        if amount.data is None:
            amount.errors = [*amount.errors, _("Write the amount you were asked for.")]
            complete = False
            continue
        if not purpose.data:
            purpose.errors = [*purpose.errors, _("Say what the money is for.")]
            complete = False
        if len(code) != 3 or not code.isalpha():
            currency.errors = [
                *currency.errors,
                _("Write the currency as three letters, for example USD, MXN or GTQ."),
            ]
            complete = False
        if complete:
            found.append(offers.Charge(purpose.data, Decimal(amount.data), code))
    return found if complete else None


@bp.get("/offer-check")
def offer_check():
    session = get_reader()
    categories = requirements.categories(session)
    form = OfferForm(request.args, categories=categories)
    if not any(request.args.get(name) for name in form.data):  # nothing asked yet (or ?lang=)
        return render_template("guidance/offer.html", form=form, answered=False)
    valid = form.validate()
    by_id = {str(c.id): c for c in categories}
    category = by_id.get(form.category.data or "")
    destination = (form.destination.data or "").upper()
    if category is not None and destination and category.country != destination:
        form.category.errors = [
            *form.category.errors,
            _("This visa or programme is not one of the country you chose."),
        ]
        valid = False
    charges = _charges(form)  # every row's errors, even when another field has one
    if not valid or charges is None:
        return render_template("guidance/offer.html", form=form, answered=False), 400
    destination = destination or (category.country if category else "")
    on = today()
    found = lookup(form.agency.data, limit=5) if (form.agency.data or "").strip() else None
    agency_country = found.hits[0].agency.country if found and found.hits else ""
    return render_template(
        "guidance/offer.html",
        form=form,
        answered=True,
        result=found,
        agency_url=agency_urls(),
        category=category,
        judgements=offers.judge_all(charges, category.items if category else [], on),
        items=requirements.in_force(category, on) if category else [],
        contacts=directory.nearest(session, [destination, agency_country], limit=6),
        destination=destination,
        on=on,
        share_url=request.url,
        share_qr=qr_svg(request.url),
    )
