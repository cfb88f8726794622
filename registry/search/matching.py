"""Matching rules shared by every search backend.

Backends only find candidates; this module says how names and identifiers are normalised and how
candidates are scored, ranked and turned into an outcome (match, similar, none).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import phonenumbers
from rapidfuzz import fuzz

# Legal forms of the region, as token sequences after folding (dots removed, lower case).
LEGAL_FORMS = sorted({
    ("sa", "de", "cv"), ("s", "de", "rl", "de", "cv"), ("s", "de", "rl"), ("sapi", "de", "cv"),
    ("sab", "de", "cv"), ("sa", "de", "rl"), ("sc", "de", "rl"), ("sas", "de", "cv"),
    ("sa",), ("sc",), ("sapi",), ("srl",), ("ltda",), ("lda",), ("ltd",), ("limited",), ("inc",),
    ("incorporated",), ("llc",), ("lc",), ("corp",), ("corporation",), ("sarl",), ("sas",),
    ("eirl",), ("eireli",), ("cia",), ("y", "cia"), ("and", "co"), ("co",), ("co", "ltd"),
    ("company",), ("gmbh",), ("plc",), ("pty", "ltd"), ("me",), ("epp",), ("ac",), ("opc",),
}, key=len, reverse=True)

# Words too common to find an agency by; they still count when names are compared.
STOPWORDS = frozenset("de del la las los el y e and & of the da do das dos".split())

_DOT = re.compile(r"(?<=\w)\.(?=\w)|\.")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, accents removed (ñ -> n), '&' spelt 'and', dots dropped, punctuation -> space."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    text = _DOT.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def name_tokens(name: str) -> list[str]:
    """The folded words of a name with trailing legal forms removed ("Del-Al, Inc." -> del, al)."""
    tokens = fold(name).split()
    stripped = True
    while stripped and len(tokens) > 1:
        stripped = False
        for form in LEGAL_FORMS:
            if len(form) < len(tokens) and tuple(tokens[-len(form):]) == form:
                tokens = tokens[: -len(form)]
                stripped = True
                break
    tokens = [t if t != "y" else "and" for t in tokens]
    return tokens


def name_key(name: str) -> str:
    """One comparable string per name: equal keys mean the same name for a person."""
    return " ".join(name_tokens(name))


def search_tokens(name: str) -> list[str]:
    """The distinctive words used to find candidates (no stopwords)."""
    return [t for t in name_tokens(name) if t not in STOPWORDS]


def licence_key(number: str) -> str:
    """Licence numbers and tax ids compare on letters and digits only, in upper case."""
    return re.sub(r"[^0-9A-Z]", "", fold(number).upper())


def phone_keys(number: str, country: str | None = None) -> set[str]:
    """Digit strings under which a phone number is found: international and national forms."""
    digits = re.sub(r"\D", "", number)
    if len(digits) < 6:
        return set()
    keys = {digits, digits.lstrip("0")}
    try:
        parsed = phonenumbers.parse(number, (country or "").upper() or None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and parsed.national_number:
        national = str(parsed.national_number)
        keys.add(national)
        keys.add(f"{parsed.country_code}{national}")
    return {k for k in keys if len(k) >= 6}


def domain_key(value: str) -> str:
    """The host of a website or e-mail address, lower case, without 'www.'."""
    value = value.strip().lower()
    if "@" in value and "/" not in value:
        value = value.rsplit("@", 1)[1]
    if "//" not in value:
        value = "//" + value
    host = (urlsplit(value).hostname or "").strip(".")
    return host[4:] if host.startswith("www.") else host


_DOMAIN_LIKE = re.compile(r"^(https?://)?(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.I)
_EMAIL_LIKE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)


@dataclass
class Query:
    """A parsed query: the name words and every identifier key it could be."""

    text: str
    key: str
    tokens: list[str]
    identifier_keys: set[str] = field(default_factory=set)
    looks_like_identifier: bool = False


def parse_query(text: str, country: str | None = None) -> Query:
    text = " ".join(text.split())[:200]
    query = Query(text=text, key=name_key(text), tokens=search_tokens(text))
    compact = text.replace(" ", "")
    if _EMAIL_LIKE.match(compact):
        query.identifier_keys |= {"mail:" + compact.lower(), "dom:" + domain_key(compact)}
        query.looks_like_identifier = True
    elif _DOMAIN_LIKE.match(compact) and not compact.replace(".", "").isdigit():
        query.identifier_keys.add("dom:" + domain_key(compact))
        query.looks_like_identifier = True
    digits = sum(ch.isdigit() for ch in compact)
    if digits >= 6 and digits >= 0.7 * len(re.sub(r"[\s\-().+/]", "", compact)):
        query.identifier_keys |= {"tel:" + k for k in phone_keys(text, country)}
        query.looks_like_identifier = True
    if any(ch.isdigit() for ch in compact) and len(licence_key(text)) >= 3:
        query.identifier_keys.add("lic:" + licence_key(text))
    return query


def identifier_keys(*, licences: list[str], phones: list[str], emails: list[str],
                    websites: list[str], country: str) -> set[str]:
    """Every identifier key an agency is found under (see parse_query for the query side)."""
    keys = {"lic:" + licence_key(n) for n in licences if licence_key(n)}
    for phone in phones:
        keys |= {"tel:" + k for k in phone_keys(phone, country)}
    for email in emails:
        keys.add("mail:" + email.strip().lower())
        if domain_key(email) and domain_key(email) not in FREE_MAIL:
            keys.add("dom:" + domain_key(email))
    keys |= {"dom:" + domain_key(w) for w in websites if domain_key(w)}
    return keys


FREE_MAIL = frozenset("gmail.com hotmail.com outlook.com yahoo.com yahoo.es hotmail.es live.com "
                      "icloud.com aol.com protonmail.com proton.me gmx.com mail.com".split())

# Score thresholds (0-100) for name comparison; see name_score.
STRONG = 90.0
SIMILAR = 80.0


def name_score(query_key: str, candidate_key: str) -> float:
    """How alike two normalised names are, 0-100, tolerant of typos and of word order."""
    if not query_key or not candidate_key:
        return 0.0
    if query_key == candidate_key:
        return 100.0
    whole = fuzz.ratio(query_key, candidate_key)
    reordered = fuzz.token_sort_ratio(query_key, candidate_key)
    return max(whole, reordered, _word_overlap(query_key, candidate_key))


PART_OF_NAME = 86.0  # similar, never strong: a part of a name is not the name
SHARED_WORDS = 80.0  # the look-alike floor: half the words in common, two at least


def _word_overlap(query_key: str, candidate_key: str) -> float:
    """Word-level likeness, for names that share words but differ as strings.

    - every distinctive word of the query is in the name (give or take a typo), and the query
      says enough (two words, or one of six letters or more): a part of the name, PART_OF_NAME;
    - at least two words in common and half the words of the longer name: SHARED_WORDS;
    - otherwise 0: sharing one common word ("visas") makes no look-alike.
    """
    query = [t for t in query_key.split() if t not in STOPWORDS]
    name = [t for t in candidate_key.split() if t not in STOPWORDS]
    if not query or not name:
        return 0.0
    found = sum(1 for word in query if any(fuzz.ratio(word, other) >= 85 for other in name))
    if found == len(query) and (len(query) >= 2 or len(query[0]) >= 6):
        return PART_OF_NAME
    if found >= 2 and found / max(len(query), len(name)) >= 0.5:
        return SHARED_WORDS
    return 0.0


@dataclass
class Candidate:
    """What a backend returns for one agency: its names and which identifier keys it matched."""

    agency_id: int
    names: list[str]
    matched_identifiers: set[str] = field(default_factory=set)


@dataclass
class Ranked:
    agency_id: int
    match: str  # exact | strong | similar
    score: float
    matched_name: str


def rank(query: Query, candidates: list[Candidate]) -> list[Ranked]:
    """Order candidates best first and label each exact, strong or similar; drop the rest."""
    ranked: list[Ranked] = []
    for candidate in candidates:
        best_name, best = "", 0.0
        for name in candidate.names:
            score = name_score(query.key, name_key(name))
            if score > best:
                best_name, best = name, score
        if candidate.matched_identifiers:
            ranked.append(Ranked(candidate.agency_id, "exact", 100.0 + best / 100, best_name))
        elif best >= 100.0:
            ranked.append(Ranked(candidate.agency_id, "exact", best, best_name))
        elif best >= STRONG and len(query.key) >= 5:
            ranked.append(Ranked(candidate.agency_id, "strong", best, best_name))
        elif best >= SIMILAR:
            ranked.append(Ranked(candidate.agency_id, "similar", best, best_name))
    ranked.sort(key=lambda r: (-r.score, r.agency_id))
    return ranked


def outcome(matches: list[str]) -> str:
    """From the match labels of the hits, best first: match when the best is exact or strong,
    similar when there are only look-alikes, none when there is nothing."""
    if not matches:
        return "none"
    return "match" if matches[0] in ("exact", "strong") else "similar"
