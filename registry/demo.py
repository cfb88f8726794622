"""Fictional demo data: every agency, authority and number here is invented (domains are
.example)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from registry.models import (
    Agency,
    AgencyContact,
    AgencyCorridor,
    AgencyName,
    Authority,
    Finding,
    Licence,
    RedFlag,
    Representative,
    Sanction,
)
from registry.search.matching import licence_key, name_key

DEMO_MARK = "[DEMO]"


def _licence(
    number: str,
    authority: Authority,
    status: str,
    start: date,
    until: date | None,
    conditions: str = "",
) -> Licence:
    return Licence(
        number=number,
        number_key=licence_key(number),
        country=authority.country,
        authority=authority,
        status=status,
        valid_from=start,
        valid_until=until,
        licence_class="Recruitment",
        conditions=conditions,
    )


def _corridors(*, origin: list[str], destination: list[str]) -> list[AgencyCorridor]:
    return [AgencyCorridor(country=c, direction="origin") for c in origin] + [
        AgencyCorridor(country=c, direction="destination") for c in destination
    ]


def _agency(name: str, country: str, kind: str = "agency", **fields) -> Agency:
    return Agency(name=name, name_key=name_key(name), country=country, kind=kind, **fields)


def load_demo(session: Session, today: date | None = None) -> int:
    """Create the demo registry unless it is there already; return the agencies created."""
    if session.exec(select(Authority).where(Authority.name.startswith(DEMO_MARK))).first():
        return 0
    today = today or date.today()
    year = timedelta(days=365)
    mx = Authority(
        name=f"{DEMO_MARK} Secretaría de Trabajo de Ejemplo",
        country="MX",
        code="DEMO-MX",
        languages="es",
        phone="+52 55 0000 0000",
        website="https://trabajo.example",
        contact="+52 55 0000 0000",
    )
    gt = Authority(
        name=f"{DEMO_MARK} Ministerio de Empleo de Ejemplo",
        country="GT",
        code="DEMO-GT",
        languages="es",
        website="https://empleo.example",
        contact="1500 (línea de ejemplo)",
    )
    ca = Authority(
        name=f"{DEMO_MARK} Example Immigration Consultants Council",
        country="CA",
        code="DEMO-CA",
        languages="en,fr",
        email="info@council.example",
        website="https://council.example",
        contact="info@council.example",
    )

    # Authorities across borders: a labour inspectorate of a destination country, and a
    # consulate of an origin country stationed in another.
    ca_inspectorate = Authority(
        name=f"{DEMO_MARK} Example Labour Inspectorate",
        country="CA",
        kind="inspectorate",
        code="DEMO-CA-INSP",
        languages="en,fr",
        email="inspect@labour.example",
    )
    gt_consulate = Authority(
        name=f"{DEMO_MARK} Consulado de Guatemala de Ejemplo en Tapachula",
        country="GT",
        kind="consulate",
        station="MX",
        code="DEMO-GT-CONS",
        languages="es",
        phone="+52 962 000 0000",
    )

    horizonte = _agency(
        "Agencia Horizonte Ficticio, S.A. de C.V.",
        "MX",
        city="Ciudad de Ejemplo",
        address="Calle Imaginaria 123",
    )
    horizonte.names = [AgencyName(name="Horizonte Empleos Demo", type="trade")]
    horizonte.contacts = [
        AgencyContact(type="phone", value="+52 55 5555 0101"),
        AgencyContact(type="website", value="https://horizonte-demo.example"),
    ]
    horizonte.representatives = [Representative(name="Ana Ejemplo Pérez", role="Directora")]
    horizonte.licences = [_licence("DEMO-MX-0001", mx, "active", today - year, today + 2 * year)]
    horizonte.corridors = _corridors(origin=["MX", "GT"], destination=["CA", "US"])

    puente = _agency("Puente Laboral Imaginario Ltda.", "GT", city="Villa Ficticia")
    puente.contacts = [AgencyContact(type="phone", value="+502 2222 0202")]
    puente.licences = [_licence("DEMO-GT-0002", gt, "active", today - 2 * year, today + year)]
    puente.red_flags = [
        RedFlag(
            category="recruitment_fee",
            state="substantiated",
            description="Charged a fictional fee.",
            reporter_type="ngo",
            public_summary="Charged workers a 'processing fee' (demo).",
        )
    ]

    norte = _agency("Reclutadora Norte Inventado", "MX", city="Pueblo de Prueba")
    norte.licences = [_licence("DEMO-MX-0003", mx, "active", today - year, today + year)]
    norte.sanctions = [
        Sanction(
            type="suspension",
            authority=mx,
            country=mx.country,
            decision_ref="DEMO-RES-2026-7",
            starts_on=today - timedelta(days=20),
            ends_on=today + timedelta(days=70),
            appeal_state="pending",
            summary="Suspended while fee complaints are investigated (demo).",
        )
    ]

    fenix_old = "Oportunidades Fénix de Muestra"
    fenix = _agency("Nuevo Amanecer Laboral de Muestra", "GT")
    fenix.names = [AgencyName(name=fenix_old, type="former")]
    fenix.licences = [_licence("DEMO-GT-0004", gt, "revoked", today - 3 * year, today + year)]
    fenix.sanctions = [
        Sanction(
            type="revocation",
            authority=gt,
            country=gt.country,
            decision_ref="DEMO-GT-REV-12",
            starts_on=today - 200 * timedelta(days=1),
            appeal_state="upheld",
            summary="Licence revoked for selling fictional visas (demo).",
        )
    ]
    fenix.findings = [
        Finding(
            authority=gt,
            reference="DEMO-F-9",
            decided_on=today - 210 * timedelta(days=1),
            summary="Sold non-existent job offers (demo).",
        )
    ]

    vetado = _agency("Consultores Prohibidos de Ejemplo", "MX", kind="consultant")
    vetado.licences = [_licence("DEMO-MX-0005", mx, "banned", today - 4 * year, None)]
    vetado.sanctions = [
        Sanction(
            type="ban",
            authority=mx,
            country=mx.country,
            decision_ref="DEMO-BAN-1",
            starts_on=today - year,
            summary="Permanent ban (demo).",
        )
    ]

    viejo = _agency("Servicios Migratorios Caducados Demo", "GT", kind="consultant")
    viejo.licences = [
        _licence("DEMO-GT-0006", gt, "active", today - 3 * year, today - 30 * timedelta(days=1))
    ]

    maple = _agency("Maple Example Immigration Advisers Inc.", "CA", kind="consultant")
    maple.contacts = [AgencyContact(type="email", value="contact@maple-advisers.example")]
    maple.licences = [
        _licence(
            "R000001",
            ca,
            "active",
            today - year,
            today + year,
            conditions="May not handle client funds (demo).",
        )
    ]

    # Licensed in Guatemala, revoked in Mexico: the revocation leads the verdict, and the page
    # shows each country's standing.
    enlaces = _agency("Enlaces Laborales Transfronterizos Demo", "GT", city="Villa Ficticia")
    enlaces.licences = [
        _licence("DEMO-GT-0007", gt, "active", today - year, today + year),
        _licence("DEMO-MX-0008", mx, "revoked", today - 2 * year, today + year),
    ]
    enlaces.sanctions = [
        Sanction(
            type="revocation",
            authority=mx,
            country=mx.country,
            decision_ref="DEMO-MX-REV-31",
            starts_on=today - 45 * timedelta(days=1),
            summary="Licence in Mexico revoked for charging workers recruitment fees (demo).",
        )
    ]
    enlaces.corridors = _corridors(origin=["GT", "HN"], destination=["MX", "CA"])

    ghost = _agency("Visas Garantizadas Fantasma", "MX", kind="subagent")
    ghost.red_flags = [
        RedFlag(
            category="guaranteed_visa",
            state="substantiated",
            description="Promised a guaranteed visa for a fee.",
            reporter_type="public",
            public_summary="Promised guaranteed visas for money (demo).",
        )
    ]

    agencies = [horizonte, puente, norte, fenix, vetado, viejo, maple, enlaces, ghost]
    session.add_all([mx, gt, ca, ca_inspectorate, gt_consulate, *agencies])
    session.flush()
    from registry.guidance import demo as guidance_demo

    guidance_demo.load(session, today)
    return len(agencies)
