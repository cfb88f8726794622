"""Search quality on the real lists: recall, honest outcomes, false matches, time per query.

Builds a registry from ../shared/data (POEA, IDB, SAT; see realistic_csv.py) plus the hand-written
rows of quality_additions.csv, holding back a seeded 3% of the real names as "not registered"
queries. Then runs a labelled query set of every kind the lookup must handle (variants generated
from the registered records with a fixed seed, plus the hand-labelled quality_queries.csv) through
the same search the web page uses, and prints per category:

    n, recall@1, recall@5, share of right first answers given as `match`,
    false-match rate (a `match` on a query whose right answer is "not registered"),
    median and p95 milliseconds per query.

    python bench/search_quality.py [--backend whoosh] [--show-misses CATEGORY]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from realistic_csv import COLUMNS, idb_rows, poea_rows, sat_rows  # noqa: E402

from registry.search.matching import (  # noqa: E402
    FREE_MAIL,
    STOPWORDS,
    domain_key,
    fold,
    name_key,
    search_tokens,  # noqa: E402
)

SEED = 20261124
PER_CATEGORY = 150
NOT_REGISTERED = "(not registered)"
SYNTHETIC = "Synthetic registry (benchmarks)"


@dataclass
class LabelledQuery:
    category: str
    text: str
    expected: str  # the registered name (key) it must find, or NOT_REGISTERED


def held_out(name: str) -> bool:
    """3% of the real names, chosen by a hash so the split is stable."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 100 < 3


# -- the registry ------------------------------------------------------------------------------
def registry_rows() -> tuple[list[dict], list[dict]]:
    real = list(poea_rows()) + list(idb_rows()) + list(sat_rows(10_000))
    with (HERE / "quality_additions.csv").open(encoding="utf-8") as handle:
        additions = list(csv.DictReader(handle))
    kept = [r for r in real if not held_out(r["name"])] + additions
    keys = {name_key(r["name"]) for r in kept} | {
        name_key(a) for r in kept for a in (r.get("aliases") or "").split("|") if a
    }
    left_out = [r for r in real if held_out(r["name"]) and name_key(r["name"]) not in keys]
    return kept, left_out


# -- variants ----------------------------------------------------------------------------------
def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words_of(name: str) -> list[str]:
    return re.findall(r"[^\W_]+", name)


def bare_words(name: str) -> list[str]:
    """The name's words without a trailing legal form, as typed: the shortest run of leading
    words that the matching rules read as the whole name."""
    words = [w.strip(",;") for w in name.split()]
    full = search_tokens(name)
    for k in range(1, len(words)):
        if search_tokens(" ".join(words[:k])) == full:
            return words[:k]
    return words


KEYS = "qwertyuiop asdfghjkl zxcvbnm".split()


def neighbour(ch: str, rng: random.Random) -> str:
    low = ch.lower()
    for row in KEYS:
        i = row.find(low)
        if i >= 0:
            options = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            out = rng.choice(options)
            return out.upper() if ch.isupper() else out
    return ch


def one_edit(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)  # people get the first letter right
    kind = rng.choice(["sub", "del", "ins", "swap"])
    if kind == "sub":
        return word[:i] + neighbour(word[i], rng) + word[i + 1 :]
    if kind == "del":
        return word[:i] + word[i + 1 :]
    if kind == "ins":
        return word[:i] + neighbour(word[i], rng) + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def typo(name: str, rng: random.Random, edits: int) -> str | None:
    words = words_of(name)
    long_enough = [
        i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and fold(w) not in STOPWORDS
    ]
    if not long_enough:
        return None
    targets = rng.sample(long_enough, min(edits, len(long_enough)))
    if len(targets) < edits:
        if len(words[targets[0]]) < 8:
            return None
        targets = targets * edits
    for i in targets:
        words[i] = one_edit(words[i], rng)
    return " ".join(words)


def dropped_or_doubled(name: str, rng: random.Random) -> str | None:
    words = words_of(name)
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return None
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w))
    words[i] = w[:j] + w[j] + w[j:] if rng.random() < 0.5 else w[:j] + w[j + 1 :]
    return " ".join(words)


