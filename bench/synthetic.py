"""Synthetic registries shaped like the real lists in ../shared/data.

Each synthetic agency takes a real name as a template (so the mix of countries, kinds, name
lengths and legal forms follows the real lists) and replaces its distinctive words, each with a
word drawn from the real vocabulary by its frequency: names read like real ones ("SERVICIOS
INTEGRALES PACIFICO DEL NORTE, S.A. DE C.V.") and share the common words real ones share.

    from synthetic import synthetic_rows
    rows = synthetic_rows(real_rows, 100_000, seed=1)
"""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC

from registry.search.matching import NOISE, fold

WORD = re.compile(r"[^\W\d_][^\W_]*")


def synthetic_rows(
    real: list[dict], count: int, *, seed: int = 1, avoid: set[str] = frozenset()
) -> list[dict]:
    """`count` new rows; names whose key (see name_key) is in `avoid` are not made."""
    from registry.search.matching import name_key

    rng = random.Random(seed)
    frequency = Counter(
        w.upper()
        for r in real
        for w in WORD.findall(r["name"])
        if fold(w) not in NOISE and len(w) > 2
    )
    words, weights = zip(*frequency.items())
    cumulative = []
    total = 0
    for weight in weights:
        total += weight**0.75  # flatten a little: rarer words get a fairer share
        cumulative.append(total)
    made: list[dict] = []
    seen = set(avoid)
    while len(made) < count:
        template = rng.choice(real)

        def replace(match: re.Match) -> str:
            word = match.group(0)
            if fold(word) in NOISE or len(word) <= 2 or rng.random() < 0.35:
                return word
            new = rng.choices(words, cum_weights=cumulative)[0]
            return new if word.isupper() else new.title()

        name = WORD.sub(replace, template["name"])
        key = name_key(name)
        if key in seen or len(name) > 300:  # longer than the registry takes
            continue
        seen.add(key)
        n = len(made)
        made.append(
            {
                "name": name,
                "kind": template.get("kind", "agency"),
                "country": template["country"],
                "licence_number": f"SYN-{n:07d}",
                "status": rng.choice(["active"] * 6 + ["expired", "suspended", "revoked"]),
                "valid_from": "2024-01-01",
                "valid_until": "2028-12-31",
                "authority": "Synthetic registry (benchmarks)",
            }
        )
    return made


# -- whole registries: agencies with aliases, contacts, licences, sanctions and red flags -------
TRADE_WORDS = [
    "Recruitment",
    "Staffing",
    "Manpower",
    "Global",
    "Overseas",
    "Talent",
    "Empleos",
    "Reclutamiento",
    "Servicios",
    "International",
]
SANCTIONS = ["warning", "fine", "suspension", "revocation", "condition"]
FLAG_CATEGORIES = ["recruitment_fee", "document_retention", "deceptive_offer", "unlicensed"]
FLAG_STATES = ["received", "under_review", "substantiated", "unsubstantiated"]
PREFIX = {"MX": "52", "PH": "63", "GT": "502", "CO": "57", "PE": "51", "CA": "1", "US": "1"}


