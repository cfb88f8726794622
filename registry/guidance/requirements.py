"""Migration categories and their items. The caller commits; every change is audited.

An item is never changed in place: `replace` ends it the day the new rule takes effect, so the
public page shows what applies today and what applied before, each with its legal source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from registry.audit.changes import fields, record
from registry.countries import is_country
from registry.models import CategoryItem, MigrationCategory, User, utcnow
from registry.regulation.operations import RuleBroken, authorize
from registry.vocab import CHARGE_PURPOSES, PAYERS, REQUIREMENT_KINDS

CATEGORY_FIELDS = ("country", "code", "name", "summary", "lang", "source_name", "source_url")
ITEM_FIELDS = (
    "kind",
    "purpose",
    "name",
    "amount",
    "currency",
    "payer",
    "notes",
    "source_name",
    "source_url",
    "effective_on",
    "ends_on",
)


def categories(session: Session, country: str | None = None) -> list[MigrationCategory]:
    query = select(MigrationCategory).order_by(MigrationCategory.country, MigrationCategory.code)
    if country:
        query = query.where(MigrationCategory.country == country)
    return list(session.exec(query).all())


def find(session: Session, country: str, code: str) -> MigrationCategory | None:
    return session.exec(
        select(MigrationCategory).where(
            MigrationCategory.country == country, MigrationCategory.code == code
        )
    ).first()


def in_force(category: MigrationCategory, on: date) -> list[CategoryItem]:
    """The documents then the costs that apply on `on`, each in its order of entry."""
    items = [i for i in category.items if i.in_force(on)]
    return sorted(items, key=lambda i: (i.kind != "document", i.id or 0))


def earlier(category: MigrationCategory, on: date) -> list[CategoryItem]:
    """The rules that applied before (or will apply later), newest first."""
    items = [i for i in category.items if not i.in_force(on)]
    return sorted(items, key=lambda i: i.effective_on, reverse=True)


def _clean_category(values: dict) -> dict:
    cleaned = {k: (values.get(k) or "").strip() for k in CATEGORY_FIELDS}
    cleaned["country"] = cleaned["country"].upper()
    if not is_country(cleaned["country"]):
        raise RuleBroken(_l("Choose the destination country."))
    if not cleaned["code"] or not cleaned["name"]:
        raise RuleBroken(_l("Give the category's short name and its full name."))
    cleaned["lang"] = cleaned["lang"] or "es"
    return cleaned


def save_category(
    session: Session, *, actor: User | str, category: MigrationCategory | None, **values
) -> MigrationCategory:
    cleaned = _clean_category(values)
    if isinstance(actor, User):
        authorize(actor, "requirements.manage", cleaned["country"])
        if category is not None:
            authorize(actor, "requirements.manage", category)
    same = find(session, cleaned["country"], cleaned["code"])
    if same is not None and same is not category:
        raise RuleBroken(_l("This country already has a category with this short name."))
    before = fields(category, CATEGORY_FIELDS) if category is not None else {}
    category = category or MigrationCategory(**cleaned)
    for key, value in cleaned.items():
        setattr(category, key, value)
    category.updated_at = utcnow()
    session.add(category)
    session.flush()
    record(
        session,
        by=actor,
        action="category.update" if before else "category.create",
        obj=category,
        agency_id=None,
        before=before,
        after=fields(category, CATEGORY_FIELDS),
    )
    return category


def _amount(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        amount = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation as error:
        raise RuleBroken(_l("Write the amount as a number, for example 190 or 190.50.")) from error
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise RuleBroken(_l("Write the amount as a number, for example 190 or 190.50."))
    return amount.quantize(Decimal("0.01"))


def _clean_item(values: dict) -> dict:
    kind = values.get("kind") or ""
    if kind not in REQUIREMENT_KINDS:
        raise RuleBroken(_l("Say whether it is a document or a cost."))
    name = (values.get("name") or "").strip()
    if not name:
        raise RuleBroken(_l("Give the document's or the cost's name."))
    effective_on = values.get("effective_on")
    if not isinstance(effective_on, date):
        raise RuleBroken(_l("Give the date the rule takes effect."))
    cleaned = {
        "kind": kind,
        "name": name,
        "notes": (values.get("notes") or "").strip(),
        "source_name": (values.get("source_name") or "").strip(),
        "source_url": (values.get("source_url") or "").strip(),
        "effective_on": effective_on,
        "purpose": "",
        "amount": None,
        "currency": "",
        "payer": "",
    }
    if kind == "cost":
        if values.get("purpose") not in CHARGE_PURPOSES:
            raise RuleBroken(_l("Say what the cost is for."))
        if values.get("payer") not in PAYERS:
            raise RuleBroken(_l("Say who pays the cost: the worker or the employer."))
        amount = _amount(values.get("amount"))
        currency = (values.get("currency") or "").strip().upper()
        if amount is not None and (len(currency) != 3 or not currency.isalpha()):
            raise RuleBroken(_l("Give the currency as its three-letter code, for example USD."))
        cleaned.update(
            purpose=values["purpose"],
            payer=values["payer"],
            amount=amount,
            currency=currency if amount is not None else "",
        )
    if not cleaned["source_name"]:
        raise RuleBroken(_l("Name the law or rule that sets it."))
    return cleaned


def add_item(
    session: Session,
    *,
    actor: User | str,
    category: MigrationCategory,
    replaces: CategoryItem | None = None,
    **values,
) -> CategoryItem:
    """A new document or cost of `category`; given `replaces`, that one ends the day this one
    takes effect (it stays in the history)."""
    if isinstance(actor, User):
        authorize(actor, "requirements.manage", category)
    cleaned = _clean_item(values)
    if replaces is not None:
        if replaces.category_id != category.id or replaces.ends_on is not None:
            raise RuleBroken(
                _l("Only a rule of this category that is still in force can be replaced.")
            )
        if cleaned["effective_on"] <= replaces.effective_on:
            raise RuleBroken(_l("The new rule must take effect after the one it replaces."))
        end_item(session, actor=actor, item=replaces, on=cleaned["effective_on"])
    item = CategoryItem(category_id=category.id, **cleaned)
    session.add(item)
    category.updated_at = utcnow()
    session.add(category)
    session.flush()
    record(
        session,
        by=actor,
        action="category_item.create",
        obj=item,
        agency_id=None,
        before={},
        after={"category_id": category.id, **fields(item, ITEM_FIELDS)},
    )
    return item


def end_item(session: Session, *, actor: User | str, item: CategoryItem, on: date) -> None:
    """The rule no longer applies from `on` (it stays in the history)."""
    if isinstance(actor, User):
        authorize(actor, "requirements.manage", item.category)
    if item.ends_on is not None:
        raise RuleBroken(_l("This rule has already ended."))
    if on <= item.effective_on:
        raise RuleBroken(_l("A rule can only end after the day it took effect."))
    before = fields(item, ITEM_FIELDS)
    item.ends_on = on
    session.add(item)
    session.flush()
    record(
        session,
        by=actor,
        action="category_item.end",
        obj=item,
        agency_id=None,
        before=before,
        after=fields(item, ITEM_FIELDS),
    )


ITEM_KEYS = ("kind", "purpose", "name")  # what identifies a rule across loads


def load(session: Session, data: dict, *, actor: str, demo: bool = False) -> dict[str, int]:
    """Load a country's categories from a document (docs/requirements.md): each category is
    created or updated; each item is added, left as it is when the same rule is in force, or
    replaces the rule in force of the same kind, purpose and name when it takes effect later.
    Rules in force that the document leaves out stay (ending one is a decision). Raises
    RuleBroken naming the category and item at fault; the caller commits or rolls back."""
    counts = {"categories": 0, "added": 0, "replaced": 0, "unchanged": 0}
    country = str(data.get("country") or "").upper()
    for n, entry in enumerate(data.get("categories") or [], start=1):
        where = f"category {n} ({entry.get('code', '?')})"
        try:
            values = {k: entry.get(k, "") for k in CATEGORY_FIELDS if k != "country"}
            category = save_category(
                session,
                actor=actor,
                category=find(session, country, str(entry.get("code") or "")),
                country=country,
                **values,
            )
            category.demo = demo
            counts["categories"] += 1
            for m, raw in enumerate(entry.get("items") or [], start=1):
                where = f"category {n} ({category.code}), item {m}"
                _load_item(session, category, raw, actor, counts)
        except (RuleBroken, ValueError, TypeError) as error:
            raise RuleBroken(f"{where}: {error}") from error
    return counts


def _load_item(session, category, raw: dict, actor: str, counts: dict) -> None:
    values = dict(raw)
    values["effective_on"] = date.fromisoformat(str(values.get("effective_on", "")))
    cleaned = _clean_item(values)
    key = tuple(cleaned[k] for k in ITEM_KEYS)
    current = next(
        (
            i
            for i in category.items
            if i.ends_on is None and tuple(getattr(i, k) for k in ITEM_KEYS) == key
        ),
        None,
    )
    if current is not None and all(getattr(current, k) == v for k, v in cleaned.items()):
        counts["unchanged"] += 1
        return
    add_item(session, actor=actor, category=category, replaces=current, **values)
    session.refresh(category)
    counts["replaced" if current is not None else "added"] += 1
