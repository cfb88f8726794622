"""Keeping the guidance: a destination country's regulators keep its migration categories
(`/manage/requirements`); administrators and organisations keep the directory of help
(`/manage/help-contacts`). Every change is audited (registry.guidance.requirements, directory)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from registry.clock import today
from registry.db import get_session
from registry.guidance import directory, requirements
from registry.guidance.forms import CategoryForm, ContactForm, EndItemForm, ItemForm
from registry.models import CategoryItem, HelpContact, MigrationCategory
from registry.permissions import require
from registry.regulation.views import pressed, submitted

bp = Blueprint("guidance_manage", __name__, url_prefix="/manage")


def _kept_countries() -> list[str] | None:
    """The countries whose requirements the current user keeps (None: every country)."""
    if current_user.is_authenticated and current_user.role == "admin":
        return None
    require("requirements.list")
    return [current_user.authority.country]


@bp.get("/requirements")
def categories():
    countries = _kept_countries()
    found = requirements.categories(get_session())
    if countries is not None:
        found = [c for c in found if c.country in countries]
    return render_template("guidance/manage_categories.html", categories=found)


@bp.route("/requirements/new", methods=["GET", "POST"])
def new_category():
    return _edit_category(None)


@bp.route("/requirements/<int:category_id>", methods=["GET", "POST"])
def edit_category(category_id: int):
    category = get_session().get(MigrationCategory, category_id) or abort(404)
    require("requirements.manage", category)
    return _edit_category(category)


def _edit_category(category: MigrationCategory | None):
    countries = _kept_countries()
    if request.method == "POST" and countries is not None:  # another country's: said plainly
        require("requirements.manage", (request.form.get("country") or "").upper())
    form = CategoryForm(obj=category, countries=countries)
    done = submitted(
        form,
        lambda: requirements.save_category(
            get_session(),
            actor=current_user,
            category=category,
            **{k: form[k].data for k in requirements.CATEGORY_FIELDS},
        ),
        done=_("Saved."),
        back_to=request.path if category else url_for(".categories"),
    )
    if done:
        return done
    on = today()
    return render_template(
        "guidance/manage_category.html",
        form=form,
        category=category,
        items=requirements.in_force(category, on) if category else [],
        earlier=requirements.earlier(category, on) if category else [],
        item_form=ItemForm(
            prefix="item", current=requirements.in_force(category, on) if category else []
        ),
        end_form=EndItemForm(prefix="end"),
    ), (400 if form.errors else 200)


@bp.route("/requirements/<int:category_id>/items", methods=["POST"])
def add_item(category_id: int):
    session = get_session()
    category = session.get(MigrationCategory, category_id) or abort(404)
    require("requirements.manage", category)
    current = requirements.in_force(category, today())
    form = ItemForm(prefix="item", current=current)
    back = url_for(".edit_category", category_id=category.id)
    done = submitted(
        form,
        lambda: requirements.add_item(
            session,
            actor=current_user,
            category=category,
            replaces=session.get(CategoryItem, int(form.replaces.data))
            if (form.replaces.data or "").isdigit()
            else None,
            **{
                k: form[k].data
                for k in (
                    "kind",
                    "name",
                    "purpose",
                    "payer",
                    "amount",
                    "currency",
                    "notes",
                    "source_name",
                    "source_url",
                    "effective_on",
                )
            },
        ),
        done=_("Saved."),
        back_to=back,
        error_field=form.name,
    )
    if done:
        return done
    return render_template(
        "guidance/manage_category.html",
        form=CategoryForm(obj=category, countries=_kept_countries()),
        category=category,
        items=current,
        earlier=requirements.earlier(category, today()),
        item_form=form,
        end_form=EndItemForm(prefix="end"),
    ), 400


@bp.post("/requirements/items/<int:item_id>/end")
def end_item(item_id: int):
    session = get_session()
    item = session.get(CategoryItem, item_id) or abort(404)
    require("requirements.manage", item.category)
    form = EndItemForm(prefix="end")
    return pressed(
        form,
        lambda: requirements.end_item(session, actor=current_user, item=item, on=form.ends_on.data),
        done=_("Saved."),
        back_to=url_for(".edit_category", category_id=item.category_id),
        invalid=_("Give the date from which the rule no longer applies."),
    )


@bp.get("/help-contacts")
def contacts():
    require("help.manage")
    found = get_session().exec(select(HelpContact).order_by(HelpContact.country, HelpContact.name))
    return render_template("guidance/manage_contacts.html", contacts=found.all())


@bp.route("/help-contacts/new", methods=["GET", "POST"])
def new_contact():
    require("help.manage")
    return _edit_contact(None)


@bp.route("/help-contacts/<int:contact_id>", methods=["GET", "POST"])
def edit_contact(contact_id: int):
    require("help.manage")
    return _edit_contact(get_session().get(HelpContact, contact_id) or abort(404))


def _edit_contact(contact: HelpContact | None):
    form = ContactForm(obj=contact)
    if contact is not None and request.method == "GET":
        form.hidden.data = not contact.active
    done = submitted(
        form,
        lambda: directory.save_contact(
            get_session(),
            actor=current_user,
            contact=contact,
            active=not form.hidden.data,
            **{k: form[k].data for k in directory.CONTACT_FIELDS if k != "active"},
        ),
        done=_("Saved."),
        back_to=url_for(".contacts"),
    )
    if done:
        return done
    return render_template("guidance/manage_contact.html", form=form, contact=contact), (
        400 if form.errors else 200
    )