def case_and_punctuation(name: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0:
        return strip_accents(name).upper()
    if choice == 1:
        return name.lower()
    if choice == 2:
        return " ".join(words_of(strip_accents(name)))
    return re.sub(r"\s+", lambda m: rng.choice([" ", "-", ". ", ", "]), name.title())


LEGAL_SPELLINGS = [
    ["S.A. de C.V.", "SA DE CV", "S.A. DE C.V", "sa de cv", "S A de C V"],
    ["S. de R.L. de C.V.", "S DE RL DE CV", "S. DE R.L. DE C.V.", "S de RL de CV"],
    ["Inc.", "Inc", "INC", "Incorporated", ", Inc."],
    ["Corp.", "Corporation", "CORP", "Corp"],
    ["Ltd.", "Ltd", "Limited", "LTDA", "Ltda."],
    ["LLC", "L.L.C.", "L.C."],
]


def legal_form_variant(name: str, rng: random.Random) -> str:
    bare = " ".join(bare_words(name))
    if rng.random() < 0.25:
        return bare
    family = (
        LEGAL_SPELLINGS[0]
        if re.search(r"C\.?\s?V\.?$", name, re.I)
        else rng.choice(LEGAL_SPELLINGS)
    )
    return f"{bare} {rng.choice(family)}".replace(" ,", ",")


def legal_form_of(name: str) -> str:
    """The legal form a name ends with, as written ("S.A. DE C.V."), or "" when it has none."""
    bare = bare_words(name)
    words = name.split()
    rest = " ".join(words[len(bare) :]).strip(" ,")
    return rest if rest and len(rest) <= 24 and "//" not in rest else ""


def mistype(text: str, rng: random.Random) -> str:
    """One slip of the finger among a legal form's letters: a letter dropped, doubled, swapped
    with the next or struck on a neighbouring key ("S.. DE C.V.", "INr.", "S.A. DE VC")."""
    spots = [i for i, ch in enumerate(text) if ch.isalpha()]
    i = rng.choice(spots)
    kind = rng.choice(["drop", "double", "swap", "neighbour", "neighbour"])
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    if kind == "swap":
        nxt = [j for j in spots if j > i]
        if nxt:
            j = nxt[0]
            return text[:i] + text[j] + text[i + 1 : j] + text[i] + text[j + 1 :]
    return text[:i] + neighbour(text[i], rng) + text[i + 1 :]


def legal_form_typo(name: str, rng: random.Random) -> str | None:
    form = legal_form_of(name)
    if not form:
        return None
    bare = " ".join(bare_words(name))
    return f"{bare}{rng.choice([', ', ' '])}{mistype(form, rng)}"


SPELT_OUT = {
    "sa de cv": "Sociedad Anónima de Capital Variable",
    "s de rl de cv": "Sociedad de Responsabilidad Limitada de Capital Variable",
    "s de rl": "Sociedad de Responsabilidad Limitada",
    "sa": "Sociedad Anónima",
    "sc": "Sociedad Civil",
    "inc": "Incorporated",
    "corp": "Corporation",
    "ltd": "Limited",
    "co": "Company",
}
COUNTRY_FORMS = {
    "MX": ["S.A. de C.V.", "SA DE CV", "S. de R.L. de C.V.", "S.C."],
    "PH": ["Inc.", "Corporation", "Corp.", "Co."],
}


def with_or_without_form(name: str, country: str, rng: random.Random) -> str | None:
    """The same company written with its legal form when the register has none, without it
    when the register has one, or with the form spelt out in words."""
    form = legal_form_of(name)
    bare = " ".join(bare_words(name))
    if not form:
        return f"{bare} {rng.choice(COUNTRY_FORMS.get(country, ['Inc.', 'S.A.', 'Ltd.']))}"
    spelt = SPELT_OUT.get(fold(form))
    if spelt and rng.random() < 0.5:
        return f"{bare} {spelt}"
    return bare


def long_name(name: str, rng: random.Random) -> str | None:
    """A long name (a union, a cooperative) pasted whole from a contract."""
    if not 120 <= len(name) <= 300:
        return None
    return name if rng.random() < 0.5 else name.upper()


def word_order(name: str, rng: random.Random) -> str | None:
    words = bare_words(name)
    if len([w for w in words if fold(w) not in STOPWORDS]) < 2:
        return None
    shuffled = words[:]
    while shuffled == words:
        rng.shuffle(shuffled)
    return " ".join(shuffled)


SOUND_RULES = [
    (r"v", "b"),
    (r"b", "v"),
    (r"z", "s"),
    (r"s(?=[aou])", "z"),
    (r"c(?=[ei])", "s"),
    (r"ll", "y"),
    (r"y(?=[aeiou])", "ll"),
    (r"\bh(?=[aeiou])", ""),
    (r"\b(?=[aeiou])", "h"),
    (r"ñ", "n"),
    (r"ción\b", "sión"),
    (r"qu(?=[ei])", "k"),
    (r"x(?=[aeiou])", "j"),
    (r"ss", "s"),
    (r"ç", "s"),
]


def sound_alike(name: str, rng: random.Random) -> str | None:
    words = bare_words(name)
    text = " ".join(words).lower()
    rules = SOUND_RULES[:]
    rng.shuffle(rules)
    changed = 0
    for pattern, replacement in rules:
        spots = [
            m for m in re.finditer(pattern, text) if m.start() > 0 or pattern.startswith("\\b")
        ]
        if not spots:
            continue
        m = rng.choice(spots)
        text = text[: m.start()] + replacement + text[m.end() :]
        changed += 1
        if changed == 2:
            break
    return text if changed else None


def person_order(name: str, rng: random.Random) -> str | None:
    words = words_of(name)
    if len(words) < 2:
        return None
    split = len(words) - 2 if len(words) >= 4 else len(words) - 1
    first, last = words[:split], words[split:]
    if rng.random() < 0.5:
        return f"{' '.join(last)}, {' '.join(first)}"
    return " ".join(last + first)


TRANSLITERATIONS = [
    ("mohammed", "muhammad"),
    ("mohamed", "mohammed"),
    ("muhammad", "mohamad"),
    ("ahmed", "ahmad"),
    ("hussain", "hussein"),
    ("hussein", "husain"),
    ("yusuf", "youssef"),
    ("abdul", "abdel"),
    ("abdel", "abdul"),
    ("aleksandr", "alexander"),
    ("sergey", "sergei"),
    ("yevgeny", "evgeni"),
    ("mikhail", "michail"),
    ("khan", "kan"),
    ("sh", "sch"),
    ("ou", "u"),
    ("kh", "h"),
    ("ph", "f"),
    ("y", "i"),
    ("j", "dj"),
]


def transliterated(name: str, rng: random.Random) -> str | None:
    ascii_only = strip_accents(name)
    if any(ord(c) > 127 for c in ascii_only) and rng.random() < 0.7:
        from anyascii import anyascii

        return anyascii(name)
    lowered = name.lower()
    for old, new in TRANSLITERATIONS:
        if re.search(old, lowered) and rng.random() < 0.8:
            return re.sub(old, new, lowered, count=1)
    return None


def distinctive_part(name: str, rng: random.Random, unique_parts: dict[str, int]) -> str | None:
    words = [w for w in bare_words(name) if fold(w) not in STOPWORDS]
    if len(words) < 3:
        return None
    spans = [words[i : i + 2] for i in range(len(words) - 1)]
    rng.shuffle(spans)
    for span in spans:
        key = " ".join(fold(w) for w in span)
        if unique_parts.get(key) == 1 and min(len(fold(w)) for w in span) >= 4:
            return " ".join(span)
    return None


def licence_variant(number: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0:
        return number.lower()
    if choice == 1:
        return number.replace("-", " ")
    if choice == 2:
        return number.replace("-", "")
    return " ".join(re.findall(r"[A-Za-z]+|\d+", number)).lower()


def tax_id_variant(rfc: str, rng: random.Random) -> str:
    parts = [rfc[:3], rfc[3:9], rfc[9:]] if len(rfc) == 12 else [rfc[:4], rfc[4:10], rfc[10:]]
    return rng.choice([" ", "-", ""]).join(parts) if rng.random() < 0.7 else rfc.lower()


def phone_variant(phone: str, rng: random.Random) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) != 7:
        return None
    choice = rng.randrange(4)
    if choice == 0:
        return f"{digits[:3]}-{digits[3:]}"
    if choice == 1:
        return f"+63 2 {digits[:3]} {digits[3:]}"
    if choice == 2:
        return f"(02) {digits[:3]} {digits[3:]}"
    return f"02{digits}"


def website_variant(website: str, email: str, rng: random.Random) -> str | None:
    domain = re.sub(r"^(https?://)?(www\.)?", "", website.strip().lower()).split("/")[0]
    if rng.random() < 0.5 and "." in domain:
        return rng.choice(
            [f"https://{domain}/", f"WWW.{domain.upper()}", f"http://www.{domain}/contact", domain]
        )
    first = email.split("|")[0]
    if "@" in first and first.split("@")[1].lower() not in FREE_MAIL:
        return rng.choice([first, "jobs@" + first.split("@")[1]])
    return None


FAKE_SUFFIXES = ["Overseas", "International", "Global", "Express", "Group", "Worldwide", "Plus"]


def look_alike(name: str, rng: random.Random) -> str:
    """A different business whose name borrows a licensed one's: the classic impersonation."""
    words = bare_words(name)
    if len(words) >= 3 and rng.random() < 0.5:
        i = rng.randrange(len(words))
        words[i] = rng.choice(FAKE_SUFFIXES)
        return " ".join(words)
    return " ".join(words + [rng.choice(FAKE_SUFFIXES)])


def short_query(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTV"
    initials = "".join(rng.choice(letters) for _ in range(rng.choice([2, 3])))
    return rng.choice(
        [
            initials,
            f"{initials} Services",
            f"{initials} Inc",
            f"{initials} Agency",
            f"{initials} Manpower",
        ]
    )


# -- the query set -----------------------------------------------------------------------------
def build_queries(kept: list[dict], left_out: list[dict]) -> list[LabelledQuery]:
    rng = random.Random(SEED)
    queries: list[LabelledQuery] = []
    parts: dict[str, int] = defaultdict(int)
    for row in kept:
        names = [row["name"], *[a for a in (row.get("aliases") or "").split("|") if a]]
        seen = set()
        for name in names:
            words = [fold(w) for w in bare_words(name) if fold(w) not in STOPWORDS]
            for i in range(len(words) - 1):
                seen.add(" ".join(words[i : i + 2]))
        for key in seen:
            parts[key] += 1

    def sample(pool, make, category, expected=lambda r: r["name"]):
        # A generator per category: adding a category leaves the others' queries as they were.
        nonlocal rng
        rng = random.Random(f"{SEED} {category}")
        pool = pool[:]
        rng.shuffle(pool)
        made = 0
        for row in pool:
            text = make(row)
            if text and text.strip():
                queries.append(LabelledQuery(category, text.strip(), expected(row)))
                made += 1
                if made == PER_CATEGORY:
                    break

    real = [r for r in kept if r.get("authority") not in ("quality additions", SYNTHETIC)]
    people = [r for r in real if r["kind"] == "consultant"]
    firms = [r for r in real if r["kind"] != "consultant"]
    sample(real, lambda r: r["name"], "exact name")
    sample(real, lambda r: case_and_punctuation(r["name"], rng), "case, accents, punctuation")
    sample(firms, lambda r: legal_form_variant(r["name"], rng), "legal form")
    # Aliases that name someone: not a bare "Pvt." or "Group" left over from the source's brackets.
    alias_count = defaultdict(int)
    for r in kept:
        for a in [r["name"], *(r.get("aliases") or "").split("|")]:
            alias_count[name_key(a)] += 1
    telling = lambda a: len(name_key(a)) >= 6 and alias_count[name_key(a)] == 1  # noqa: E731
    with_alias = [r for r in real if any(telling(a) for a in (r.get("aliases") or "").split("|"))]
    sample(
        with_alias,
        lambda r: rng.choice([a for a in r["aliases"].split("|") if telling(a)]),
        "former or trade name",
    )
    sample(real, lambda r: typo(r["name"], rng, 1), "typo, one edit")
    sample(real, lambda r: typo(r["name"], rng, 2), "typo, two edits")
    sample(real, lambda r: dropped_or_doubled(r["name"], rng), "dropped or doubled letter")
    sample(firms, lambda r: legal_form_typo(r["name"], rng), "typo in the legal form")
    sample(
        firms,
        lambda r: with_or_without_form(r["name"], r["country"], rng),
        "with or without the legal form",
    )
    sample(real, lambda r: long_name(r["name"], rng), "long name pasted (120-300 chars)")
    sample(firms, lambda r: word_order(r["name"], rng), "words out of order")
    sample(firms, lambda r: distinctive_part(r["name"], rng, parts), "distinctive part")
    sample(real, lambda r: sound_alike(r["name"], rng), "sound-alike (es/pt)")
    sample(people, lambda r: person_order(r["name"], rng), "person, either order")
    sample(real, lambda r: transliterated(r["name"], rng), "transliterated")
    poea = [r for r in real if r.get("licence_number", "").startswith("POEA")]
    sample(poea, lambda r: licence_variant(r["licence_number"], rng), "licence number")
    sat = [r for r in real if r["country"] == "MX" and r.get("licence_number")]
    sample(sat, lambda r: tax_id_variant(r["licence_number"], rng), "tax id")
    sample([r for r in poea if r.get("phone")], lambda r: phone_variant(r["phone"], rng), "phone")
    domains = defaultdict(int)
    for r in poea:
        for value in [r.get("website", ""), *r.get("email", "").split("|")]:
            if value:
                domains[domain_key(value)] += 1
    own = [
        r
        for r in poea
        if all(
            domains[domain_key(v)] == 1
            for v in [r.get("website", ""), *r.get("email", "").split("|")]
            if v
        )
    ]
    sample(
        [r for r in own if r.get("website") or r.get("email")],
        lambda r: website_variant(r.get("website", ""), r.get("email", ""), rng),
        "website or e-mail",
    )
    sample(
        left_out,
        lambda r: r["name"],
        "not registered (real names held out)",
        lambda r: NOT_REGISTERED,
    )
    licensed = [r for r in poea if r.get("status") == "active"]
    sample(
        licensed,
        lambda r: look_alike(r["name"], rng),
        "look-alike of a licensed agency",
        lambda r: NOT_REGISTERED,
    )
    registered_keys = {name_key(r["name"]) for r in kept}
    rng = random.Random(f"{SEED} short")
    for _ in range(PER_CATEGORY):
        text = short_query(rng)
        if name_key(text) not in registered_keys:
            queries.append(LabelledQuery("short or initials only", text, NOT_REGISTERED))
    with (HERE / "quality_queries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            queries.append(
                LabelledQuery(
                    "hand-labelled: " + row["category"],
                    row["query"],
                    row["expected"] or NOT_REGISTERED,
                )
            )
    return queries


# -- running -----------------------------------------------------------------------------------
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def database(tmp: Path, backend: str):
    """An empty database for one run: a SQLite file for whoosh; for postgres a schema of its own
    in BENCH_DATABASE_URL (default: the local server's `test`), dropped afterwards."""
    if backend == "whoosh":
        yield os.environ.get("BENCH_SQLITE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        return
    from sqlalchemy import create_engine, text

    url = os.environ.get("BENCH_DATABASE_URL") or POSTGRES
    name = "bench_" + uuid.uuid4().hex[:10]
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{name}%2Cpublic"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def registry_settings(backend: str, url: str, index_dir: str) -> dict[str, str]:
    """The environment a benchmark's registry runs with (in-process or under gunicorn)."""
    return {
        "REGISTRY_DATABASE_URL": url,
        "REGISTRY_INDEX_DIR": index_dir,
        "REGISTRY_SEARCH_BACKEND": backend,
        "REGISTRY_SECRET_KEY": "bench",
        "REGISTRY_INDEXER_THREAD": "0",
    }


def build_instance(tmp: Path, rows: list[dict], backend: str, url: str) -> None:
    """The real rows are imported as a regulator would (`import-agencies`); synthetic padding
    is written straight into the tables first (bench/synthetic.py load_registry: importing a
    million rows one by one, each checked for phoenix firms, would take hours)."""
    real = [r for r in rows if r.get("authority") != SYNTHETIC]
    padding = [r for r in rows if r.get("authority") == SYNTHETIC]
    csv_path = tmp / "agencies.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in real:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    os.environ.update(registry_settings(backend, url, f"{tmp}/index"))
    flask = [sys.executable, "-m", "flask", "--app", "registry"]
    subprocess.run([*flask, "init-db"], check=True, capture_output=True)
    if padding:
        from synthetic import load_registry

        from registry import create_app

        app = create_app()
        load_registry(
            app.extensions["registry.engine"],
            [
                {
                    "name": r["name"],
                    "kind": r["kind"],
                    "country": r["country"],
                    "aliases": [],
                    "former": [],
                    "phones": [],
                    "emails": [],
                    "licences": [(r["licence_number"], r["status"])],
                    "sanctions": 0,
                    "red_flags": 0,
                }
                for r in padding
            ],
        )
        app.extensions["registry.index"].rebuild(timeout=600)
        app.extensions["registry.index"].close()
        app.extensions["registry.engine"].dispose()
    importing = [*flask, "import-agencies", str(csv_path), "--skip-invalid"]
    subprocess.run(importing, check=True, capture_output=True)


def evaluate(queries: list[LabelledQuery], show_misses: str | None) -> dict:
    from sqlmodel import Session, select

    from registry import create_app
    from registry.clock import today
    from registry.models import Agency
    from registry.search import get_index
    from registry.search.service import search

    app = create_app()
    by_category: dict[str, list[tuple]] = defaultdict(list)
    with app.test_request_context(), Session(app.extensions["registry.engine"]) as session:
        ids_by_key: dict[str, set[int]] = defaultdict(set)
        for agency_id, name in session.exec(select(Agency.id, Agency.name)).all():
            ids_by_key[name_key(name)].add(agency_id)
        index = get_index()
        for q in queries[:50]:  # warm caches as a running server would be
            search(connection=session.connection(), index=index, text=q.text, on=today(), limit=5)
        for q in queries:
            started = time.perf_counter()
            result = search(
                connection=session.connection(), index=index, text=q.text, on=today(), limit=5
            )
            elapsed = (time.perf_counter() - started) * 1000
            ids = [h.agency.id for h in result.hits]
            if q.expected == NOT_REGISTERED:
                right = set()
            else:
                right = ids_by_key.get(name_key(q.expected), set())
            by_category[q.category].append((q, ids, right, result.outcome, elapsed, result))
    return by_category


def report(by_category: dict, show_misses: str | None) -> None:
    header = (
        f"{'category':42} {'n':>4} {'r@1':>6} {'r@5':>6} {'match':>6} {'false':>6} "
        f"{'med ms':>7} {'p95 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    totals = defaultdict(list)
    for category, rows in by_category.items():
        registered = [r for r in rows if r[2]]
        unregistered = [r for r in rows if not r[2]]
        at1 = [r for r in registered if r[1][:1] and r[1][0] in r[2]]
        at5 = [r for r in registered if set(r[1][:5]) & r[2]]
        as_match = [r for r in at1 if r[3] == "match"]
        false = [r for r in unregistered if r[3] == "match"]
        times = sorted(r[4] for r in rows)
        fmt = lambda a, b: f"{len(a) / len(b):6.3f}" if b else "     -"  # noqa: E731
        print(
            f"{category[:42]:42} {len(rows):4} {fmt(at1, registered)} {fmt(at5, registered)} "
            f"{fmt(as_match, at1)} {fmt(false, unregistered)} "
            f"{statistics.median(times):7.1f} {times[int(len(times) * 0.95)]:7.1f}"
        )
        for key, value in (
            ("registered", registered),
            ("at1", at1),
            ("at5", at5),
            ("as_match", as_match),
            ("unregistered", unregistered),
            ("false", false),
            ("times", times),
        ):
            totals[key] += value
        wanted = [part.strip().lower() for part in (show_misses or "").split(",") if part.strip()]
        if any(part in category.lower() for part in wanted):
            for q, ids, right, outcome_, _, result in rows:
                wrong = (
                    (right and not (ids[:1] and ids[0] in right))
                    or (not right and outcome_ == "match")
                    or (right and outcome_ != "match")
                )
                if wrong:
                    top = [(h.agency.name, h.match, round(h.score, 1)) for h in result.hits[:3]]
                    print(f"    MISS {q.text!r} -> {outcome_} {top} (want {q.expected!r})")
    t = totals
    times = sorted(t["times"])
    print("-" * len(header))
    print(
        f"{'overall':42} {len(times):4} {len(t['at1']) / len(t['registered']):6.3f} "
        f"{len(t['at5']) / len(t['registered']):6.3f} {len(t['as_match']) / len(t['at1']):6.3f} "
        f"{len(t['false']) / len(t['unregistered']):6.3f} {statistics.median(times):7.1f} "
        f"{times[int(len(times) * 0.95)]:7.1f}"
    )


def overall(by_category: dict) -> tuple[float, float, float]:
    """recall@1, share of right first answers given as match, false-match rate."""
    rows = [r for rows in by_category.values() for r in rows]
    registered = [r for r in rows if r[2]]
    at1 = [r for r in registered if r[1][:1] and r[1][0] in r[2]]
    unregistered = [r for r in rows if not r[2]]
    return (
        len(at1) / len(registered),
        sum(r[3] == "match" for r in at1) / len(at1),
        sum(r[3] == "match" for r in unregistered) / len(unregistered),
    )


def calibrate(queries: list[LabelledQuery]) -> None:
    """The same query set under other thresholds: the chosen ones are marked *."""
    from registry.search import matching

    budgets = {
        "0/1/2 from 4/8 letters": matching.word_budget,
        "0/1/2 from 5/9 letters": lambda n: 0 if n < 5 else 1 if n < 9 else 2,
        "0/1/2 from 3/6 letters": lambda n: 0 if n < 3 else 1 if n < 6 else 2,
        "0/1 from 4 letters": lambda n: 0 if n < 4 else 1,
    }
    chosen_budget, chosen_cost = matching.word_budget, matching.MAX_COST
    print(f"\n{'word budget':26} {'max cost':>8} {'r@1':>6} {'match':>6} {'false':>6}")
    for label, budget in budgets.items():
        for cost in (1.0, 1.5, 2.0, 2.5, 3.0):
            if budget is not chosen_budget and cost != chosen_cost:
                continue
            matching.word_budget, matching.MAX_COST = budget, cost
            r1, as_match, false = overall(evaluate(queries, None))
            mark = " *" if budget is chosen_budget and cost == chosen_cost else ""
            print(f"{label:26} {cost:8.1f} {r1:6.3f} {as_match:6.3f} {false:6.3f}{mark}")
    matching.word_budget, matching.MAX_COST = chosen_budget, chosen_cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--backend",
        choices=["whoosh", "postgres", "both"],
        default="both",
        help="postgres runs in a schema of its own in BENCH_DATABASE_URL "
        "(default: the local server's database test)",
    )
    parser.add_argument(
        "--size",
        type=int,
        default=0,
        help="pad the registry with synthetic agencies up to this many rows "
        "(bench/synthetic.py), e.g. 100000",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="also run the query set under other matching thresholds",
    )
    parser.add_argument(
        "--show-misses",
        metavar="CATEGORY",
        help="print the queries that went wrong in categories containing this text "
        "(several: separated by commas)",
    )
    args = parser.parse_args()
    kept, left_out = registry_rows()
    if args.size > len(kept):  # padded first, so that labels ("not registered", "distinctive")
        from synthetic import synthetic_rows  # hold for the registry searched

        avoid = {name_key(r["name"]) for r in kept + left_out}
        kept = kept + synthetic_rows(kept, args.size - len(kept), avoid=avoid)
    queries = build_queries(kept, left_out)
    summary = {}
    for backend in ["whoosh", "postgres"] if args.backend == "both" else [args.backend]:
        with tempfile.TemporaryDirectory() as tmp, database(Path(tmp), backend) as url:
            started = time.perf_counter()
            build_instance(Path(tmp), kept, backend, url)
            print(
                f"\nregistry: {len(kept)} rows imported in "
                f"{time.perf_counter() - started:.0f} s ({len(left_out)} real names held out); "
                f"{len(queries)} labelled queries; backend {backend}"
            )
            results = evaluate(queries, args.show_misses)
            report(results, args.show_misses)
            summary[backend] = overall(results), [r[4] for rows in results.values() for r in rows]
            if args.calibrate:
                calibrate(queries)
    if len(summary) > 1:
        print(f"\n{'backend':10} {'r@1':>6} {'match':>6} {'false':>6} {'med ms':>7} {'p95 ms':>7}")
        for backend, ((r1, as_match, false), times) in summary.items():
            times = sorted(times)
            print(
                f"{backend:10} {r1:6.3f} {as_match:6.3f} {false:6.3f} "
                f"{statistics.median(times):7.1f} {times[int(len(times) * 0.95)]:7.1f}"
            )


if __name__ == "__main__":
    main()
