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

from registry.search.matching import NOISE, fold

WORD = re.compile(r"[^\W\d_][^\W_]*")


def synthetic_rows(real: list[dict], count: int, *, seed: int = 1,
                   avoid: set[str] = frozenset()) -> list[dict]:
    """`count` new rows; names whose key (see name_key) is in `avoid` are not made."""
    from registry.search.matching import name_key

    rng = random.Random(seed)
    frequency = Counter(w.upper() for r in real for w in WORD.findall(r["name"])
                        if fold(w) not in NOISE and len(w) > 2)
    words, weights = zip(*frequency.items())
    cumulative = []
    total = 0
    for weight in weights:
        total += weight ** 0.75  # flatten a little: rarer words get a fairer share
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
        if key in seen:
            continue
        seen.add(key)
        n = len(made)
        made.append({"name": name, "kind": template.get("kind", "agency"),
                     "country": template["country"], "licence_number": f"SYN-{n:07d}",
                     "status": rng.choice(["active"] * 6 + ["expired", "suspended", "revoked"]),
                     "valid_from": "2024-01-01", "valid_until": "2028-12-31",
                     "authority": "Synthetic registry (benchmarks)"})
    return made
