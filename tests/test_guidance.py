"""Beside the verdict: entry requirements and official costs kept by a destination country's
regulators, the offer check a migrant runs on a cheap phone, and the directory of help,
nearest first; every country can be chosen, in the visitor's language."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlmodel import select
from support import EN, log_in, log_out, token

from registry.guidance import offers
from registry.models import AuditEntry, CategoryItem, HelpContact, MigrationCategory

ON = date(2026, 12, 5)


def cost(purpose, payer, amount=None, currency="", effective_on=date(2025, 1, 1), ends_on=None):
    return CategoryItem(
        kind="cost",
        purpose=purpose,
        name=purpose,
        payer=payer,
        amount=Decimal(amount) if amount is not None else None,
        currency=currency,
        source_name="Rule",
        effective_on=effective_on,
        ends_on=ends_on,
    )


def charge(purpose, amount, currency="USD"):
    return offers.Charge(purpose, Decimal(amount), currency)


def outcome(the_charge, costs):
    return offers.judge(the_charge, costs, ON).outcome


def test_whether_a_charge_is_allowed_is_a_pure_rule():
    costs = [
        cost("visa", "employer", "190", "USD"),
        cost("medical", "worker", "250", "CAD"),
        cost("documents", "worker"),
    ]
    assert outcome(charge("visa", "190"), costs) == "not_allowed"  # the employer pays it
    assert outcome(charge("medical", "300", "CAD"), costs) == "too_much"
    assert outcome(charge("medical", "250", "CAD"), costs) == "allowed"
    assert outcome(charge("medical", "300", "USD"), costs) == "allowed"  # not comparable
    assert outcome(charge("documents", "5000"), costs) == "allowed"  # no official amount
    assert outcome(charge("housing", "100"), costs) == "unknown"
    # a recruitment fee, with no rule of the category: ILO C181 art. 7
    judged = offers.judge(charge("recruitment", "1"), costs, ON)
    assert judged.outcome == "not_allowed" and judged.by_convention and judged.rule is None
    # only the rule in force that day counts
    dated = [
        cost("visa", "worker", "100", "USD", date(2020, 1, 1), ends_on=date(2026, 1, 1)),
        cost("visa", "employer", effective_on=date(2026, 1, 1)),
    ]
    assert outcome(charge("visa", "100"), dated) == "not_allowed"
    assert offers.judge(charge("visa", "100"), dated, date(2025, 6, 1)).outcome == "allowed"
    judgements = offers.judge_all([charge("housing", "1"), charge("visa", "1")], dated, ON)
    assert offers.worst(judgements) == "not_allowed" and offers.worst([]) is None


def test_a_regulator_keeps_its_countrys_requirements_with_their_history(client, session, world):
    log_in(client, "mx1@gov.example")
    new = "/manage/requirements/new"
    refused = client.post(
        new,
        data={
            "country": "US",
            "code": "H-2A",
            "name": "Agrícola",
            "csrf_token": token(client, new),
        },
    )
    assert refused.status_code == 403  # the United States' are not Mexico's to keep
    typed = {"country": "MX", "code": "", "name": "Visitante regional", "lang": "es"}
    kept = client.post(new, data={**typed, "csrf_token": token(client, new)}, headers=EN)
    assert kept.status_code == 400 and 'value="Visitante regional"' in kept.get_data(as_text=True)
    created = client.post(
        new,
        data={
            **typed,
            "code": "VR",
            "source_name": "Ley de Migración",
            "csrf_token": token(client),
        },
    )
    assert created.status_code == 302
    category = session.exec(select(MigrationCategory).where(MigrationCategory.code == "VR")).one()
    items = f"/manage/requirements/{category.id}/items"
    page = f"/manage/requirements/{category.id}"

    def add(**fields):
        data = {f"item-{k}": v for k, v in fields.items()}
        return client.post(items, data={**data, "csrf_token": token(client, page)}, headers=EN)

    base = {"source_name": "Ley de Migración", "source_url": "https://ley.example/art-10"}
    assert (
        add(kind="document", name="Pasaporte", effective_on="2025-01-01", **base).status_code == 302
    )
    assert (
        add(
            kind="cost",
            name="Permiso",
            purpose="visa",
            payer="worker",
            amount="40",
            currency="USD",
            effective_on="2025-01-01",
            **base,
        ).status_code
        == 302
    )
    no_payer = add(kind="cost", name="Viaje", purpose="travel", effective_on="2025-01-01", **base)
    assert no_payer.status_code == 400
    assert "Say who pays the cost" in no_payer.get_data(as_text=True)
    session.expire_all()
    permit = next(i for i in category.items if i.name == "Permiso")
    # the fee changes: the new rule replaces the old one, which stays in the history
    assert (
        add(
            kind="cost",
            name="Permiso",
            purpose="visa",
            payer="employer",
            effective_on="2026-07-01",
            replaces=str(permit.id),
            **base,
        ).status_code
        == 302
    )
    session.expire_all()
    assert session.get(CategoryItem, permit.id).ends_on == date(2026, 7, 1)
    public = client.get("/requirements/MX/VR", headers=EN).get_data(as_text=True)
    assert "Pasaporte" in public and "The employer pays" in public
    assert "Earlier rules" in public and "$40.00" in public
    assert 'href="https://ley.example/art-10"' in public
    assert "MX" in client.get("/requirements?country=MX", headers=EN).get_data(as_text=True)
    actions = session.exec(
        select(AuditEntry.action).where(
            AuditEntry.entity.in_(["migration_category", "category_item"])
        )
    ).all()
    assert sorted(actions) == sorted(
        ["category.create", "category_item.create", "category_item.create"]
        + ["category_item.end", "category_item.create"]
    )
    # Guatemala's regulator may not touch Mexico's
    log_out(client)
    log_in(client, "gt@gov.example")
    assert client.post(items, data={"csrf_token": token(client)}).status_code == 403


def test_the_offer_check_answers_the_agency_the_charges_and_what_to_do(client, session, world):
    category = world["category"]  # Mexico's: the employer pays the recruitment
    session.add(
        CategoryItem(
            category_id=category.id,
            kind="cost",
            purpose="documents",
            name="Expedición de la tarjeta",
            payer="worker",
            amount=Decimal("300"),
            currency="MXN",
            source_name="Ley de Migración",
            effective_on=date(2025, 1, 1),
        )
    )
    session.add(
        HelpContact(kind="hotline", name="Línea Migrante MX", country="MX", phone="800 00 11")
    )
    session.commit()
    query = {
        "agency": "Agencia Sierra Madre",
        "destination": "MX",
        "category": str(category.id),
        "amount_1": "1500",
        "currency_1": "mxn",
        "purpose_1": "recruitment",
        "amount_2": "450",
        "currency_2": "MXN",
        "purpose_2": "documents",
    }
    response = client.get("/offer-check", query_string=query, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<script" not in page
    assert 'class="qr"' in page and "/offer-check?agency=Agencia+Sierra+Madre" in page  # to share
    assert "verdict-licensed" in page and "Agencia Sierra Madre" in page
    assert "Not allowed: the employer pays this, not you." in page
    assert "More than the official amount (MX$300.00)" in page
    assert "Línea Migrante MX" in page and 'href="tel:+528000011"' in page
    assert "/report?name=Agencia+Sierra+Madre" in page
    # a name nobody holds, and a charge no rule covers
    unknown = client.get(
        "/offer-check",
        query_string={
            "agency": "Empleos Garantizados Zeta",
            "amount_1": "80",
            "currency_1": "USD",
            "purpose_1": "housing",
        },  # fmt: skip
        headers=EN,
    ).get_data(as_text=True)
    assert "We found no licensed agency called" in unknown
    assert "No rule is recorded for this cost." in unknown
    blank = client.get("/offer-check?lang=en").get_data(as_text=True)
    assert "Tell us about the offer you received" in blank and "What to do now" not in blank
    # in Haitian Creole too, and in every language the registry speaks
    for lang in ("es", "fr", "pt", "ht"):
        other = client.get("/offer-check", query_string={**query, "lang": lang})
        assert other.status_code == 200
        assert "Not allowed: the employer pays this" not in other.get_data(as_text=True)


def test_a_bad_offer_check_says_what_is_wrong_and_keeps_what_was_typed(client, world):
    category = world["category"]
    bad = client.get(
        "/offer-check",
        query_string={
            "agency": "Agencia Sierra Madre",
            "destination": "US",
            "category": str(category.id),
            "amount_1": "12x",
            "currency_1": "USD",
            "purpose_1": "visa",
            "amount_2": "30",
            "currency_2": "dollars",
        },  # fmt: skip
        headers=EN,
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "not one of the country you chose" in page
    assert 'value="Agencia Sierra Madre"' in page and 'value="12x"' in page
    half = client.get(
        "/offer-check",
        query_string={"amount_1": "30", "currency_1": "dollars"},
        headers=EN,
    ).get_data(as_text=True)
    assert "Say what the money is for." in half and "three letters" in half


def test_organisations_keep_the_directory_and_migrants_see_the_nearest_first(
    client, session, world
):
    log_in(client, "ngo@ngo.example")
    new = "/manage/help-contacts/new"
    no_way = client.post(
        new,
        data={
            "kind": "consulate",
            "name": "Consulado de Honduras",
            "country": "MX",
            "csrf_token": token(client, new),
        },  # fmt: skip
        headers=EN,
    )
    assert no_way.status_code == 400 and "at least one way to reach it" in no_way.get_data(
        as_text=True
    )
    for fields in (
        {"kind": "consulate", "name": "Consulado de Honduras", "country": "MX", "serves": "HN",
         "phone": "+52 55 1234 5678", "whatsapp": "+52 55 1234 0000", "languages": "es, en"},
        {"kind": "trafficking_hotline", "name": "Línea contra la trata HN", "country": "HN",
         "phone": "+504 2222 1111"},
        {"kind": "ngo", "name": "Casa Honduras", "country": "HN", "email": "casa@hn.example"},
    ):  # fmt: skip
        assert client.post(new, data={**fields, "csrf_token": token(client)}).status_code == 302
    log_out(client)
    page = client.get("/help?country=HN", headers=EN).get_data(as_text=True)
    names = ["Línea contra la trata HN", "Casa Honduras", "Consulado de Honduras",
             "Casa del Migrante"]  # fmt: skip
    positions = [page.index(n) for n in names]
    assert positions == sorted(positions)  # Honduras' own, its consulate abroad, then others
    assert 'href="tel:+525512345678"' in page and 'href="https://wa.me/525512340000"' in page
    assert "Languages: Spanish, English" in page
    # the regulators may not keep it; nobody anonymous either
    log_in(client, "mx1@gov.example")
    assert client.get("/manage/help-contacts").status_code == 403
    log_out(client)
    assert client.get("/manage/help-contacts").status_code == 302
    assert session.exec(select(AuditEntry).where(AuditEntry.entity == "help_contact")).all()


def test_a_trafficking_report_shows_the_trafficking_help_lines_first(client, session, world):
    session.add_all(
        [
            HelpContact(kind="ngo", name="Albergue MX", country="MX", phone="+52 55 1111 1111"),
            HelpContact(
                kind="trafficking_hotline", name="Línea trata MX", country="MX", phone="800 55 33"
            ),
            HelpContact(kind="hotline", name="Línea general MX", country="MX", phone="800 55 44"),
        ]
    )
    session.commit()
    url = "/report"
    receipt = client.post(
        url,
        data={
            "name": "Trabajos Forzados Inventados",
            "country": "MX",
            "category": "trafficking",
            "description": "They kept our passports and we cannot leave the farm.",
            "csrf_token": token(client, url),
        },
        headers=EN,
    ).get_data(as_text=True)
    assert "is in danger now" in receipt
    assert receipt.index("Línea trata MX") < receipt.index("Línea general MX")
    assert receipt.index("Línea general MX") < receipt.index("Albergue MX")


def test_every_country_can_be_chosen_named_in_the_visitors_language(client, world):
    report = client.get("/report", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    for code, name in (("HT", "Haïti"), ("IN", "Inde"), ("BD", "Bangladesh"), ("NP", "Népal")):
        assert f'<option value="{code}">{name}</option>' in report
    # the region first: Haiti and Mexico before Afghanistan
    assert report.index('value="HT"') < report.index('value="AF"')
    assert report.index('value="MX"') < report.index('value="AF"')
    creole = client.get("/report?lang=ht").get_data(as_text=True)
    assert '<option value="HT">Ayiti</option>' in creole
    assert "Népal" in creole  # French names where Creole has none
    search = client.get("/", headers=EN).get_data(as_text=True)
    assert '<option value="NP">Nepal</option>' in search


def test_a_country_loads_its_requirements_from_a_document(app, runner, session, tmp_path):
    document = {
        "country": "CA",
        "categories": [
            {
                "code": "SAWP",
                "name": "Seasonal Agricultural Worker Program",
                "lang": "en",
                "source_name": "Immigration and Refugee Protection Regulations",
                "items": [
                    {"kind": "document", "name": "Passport", "source_name": "IRPR",
                     "effective_on": "2025-01-01"},
                    {"kind": "cost", "name": "Work permit", "purpose": "visa", "payer": "worker",
                     "amount": "155", "currency": "CAD", "source_name": "IRPR",
                     "effective_on": "2025-01-01"},
                ],
            }
        ],
    }  # fmt: skip
    path = tmp_path / "ca.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    first = runner.invoke(args=["load-requirements", str(path)])
    assert first.exit_code == 0, first.output
    assert "1 categories; 2 rules added, 0 replaced, 0 unchanged." in first.output
    again = runner.invoke(args=["load-requirements", str(path)])
    assert "0 rules added, 0 replaced, 2 unchanged." in again.output
    permit = document["categories"][0]["items"][1]
    permit.update(amount="170", effective_on="2026-06-01")
    path.write_text(json.dumps(document), encoding="utf-8")
    changed = runner.invoke(args=["load-requirements", str(path)])
    assert "1 replaced, 1 unchanged." in changed.output
    permit.update(payer="someone", name="Biometrics")
    document["categories"][0]["code"] = "OTHER"
    path.write_text(json.dumps(document), encoding="utf-8")
    bad = runner.invoke(args=["load-requirements", str(path)])
    assert bad.exit_code != 0
    assert "category 1 (OTHER), item 2" in bad.output and "nothing was loaded" in bad.output
    session.expire_all()
    codes = session.exec(select(MigrationCategory.code)).all()
    assert codes == ["SAWP"]  # the bad document left nothing behind


def test_help_is_linked_where_a_migrant_needs_it(client, session, world):
    """The agency page shows help in its country; a name found nowhere shows where to get
    help and how to check the offer; the home page leads to both."""
    session.add(HelpContact(kind="legal_aid", name="Clínica Legal MX", country="MX", phone="800 1"))
    session.commit()
    agency = client.get(f"/agencies/{world['agency'].id}", headers=EN).get_data(as_text=True)
    assert "Clínica Legal MX" in agency and "/offer-check?agency=Agencia+Sierra+Madre" in agency
    nothing = client.get("/search?q=Empleos+Inexistentes+Zeta&country=MX", headers=EN)
    page = nothing.get_data(as_text=True)
    assert "Clínica Legal MX" in page and "/help?country=MX#directory" in page
    assert "/offer-check?agency=Empleos+Inexistentes+Zeta" in page
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert 'href="/offer-check"' in home and 'href="/requirements"' in home
