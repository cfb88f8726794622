"""Languages: Spanish and English, chosen from a cookie, then the browser, then Spanish."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

from babel.support import Translations
from flask import Flask, current_app, g, has_app_context, has_request_context, redirect, request
from flask_babel import Babel, format_date, get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup
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
    app.jinja_env.globals.update(get_locale=get_locale, day=day)
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["language_name"] = language_name
    app.context_processor(_bound_gettext)


def language_name(code: str) -> str:
    """A language's name in the visitor's language ("inglés" for "en" in Spanish)."""
    locale = get_locale()
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
    return format_date(value, "long")


def _bound_gettext() -> dict:
    """The templates' gettext and _, ngettext (what _() and {% trans %} call) and tr (a plain
    function, for Python code a template calls), bound to the catalogue of the request's language
    once per page. Flask-Babel's own look the language and the catalogue up again at every
    string (200 strings made a fifth of a results page's time); the environment's, which macros
    imported without context call, find the catalogue in `g` at every string."""
    catalogue = translations()
    gettext = _newstyle(catalogue.ugettext)
    # `_` too: Jinja's own `_` looks `gettext` up in the context and calls it, at every string.
    return {
        "gettext": gettext,
        "_": gettext,
        "ngettext": _newstyle_plural(catalogue.ungettext),
        "tr": catalogue.ugettext,
    }


def _newstyle(translate: Callable[[str], str]):
    """As Jinja's newstyle gettext: escaped when autoescaping, variables put in by name."""

    @pass_context
    def gettext(context, message: str, **variables):
        text = translate(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext


def _newstyle_plural(translate: Callable[[str, str, int], str]):
    @pass_context
    def ngettext(context, singular: str, plural: str, count: int, **variables):
        variables.setdefault("num", count)
        text = translate(singular, plural, count)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return ngettext
