"""Addresses of agencies' public pages, for lists of them."""

from __future__ import annotations

from collections.abc import Callable

import phonenumbers
from flask import url_for


def agency_urls(*, external: bool = False) -> Callable[[int], str]:
    """The address of an agency's public page by its id. url_for is asked once for a list
    rather than once an agency (it is slow enough to show in a list of 30); should the route
    ever not end with the id, every address is asked for."""
    probe = url_for("public.agency", agency_id=1, _external=external)
    if not probe.endswith("/1"):
        return lambda agency_id: url_for("public.agency", agency_id=agency_id, _external=external)
    prefix = probe[:-1]
    return lambda agency_id: prefix + str(agency_id)


def tel_href(number: str, country: str | None = None) -> str:
    """A `tel:` link for a phone number as written on the record (in the agency's country when
    it has no international prefix); "" when it is not a phone number."""
    try:
        parsed = phonenumbers.parse(number, (country or "").upper() or None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_href(number: str, country: str | None = None) -> str:
    """A WhatsApp chat link (https://wa.me/<digits>) for a number; "" when it is none."""
    tel = tel_href(number, country)
    return "https://wa.me/" + tel.removeprefix("tel:+") if tel else ""
