"""Languages: Spanish, English, French, Portuguese and Haitian Creole, chosen from the query, a
cookie, then the browser, then Spanish."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.support import Translations
from flask import Flask, current_app, g, has_app_context, has_request_context, redirect, request
from flask_babel import Babel, format_currency, format_date, get_locale, get_translations
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from registry import ROOT

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    if not has_request_context():  # the command line, whose own messages are in English
        return "en"
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        return chosen
    g.registry_language_negotiated = True  # from the request's headers: see _vary
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return _best_language(
        request.headers.get("Accept-Language", ""),
        tuple(languages),
        current_app.config["BABEL_DEFAULT_LOCALE"],
    )


@lru_cache(maxsize=1024)  # browsers send a few dozen different headers
def _best_language(header: str, languages: tuple[str, ...], default: str) -> str:
    """The language of `languages` that an Accept-Language header prefers, or `default`."""
    return parse_accept_header(header, LanguageAccept).best_match(languages) or default


def _vary(response):
    """A response in a language chosen by the visitor's cookie or their browser's
    Accept-Language says so, so that a cache in front (a proxy, a CDN, the browser's) keeps one
    copy per language rather than serving the first visitor's to everyone."""
    if g.get("registry_language_negotiated"):
        response.vary.update(("Cookie", "Accept-Language"))
    return response


def set_language(code: str):
    """Remember the visitor's language and go back where they were (same site only)."""
    target = request.referrer or "/"
    if not target.startswith(request.host_url):
        target = "/"
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


def translations() -> Translations:
    """The catalogue of the request's language, looked up once per request (Flask-Babel's own
    gettext looks the language and the catalogue up again at every string)."""
    if not has_app_context():
        return get_translations()
    found = g.get("registry_translations")
    if found is None:
        found = g.registry_translations = get_translations()
    return found


def init_app(app: Flask) -> None:
    Babel(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "registry" / "translations"),
    )
    app.add_url_rule("/language/<code>", "set_language", set_language)
    app.after_request(_vary)
    # What templates imported without context (macros) call for _() and {% trans %}.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        get_locale=get_locale, day=day, money=money, site_languages=site_languages
    )
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["language_name"] = language_name
    app.context_processor(_bound_gettext)


# Each language named in itself, for the language switcher.
AUTONYMS = {
    "es": "Español",
    "en": "English",
    "fr": "Français",
    "pt": "Português",
    "ht": "Kreyòl ayisyen",
}
# CLDR has no names or dates in Haitian Creole: these, and French where nothing is given.
_CREOLE_LANGUAGES = {
    "es": "panyòl",
    "en": "angle",
    "fr": "franse",
    "pt": "pòtigè",
    "ht": "kreyòl ayisyen",
}
_CREOLE_MONTHS = (
    "janvye",
    "fevriye",
    "mas",
    "avril",
    "me",
    "jen",
    "jiyè",
    "out",
    "septanm",
    "oktòb",
    "novanm",
    "desanm",
)


def site_languages() -> list[tuple[str, str]]:
    """The languages the registry speaks (config LANGUAGES), each named in itself."""
    return [(code, AUTONYMS.get(code, code)) for code in current_app.config["LANGUAGES"]]


def _is_creole() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "ht"


def language_name(code: str) -> str:
    """A language's name in the visitor's language ("inglés" for "en" in Spanish)."""
    locale = get_locale()
    if _is_creole():
        return _CREOLE_LANGUAGES.get(code) or Locale("fr").languages.get(code) or code
    return (locale.languages.get(code) if locale is not None else None) or code


def day(value: date | datetime | str | None) -> str:
    """A date as the visitor reads it ("5 de diciembre de 2026"); ISO text is read first."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    if _is_creole():
        return f"{value.day} {_CREOLE_MONTHS[value.month - 1]} {value.year}"
    return format_date(value, "long")


def money(amount, currency: str) -> str:
    """An amount with its currency as the visitor reads it ("190,00 US$" in Spanish)."""
    try:
        return format_currency(amount, currency)
    except (ValueError, KeyError):  # a code Babel does not know
        return f"{amount} {currency}"


def _bound_gettext() -> dict:
    """`tr`: the request's catalogue's gettext as a plain function, for Python code a template
    calls. The templates' `_`, `gettext` and `ngettext` are Jinja's own newstyle ones, installed
    on the environment (init_app) over the catalogue kept once per request (translations())."""
    return {"tr": translations().ugettext}
