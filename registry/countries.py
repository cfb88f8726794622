"""Country codes (ISO 3166-1 alpha-2) and their names in the visitor's language, from Babel."""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask_babel import get_locale

# The member countries of the Regional Conference on Migration, and frequent destinations.
REGION = (
    "AR",
    "BZ",
    "BO",
    "BR",
    "CA",
    "CL",
    "CO",
    "CR",
    "DO",
    "EC",
    "SV",
    "ES",
    "US",
    "GT",
    "HN",
    "JM",
    "MX",
    "NI",
    "PA",
    "PY",
    "PE",
    "PH",
    "PT",
    "GB",
    "UY",
    "VE",
    "AU",
    "DE",
    "IT",
    "FR",
)


def is_country(code: str) -> bool:
    return len(code) == 2 and code.upper() in Locale("en").territories


def country_name(code: str) -> str:
    locale = get_locale() or Locale("es")
    return locale.territories.get(code.upper(), code.upper())


# Babel's territories that are no country: unknown, European Union, eurozone, United Nations,
# outlying Oceania, pseudo-locales.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


def every_country_choice() -> list[tuple[str, str]]:
    """Every country as (code, name) in the visitor's language: the region's first, then the
    rest, each by name."""
    return list(_every(str(get_locale() or Locale("es"))))


@cache
def _every(locale: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(locale).territories
    others = sorted(
        (
            (code, name)
            for code, name in territories.items()
            if len(code) == 2
            and code.isalpha()
            and code not in _NOT_COUNTRIES
            and code not in REGION
        ),
        key=lambda pair: pair[1],
    )
    return _choices(locale) + tuple(others)


def country_choices() -> list[tuple[str, str]]:
    """The region's countries as (code, name), by name in the visitor's language."""
    return list(_choices(str(get_locale() or Locale("es"))))


@cache  # one per language (the search form is built on every results page)
def _choices(locale: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(locale).territories
    return tuple(sorted(((c, territories.get(c, c)) for c in REGION), key=lambda pair: pair[1]))
