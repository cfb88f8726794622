"""A page per public text: the text as written, its translations, and a form to add one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.db import get_session
from registry.permissions import require
from registry.public.texts import original
from registry.public.texts import translations as translated_texts
from registry.regulation import operations as ops
from registry.regulation import translations as service
from registry.regulation.forms import TranslationForm
from registry.regulation.views import _commit, bp, regulator_required


@bp.route(
    "/texts/<any(sanction, finding, red_flag):entity>/<int:record_id>", methods=["GET", "POST"]
)
@regulator_required
def translations(entity: str, record_id: int):
    record = get_session().get(service.RECORDS[entity], record_id) or abort(404)
    require("public_text.translate", record)
    form = TranslationForm()
    if form.validate_on_submit():
        try:
            service.save(
                get_session(),
                actor=current_user,
                record=record,
                lang=form.lang.data,
                text=form.text.data,
            )
            _commit()
            flash(_("Translation saved; visitors reading that language see it now."))
            return redirect(url_for("regulation.translations", entity=entity, record_id=record_id))
        except ops.RuleBroken as error:
            get_session().rollback()
            form.text.errors.append(str(error))
    return render_template(
        "regulation/translations.html",
        record=record,
        entity=entity,
        form=form,
        text=original(record),
        translated=translated_texts(get_session(), record),
    ), (400 if form.errors else 200)
