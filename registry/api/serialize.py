"""Public JSON shapes. Reporters' identities and red-flag texts never appear here."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for

from registry.agencies.records import primary_licence, public_sanctions
from registry.clock import today
from registry.countries import country_name
from registry.i18n import translations
from registry.models import Agency
from registry.search.service import Hit
from registry.verdict import Verdict, effective_licence_status


def _iso(value):
    return value.isoformat() if value is not None else None


def verdict_json(
    verdict: Verdict, *, with_reasons: bool = False, gettext: Callable[[str], str] | None = None
) -> dict:
    """`gettext`: the request's (looked up here when not given; a list passes it once)."""
    gettext = gettext or translations().ugettext
    data = {
        "code": verdict.code,
        "summary": verdict.summary(gettext),
        "standings": [
            {
                "country": st.country,
                "status": st.code,
                "on": _iso(st.on),
                "text": st.text(gettext, country_name=country_name),
            }
            for st in verdict.standings
        ],
    }
    if with_reasons:
        data["reasons"] = [{"text": r.text(gettext), "tone": r.tone} for r in verdict.reasons]
    return data


def hit_json(hit: Hit, agency_url: Callable[[int], str], gettext: Callable[[str], str]) -> dict:
    agency = hit.agency
    licence = primary_licence(agency)
    return {
        "id": agency.id,
        "name": agency.name,
        "aliases": [n.name for n in agency.names],
        "kind": agency.kind,
        "country": agency.country,
        "licence_number": licence.number if licence else None,
        "status": effective_licence_status(licence, today(), agency.sanctions) if licence else None,
        "verdict": verdict_json(hit.verdict, gettext=gettext),
        "match": hit.match,
        "score": round(hit.score, 1),
        "matched_name": hit.matched_name,
        "number_of_another": hit.other_holder,
        "url": agency_url(agency.id),
    }


def agency_json(agency: Agency, verdict: Verdict) -> dict:
    return {
        "id": agency.id,
        "name": agency.name,
        "kind": agency.kind,
        "country": agency.country,
        "address": agency.address,
        "city": agency.city,
        "aliases": [{"name": n.name, "type": n.type} for n in agency.names],
        "phones": agency.contact_values("phone"),
        "emails": agency.contact_values("email"),
        "websites": agency.contact_values("website"),
        "representatives": [{"name": r.name, "role": r.role} for r in agency.representatives],
        "recruits_in": agency.corridor_countries("origin"),
        "places_in": agency.corridor_countries("destination"),
        "licences": [
            {
                "number": lic.number,
                "authority": lic.authority.name if lic.authority else None,
                "country": lic.country,
                "class": lic.licence_class,
                "status": effective_licence_status(lic, today(), agency.sanctions),
                "valid_from": _iso(lic.valid_from),
                "valid_until": _iso(lic.valid_until),
                "conditions": lic.conditions,
            }
            for lic in agency.licences
        ],
        "sanctions": [
            {
                "type": s.type,
                "authority": s.authority.name if s.authority else None,
                "country": s.country,
                "decision_ref": s.decision_ref,
                "starts_on": _iso(s.starts_on),
                "ends_on": _iso(s.ends_on),
                "lifted_on": _iso(s.lifted_on),
                "summary": s.summary,
                "appeal_state": s.appeal_state,
                "source": {
                    "name": s.source.name,
                    "ref": s.source_ref,
                    "url": s.source_url,
                    "published_on": _iso(s.published_on),
                }
                if s.source is not None
                else None,
            }
            for s in public_sanctions(agency)
        ],
        "findings": [
            {
                "authority": f.authority.name if f.authority else None,
                "reference": f.reference,
                "decided_on": _iso(f.decided_on),
                "summary": f.summary,
            }
            for f in agency.findings
        ],
        "red_flags": [
            {"category": f.category, "summary": f.public_summary}
            for f in agency.red_flags
            if f.state == "substantiated"
        ],
        "verdict": verdict_json(verdict, with_reasons=True),
        "updated_at": agency.updated_at.isoformat(),
        "url": url_for("public.agency", agency_id=agency.id, _external=True),
    }