def registry_rows(real: list[dict], count: int, *, seed: int = 1) -> list[dict]:
    """`count` agencies shaped like the real lists: each a dict with name, kind, country,
    aliases (trade names), former names, phones, emails, licence numbers and statuses, and how
    many sanctions and red flags to give it. Shares: aliases 15%, former names 5%, phone 60%,
    e-mail 40%, two licences 10%, sanctioned 4%, red flags 3%."""
    from registry.search.matching import name_key

    rng = random.Random(seed + 7)
    base = synthetic_rows(real, count, seed=seed)
    spare = synthetic_rows(
        real, max(1, count // 20), seed=seed + 1, avoid={name_key(row["name"]) for row in base}
    )
    registry = []
    # A trade name identifies one business, as in the real lists: one that would be another
    # agency's name or trade name is not given ("Pacifico Staffing" would be shared by dozens
    # at a million agencies, and no lookup could tell which was meant).
    taken = {name_key(row["name"]) for row in base} | {name_key(row["name"]) for row in spare}
    spare_used = 0
    for n, row in enumerate(base):
        words = [w for w in WORD.findall(row["name"]) if fold(w) not in NOISE and len(w) > 2]
        country = row["country"]
        aliases = []
        if words and rng.random() < 0.15:
            alias = f"{rng.choice(words)} {rng.choice(TRADE_WORDS)}"
            if name_key(alias) in taken and len(words) > 1:
                alias = f"{' '.join(rng.sample(words, 2))} {rng.choice(TRADE_WORDS)}"
            if name_key(alias) not in taken:
                taken.add(name_key(alias))
                aliases.append(alias)
        former = []
        if rng.random() < 0.05 and spare_used < len(spare):  # each former name is one agency's
            former.append(spare[spare_used]["name"][:300])
            spare_used += 1
        slug = "".join(w.lower() for w in words[:2])[:20] or f"agency{n}"
        licences = [(row["licence_number"], row["status"])]
        if rng.random() < 0.10:
            licences.append((f"SYN-B{n:07d}", "active"))
        registry.append(
            {
                "name": row["name"][:300],
                "kind": row["kind"],
                "country": country,
                "aliases": aliases,
                "former": former,
                "phones": [
                    f"+{PREFIX.get(country, '1')} {rng.randint(20, 99)} "
                    f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
                ]
                if rng.random() < 0.6
                else [],
                "emails": [f"contacto@{slug}{n}.example"] if rng.random() < 0.4 else [],
                "licences": licences,
                "sanctions": rng.randint(1, 2) if rng.random() < 0.04 else 0,
                "red_flags": rng.randint(1, 3) if rng.random() < 0.03 else 0,
            }
        )
    return registry


def load_registry(engine, registry: list[dict], *, chunk: int = 5000) -> None:
    """Write a registry straight into the tables of a migrated, empty database (no ORM, no
    outbox: rebuild the search index afterwards). Sequences are moved past the ids written."""
    from datetime import date, datetime

    from sqlalchemy import func, insert, select, text

    from registry.models import (
        Agency,
        AgencyContact,
        AgencyName,
        Authority,
        Licence,
        RedFlag,
        Sanction,
    )
    from registry.search.matching import licence_key, name_key

    now = datetime.now(UTC)
    with engine.begin() as connection:
        authorities = {}
        for country in sorted({r["country"] for r in registry}):
            authorities[country] = connection.execute(
                insert(Authority)
                .values(name=f"Synthetic ministry of {country} (benchmarks)", country=country)
                .returning(Authority.id)
            ).scalar()
        ids = {"name": 0, "contact": 0, "licence": 0, "sanction": 0, "flag": 0}
        for start in range(0, len(registry), chunk):
            rows: dict[str, list] = {
                k: [] for k in ("agency", "name", "contact", "licence", "sanction", "flag")
            }
            for offset, r in enumerate(registry[start : start + chunk]):
                agency_id = start + offset + 1
                authority = authorities[r["country"]]
                rows["agency"].append(
                    {
                        "id": agency_id,
                        "kind": r["kind"],
                        "name": r["name"],
                        "name_key": name_key(r["name"]),
                        "country": r["country"],
                        "listing": "registry",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                for kind, names in (("alias", r["aliases"]), ("former", r["former"])):
                    for name in names:
                        ids["name"] += 1
                        rows["name"].append(
                            {"id": ids["name"], "agency_id": agency_id, "name": name, "type": kind}
                        )
                for kind, values in (("phone", r["phones"]), ("email", r["emails"])):
                    for value in values:
                        ids["contact"] += 1
                        rows["contact"].append(
                            {
                                "id": ids["contact"],
                                "agency_id": agency_id,
                                "type": kind,
                                "value": value,
                            }
                        )
                for number, status in r["licences"]:
                    ids["licence"] += 1
                    rows["licence"].append(
                        {
                            "id": ids["licence"],
                            "agency_id": agency_id,
                            "authority_id": authority,
                            "number": number,
                            "number_key": licence_key(number),
                            "country": r["country"],
                            "status": status,
                            "valid_from": date(2024, 1, 1),
                            "valid_until": date(2028, 12, 31),
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                for i in range(r["sanctions"]):
                    ids["sanction"] += 1
                    rows["sanction"].append(
                        {
                            "id": ids["sanction"],
                            "agency_id": agency_id,
                            "authority_id": authority,
                            "type": SANCTIONS[(agency_id + i) % len(SANCTIONS)],
                            "starts_on": date(2025, 1 + i, 1),
                            "summary": "Synthetic sanction.",
                            "status": "in_force",
                            "created_at": now,
                        }
                    )
                for i in range(r["red_flags"]):
                    ids["flag"] += 1
                    state = FLAG_STATES[(agency_id + i) % len(FLAG_STATES)]
                    rows["flag"].append(
                        {
                            "id": ids["flag"],
                            "agency_id": agency_id,
                            "category": FLAG_CATEGORIES[(agency_id + i) % len(FLAG_CATEGORIES)],
                            "description": "Synthetic report.",
                            "state": state,
                            "public_summary": "Synthetic finding."
                            if state == "substantiated"
                            else "",
                            "reporter_type": "ngo",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
            for model, key in (
                (Agency, "agency"),
                (AgencyName, "name"),
                (AgencyContact, "contact"),
                (Licence, "licence"),
                (Sanction, "sanction"),
                (RedFlag, "flag"),
            ):
                if rows[key]:
                    connection.execute(insert(model), rows[key])
        if engine.dialect.name == "postgresql":
            for model in (Agency, AgencyName, AgencyContact, Licence, Sanction, RedFlag):
                table = model.__tablename__
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"GREATEST((SELECT max(id) FROM {table}), 1))"
                    )
                )
        assert connection.execute(select(func.count()).select_from(Agency)).scalar() == len(
            registry
        )
