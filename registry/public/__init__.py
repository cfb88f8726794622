"""The public lookup: no login, works on a phone and without JavaScript."""

from __future__ import annotations

from flask import Flask

from registry import vocab
from registry.agencies.records import public_sanctions
from registry.countries import country_name
from registry.db import get_reader
from registry.public import texts
from registry.public.badges import verdict_badge
from registry.public.links import tel_href, whatsapp_href
from registry.verdict import effective_licence_status


def init_app(app: Flask) -> None:
    from registry.public import errors, views

    app.register_blueprint(views.bp)
    errors.init_app(app)
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.globals.update(
        VERDICTS=vocab.VERDICTS,
        AGENCY_KINDS=vocab.AGENCY_KINDS,
        NAME_TYPES=vocab.NAME_TYPES,
        CONTACT_TYPES=vocab.CONTACT_TYPES,
        LICENCE_STATUSES=vocab.LICENCE_STATUSES,
        SANCTION_TYPES=vocab.SANCTION_TYPES,
        SANCTION_EVENTS=vocab.SANCTION_EVENTS,
        APPEAL_STATES=vocab.APPEAL_STATES,
        RED_FLAG_CATEGORIES=vocab.RED_FLAG_CATEGORIES,
        RED_FLAG_STATES=vocab.RED_FLAG_STATES,
        RED_FLAG_NEXT_STEPS=vocab.RED_FLAG_NEXT_STEPS,
        REPORTER_TYPES=vocab.REPORTER_TYPES,
        INSPECTION_KINDS=vocab.INSPECTION_KINDS,
        INSPECTION_OUTCOMES=vocab.INSPECTION_OUTCOMES,
        AUTHORITY_KINDS=vocab.AUTHORITY_KINDS,
        CORRIDOR_DIRECTIONS=vocab.CORRIDOR_DIRECTIONS,
        REFERRAL_STATES=vocab.REFERRAL_STATES,
        HELP_KINDS=vocab.HELP_KINDS,
        CHARGE_PURPOSES=vocab.CHARGE_PURPOSES,
        PAYERS=vocab.PAYERS,
        REQUIREMENT_KINDS=vocab.REQUIREMENT_KINDS,
        country_name=country_name,
        effective_licence_status=effective_licence_status,
        public_sanctions=public_sanctions,
        verdict_badge=verdict_badge,
        tel_href=tel_href,
        whatsapp_href=whatsapp_href,
        public_text=lambda record: texts.public_text(get_reader(), record),
    )
