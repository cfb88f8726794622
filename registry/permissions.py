"""Who may do what: the one place where every write is checked against role and jurisdiction.

A regulator belongs to one authority, hence to one country (its jurisdiction): it reads
everything but writes only records of its own country. An NGO submits red flags and follows its
own. An admin manages accounts. The public (no account) searches and reports anonymously.
"""
from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user

# action -> roles that may attempt it; jurisdiction is checked on top for regulators.
ACTIONS: dict[str, tuple[str, ...]] = {
    "agency.create": ("regulator",),
    "agency.edit": ("regulator",),
    "licence.write": ("regulator",),
    "sanction.write": ("regulator",),
    "sanction.confirm": ("regulator",),
    "finding.write": ("regulator",),
    "inspection.write": ("regulator",),
    "red_flag.review": ("regulator",),
    "red_flag.submit": ("ngo", "regulator", "admin"),
    "evidence.open": ("regulator",),
    "audit.view": ("regulator", "admin"),
    "users.manage": ("admin",),
}
JURISDICTIONAL = {"agency.create", "agency.edit", "licence.write", "sanction.write",
                  "sanction.confirm", "finding.write", "inspection.write", "red_flag.review"}


def jurisdiction_of(user: Any) -> str | None:
    """The country a regulator may write in."""
    if getattr(user, "role", None) != "regulator" or user.authority is None:
        return None
    return user.authority.country


def can(user: Any, action: str, country: str | None = None) -> bool:
    """May `user` do `action` on a record of `country`? Anonymous and disabled users may not."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role not in ACTIONS[action]:
        return False
    if action in JURISDICTIONAL:
        return country is not None and jurisdiction_of(user) == country
    return True


def require(action: str, country: str | None = None) -> None:
    """Stop the request unless the current user may act: log in first, or 403."""
    if not current_user.is_authenticated:
        if request.path.startswith("/api/"):
            abort(401)
        abort(redirect(url_for("accounts.login", next=request.full_path.rstrip("?"))))
    if not can(current_user, action, country):
        abort(403)
