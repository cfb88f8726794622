"""The verdict badge (the `verdict_badge` macro of templates/macros.html), rendered once per
verdict code and language: a results page shows thirty, and calling a macro costs Jinja more
than the badge itself. The macro is given the code alone, so the key (code, language) is all its
output can depend on: the cache cannot go stale by construction."""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup

from registry.verdict import Verdict


def verdict_badge(verdict: Verdict | str) -> Markup:
    """The badge of `verdict` (or of a verdict's code) in the request's language. Rendered
    afresh when templates are reloaded as they change (development)."""
    key = (verdict if isinstance(verdict, str) else verdict.code, str(get_locale()))
    if current_app.jinja_env.auto_reload:
        return _render(*key)
    kept = current_app.extensions.setdefault("registry.badges", {})
    badge = kept.get(key)
    if badge is None:
        badge = kept[key] = _render(*key)
    return badge


def _render(code: str, _language: str) -> Markup:
    return Markup(current_app.jinja_env.get_template("macros.html").module.verdict_badge(code))
