"""Build an import CSV of about 15,000 rows from the real public lists in ../shared/data.

The lists are historical snapshots of other registers (see shared/data/SOURCES.md): the rows made
here are test material only. Licence numbers are invented (the lists carry none) and statuses
are mapped to the registry's vocabulary.

    python bench/realistic_csv.py OUT.csv
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from registry.imports.csv_format import COLUMNS

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
POEA_STATUS = {
    "Valid License": "active",
    "Delisted": "expired",
    "Cancelled": "revoked",
    "Forever Banned": "banned",
    "Inactive": "expired",
    "Suspended": "suspended",
    "Expired": "expired",
    "Suspended (Document Processing)": "suspended",
    "Denied Renewal": "expired",
    "Ceased Operations": "expired",
    "Revoked": "revoked",
    "Preventive Suspension": "suspended",
}
EMAIL = re.compile(r"^[^@\s/]+@[^@\s/]+\.[a-z]{2,}$", re.I)
FORMER = re.compile(r"\s*\((?:FORMERLY|FOR\.)\s*:?\s*([^)]*)\)?", re.I)


def _date(text: str) -> str:
    month, day, year = text.split("/")
    return date(int(year), int(month), int(day)).isoformat()


def poea_rows():
    with (DATA / "ph_poea_landbased_agencies_2019.csv").open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            name = (row.get("name") or "").strip()
            if not name or name.startswith("Search result") or name == "name":
                continue
            aliases = [m.strip() for m in FORMER.findall(name) if m.strip()]
            name = FORMER.sub("", name).strip()
            valid = re.findall(r"\d+/\d+/\d{4}", row.get("license_validity") or "")
            status = POEA_STATUS.get(row["status"].strip(), "expired")
            website = (row.get("website") or "").strip()
            yield {
                "name": name,
                "kind": "agency",
                "country": "PH",
                "licence_number": f"POEA-{i:05d}",
                "status": status,
                "aliases": "|".join(aliases),
                "valid_from": _date(valid[0]) if len(valid) == 2 else "",
                "valid_until": _date(valid[1]) if len(valid) == 2 else "",
                "authority": "POEA (historical snapshot)",
                "address": (row.get("address") or "")[:500],
                "phone": (row.get("telephone") or "").split("/")[0].strip()[:40],
                "email": "|".join(
                    e for e in re.split(r"[/;,\s]+", row.get("email") or "") if EMAIL.match(e)
                ),
                "website": website if "." in website and " " not in website else "",
            }


def sat_rows(limit: int):
    path = DATA / "mx_sat_69b_listado_completo_2022-11-30.csv"
    with path.open(encoding="cp1252") as handle:
        lines = handle.readlines()[2:]
    seen = set()
    for row in csv.DictReader(lines):
        rfc, name = row["RFC"].strip(), row["Nombre del Contribuyente"].strip()
        if len(rfc) != 12 or not name or name.lower().startswith("información") or rfc in seen:
            continue
        seen.add(rfc)
        yield {
            "name": name,
            "kind": "employer",
            "country": "MX",
            "licence_number": rfc,
            "status": "active",
            "valid_from": "2020-01-01",
            "valid_until": (date(2027, 1, 1) + timedelta(days=len(seen) % 700)).isoformat(),
            "authority": "SAT (historical snapshot)",
        }
        if len(seen) >= limit:
            return


def idb_rows():
    from babel import Locale

    codes = {
        name.lower(): code for code, name in Locale("en").territories.items() if len(code) == 2
    }
    alias = re.compile(
        r"\((?:doing business as|also known as|previously known as)?\s*([^)]*)\)", re.I
    )
    with (DATA / "idb_sanctioned_firms_individuals_2025.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            country = codes.get(row["Country"].strip().lower()) or codes.get(
                row["Nationality"].strip().lower()
            )
            title = row["Title"].strip()
            name = alias.sub("", title).strip(" ,")
            if not country or not name:
                continue
            aliases = [a.strip() for a in alias.findall(title) if a.strip()]
            yield {
                "name": name[:300],
                "country": country,
                "kind": "consultant" if row["Entity"].strip() == "Individual" else "agency",
                "aliases": "|".join(aliases),
            }


def main(out: Path, total: int = 15000) -> int:
    rows = list(poea_rows()) + list(idb_rows())
    rows += list(sat_rows(total - len(rows)))
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return len(rows)


if __name__ == "__main__":
    print(f"{main(Path(sys.argv[1]))} rows written to {sys.argv[1]}")
