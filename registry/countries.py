"""Country codes (ISO 3166-1 alpha-2) and their names in the visitor's language, from Babel."""

from __future__ import annotations

import unicodedata
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
    "HT",
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


# Haitian Creole: CLDR has no country names in it; the French ones are read by most, and the
# region's own are given in Creole.
_CREOLE = {
    "HT": "Ayiti",
    "US": "Etazini",
    "DO": "Repiblik Dominikèn",
    "CA": "Kanada",
    "MX": "Meksik",
    "BR": "Brezil",
    "CL": "Chili",
    "GT": "Gwatemala",
    "HN": "Ondiras",
    "SV": "Salvadò",
    "NI": "Nikaragwa",
    "CR": "Kosta Rika",
    "PA": "Panama",
    "BZ": "Beliz",
    "JM": "Jamayik",
    "CU": "Kiba",
    "ES": "Espay",
    "FR": "Lafrans",
    "PH": "Filipin",
}


@cache
def territories(locale: str) -> dict[str, str]:
    """Country names in a language (Babel's), with Haitian Creole's as above."""
    if locale.split("_")[0] == "ht":
        return {**Locale("fr").territories, **_CREOLE}
    return dict(Locale.parse(locale).territories)


def _by_name(pair: tuple[str, str]) -> str:
    """Sort as a reader does: "Égypte" among the E's, not after Z."""
    folded = unicodedata.normalize("NFKD", pair[1].casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def country_name(code: str) -> str:
    return territories(str(get_locale() or "es")).get(code.upper(), code.upper())


# Babel's territories that are no country: unknown, European Union, eurozone, United Nations,
# outlying Oceania, pseudo-locales.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


def every_country_choice() -> list[tuple[str, str]]:
    """Every country as (code, name) in the visitor's language: the region's first, then the
    rest, each by name."""
    return list(_every(str(get_locale() or Locale("es"))))


@cache
def _every(locale: str) -> tuple[tuple[str, str], ...]:
    names = territories(locale)
    others = sorted(
        (
            (code, name)
            for code, name in names.items()
            if len(code) == 2
            and code.isalpha()
            and code not in _NOT_COUNTRIES
            and code not in REGION
        ),
        key=_by_name,
    )
    return _choices(locale) + tuple(others)


def country_choices() -> list[tuple[str, str]]:
    """The region's countries as (code, name), by name in the visitor's language."""
    return list(_choices(str(get_locale() or Locale("es"))))


@cache  # one per language (the search form is built on every results page)
def _choices(locale: str) -> tuple[tuple[str, str], ...]:
    names = territories(locale)
    return tuple(sorted(((c, names.get(c, c)) for c in REGION), key=_by_name))
