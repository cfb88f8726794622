"""Languages: Spanish and English, chosen from a cookie, then the browser, then Spanish."""
from __future__ import annotations

from flask import Flask, current_app, redirect, request
from flask_babel import Babel, get_locale, gettext

from registry import ROOT

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def set_language(code: str):
    """Remember the visitor's language and go back where they were (same site only)."""
    target = request.referrer or "/"
    if not target.startswith(request.host_url):
        target = "/"
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale,
          default_translation_directories=str(ROOT / "registry" / "translations"))
    app.add_url_rule("/language/<code>", "set_language", set_language)
    app.jinja_env.globals.update(get_locale=get_locale, tr=gettext)
