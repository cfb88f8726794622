"""The verdict badge (the `verdict_badge` macro of templates/macros.html), rendered once per
verdict and language: a results page shows thirty, and calling a macro costs Jinja more than
the badge itself (a fifth of the page's rendering)."""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup

from registry.verdict import Verdict


def verdict_badge(verdict: Verdict) -> Markup:
    """The badge of `verdict` in the request's language. Rendered afresh when templates are
    reloaded as they change (development)."""
    if current_app.jinja_env.auto_reload:
        return _render(verdict)
    kept = current_app.extensions.setdefault("registry.badges", {})
    key = (verdict.code, str(get_locale()))
    badge = kept.get(key)
    if badge is None:
        badge = kept[key] = _render(verdict)
    return badge


def _render(verdict: Verdict) -> Markup:
    return Markup(current_app.jinja_env.get_template("macros.html").module.verdict_badge(verdict))
