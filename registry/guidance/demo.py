"""The demo's entry requirements and directory of help: fictional examples, each marked as
such (categories carry `demo`; names say "[DEMO]" or "example"; numbers and domains are
invented). They show the format a country loads with `load-requirements`
(docs/requirements.md); they are not any country's real rules."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from registry.guidance import requirements
from registry.models import HelpContact

LAW = "[DEMO] Reglamento de ejemplo"


def _categories(since: str) -> list[dict]:
    def document(name: str, notes: str = "") -> dict:
        return {"kind": "document", "name": name, "notes": notes, "source_name": LAW,
                "effective_on": since}  # fmt: skip

    def cost(name: str, purpose: str, payer: str, amount=None, currency="") -> dict:
        return {"kind": "cost", "name": name, "purpose": purpose, "payer": payer,
                "amount": amount, "currency": currency, "source_name": LAW,
                "effective_on": since}  # fmt: skip

    return [
        {
            "country": "US",
            "code": "H-2A-DEMO",
            "name": "Trabajo agrícola temporal (ejemplo ficticio)",
            "summary": "Ejemplo para la demostración: trabajo en el campo por una temporada.",
            "lang": "es",
            "source_name": LAW,
            "items": [
                document("Pasaporte vigente"),
                document("Oferta de trabajo aprobada por el gobierno", "El empleador la tramita."),
                cost("Derecho de visa", "visa", "employer", "190", "USD"),
                cost("Reclutamiento", "recruitment", "employer"),
                cost("Viaje de ida al trabajo", "travel", "employer"),
                cost("Vivienda durante el trabajo", "housing", "employer"),
            ],
        },
        {
            "country": "CA",
            "code": "SAWP-DEMO",
            "name": "Trabajadores agrícolas de temporada (ejemplo ficticio)",
            "summary": "Ejemplo para la demostración: temporadas de hasta ocho meses.",
            "lang": "es",
            "source_name": LAW,
            "items": [
                document("Pasaporte vigente"),
                document("Examen médico aprobado"),
                cost("Permiso de trabajo", "visa", "worker", "155", "CAD"),
                cost("Examen médico", "medical", "worker", "250", "CAD"),
                cost("Reclutamiento", "recruitment", "employer"),
                cost("Boleto de avión", "travel", "employer"),
            ],
        },
        {
            "country": "MX",
            "code": "TVTF-DEMO",
            "name": "Tarjeta de trabajo fronterizo (ejemplo ficticio)",
            "summary": "Ejemplo para la demostración: trabajo en los estados de la frontera sur.",
            "lang": "es",
            "source_name": LAW,
            "items": [
                document("Pasaporte o documento de identidad"),
                document("Oferta de trabajo de un empleador registrado"),
                cost("Expedición de la tarjeta", "documents", "worker", "0", "MXN"),
                cost("Reclutamiento", "recruitment", "employer"),
            ],
        },
    ]


CONTACTS = [
    dict(
        kind="trafficking_hotline",
        name="[DEMO] Línea contra la trata (ejemplo)",
        country="MX",
        hours="24 horas",
        languages="es,en",
        phone="+52 800 000 0000",
        notes="Gratuita y confidencial (número ficticio).",
    ),  # fmt: skip
    dict(
        kind="consulate",
        name="[DEMO] Consulado de Guatemala en Tapachula (ejemplo)",
        country="MX",
        serves="GT",
        address="Avenida Ficticia 4",
        city="Tapachula",
        hours="Lunes a viernes, 8:00 a 16:00",
        languages="es",
        phone="+52 962 000 0000",
        whatsapp="+52 962 000 0001",
    ),  # fmt: skip
    dict(
        kind="ngo",
        name="[DEMO] Casa del Migrante de Ejemplo",
        country="GT",
        address="Calle Inventada 10",
        city="Villa Ficticia",
        hours="Todos los días, 7:00 a 19:00",
        languages="es,ht",
        phone="+502 2200 0000",
        whatsapp="+502 5500 0000",
        website="https://casa-migrante.example",
    ),  # fmt: skip
    dict(
        kind="legal_aid",
        name="[DEMO] Example Workers' Legal Clinic",
        country="CA",
        city="Example City",
        hours="Mon–Fri 9:00–17:00",
        languages="en,fr,es",
        phone="+1 555 010 0000",
        email="help@clinic.example",
    ),  # fmt: skip
    dict(
        kind="hotline",
        name="[DEMO] Linha de Ajuda ao Migrante (exemplo)",
        country="BR",
        hours="Segunda a sexta, 9h–18h",
        languages="pt,es",
        phone="+55 61 0000 0000",
    ),  # fmt: skip
    dict(
        kind="ngo",
        name="[DEMO] Òganizasyon Sipò Migran (egzanp)",
        country="HT",
        city="Pòtoprens",
        languages="ht,fr",
        phone="+509 2800 0000",
        whatsapp="+509 3700 0000",
    ),  # fmt: skip
]


def load(session: Session, today: date) -> None:
    since = (today - timedelta(days=365)).isoformat()
    by_country: dict[str, list[dict]] = {}
    for category in _categories(since):
        by_country.setdefault(category["country"], []).append(category)
    for country, categories in by_country.items():
        requirements.load(
            session, {"country": country, "categories": categories}, actor="demo", demo=True
        )
    session.add_all(HelpContact(**fields) for fields in CONTACTS)
    session.flush()
