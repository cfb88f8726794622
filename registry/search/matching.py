"""Matching rules shared by every search backend.

Backends only find candidates; this module says how names and identifiers are normalised and how
candidates are scored, ranked and turned into an outcome (match, similar, none).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

import numpy as np
import phonenumbers
from anyascii import anyascii
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

# Legal forms of the region, as token sequences after folding (dots removed, single letters
# joined: "S. A. de C. V." and "SA DE CV" both read "sa de cv").
LEGAL_FORMS = sorted(
    {
        ("sa", "de", "cv"),
        ("s", "de", "rl", "de", "cv"),
        ("s", "de", "rl"),
        ("sapi", "de", "cv"),
        ("sab", "de", "cv"),
        ("sa", "de", "rl"),
        ("sc", "de", "rl"),
        ("sas", "de", "cv"),
        ("s", "en", "c"),
        ("s", "en", "nc"),
        ("sc", "de", "cv"),
        ("sapi",),
        ("sab",),
        ("spr", "de", "rl", "de", "cv"),
        ("spr", "de", "rl"),
        ("sc", "de", "rl", "de", "cv"),
        ("sa", "de", "rl", "de", "cv"),
        ("sapi", "de", "rl", "de", "cv"),
        ("spa", "de", "cv"),
        ("sa",),
        ("sc",),
        ("srl",),
        ("ltda",),
        ("lda",),
        ("ltd",),
        ("limited",),
        ("inc",),
        ("incorporated",),
        ("llc",),
        ("lc",),
        ("llp",),
        ("lp",),
        ("corp",),
        ("corporation",),
        ("sarl",),
        ("sas",),
        ("eirl",),
        ("eireli",),
        ("cia",),
        ("and", "cia"),
        ("and", "co"),
        ("co",),
        ("co", "ltd"),
        ("company",),
        ("gmbh",),
        ("plc",),
        ("pty", "ltd"),
        ("me",),
        ("epp",),
        ("ac",),
        ("opc",),
        ("spa",),
        ("bv",),
        ("nv",),
        ("ag",),
        ("oy",),
        ("ab",),
        # Mexico's other forms (SAT's lists): "S.C.P.", "S.P.R. de R.I.", "S. de R.L. M.I.",
        # "A. en P." (a joint venture), "S. en N.C. de C.V."...
        ("scp",),
        ("spr", "de", "ri"),
        ("s", "de", "pr", "de", "rl"),
        ("s", "de", "rl", "mi"),
        ("s", "en", "nc", "de", "cv"),
        ("sc", "de", "c", "de", "rl", "de", "cv"),
        ("sc", "de", "p", "de", "rl", "de", "cv"),
        ("sc", "de", "rs", "de", "cv"),
        ("a", "en", "p"),
        ("sac",),
        ("saa",),
        ("pvt", "ltd"),
        ("pte", "ltd"),
        ("private", "limited"),
        # The same forms written out in words.
        ("sociedad", "anonima"),
        ("sociedad", "anonima", "de", "capital", "variable"),
        ("sociedad", "anonima", "promotora", "de", "inversion", "de", "capital", "variable"),
        ("sociedad", "de", "responsabilidad", "limitada"),
        ("sociedad", "de", "responsabilidad", "limitada", "de", "capital", "variable"),
        ("sociedad", "civil"),
        ("sociedad", "cooperativa"),
        ("sociedad", "por", "acciones", "simplificada"),
        ("asociacion", "civil"),
        ("limitada",),
    },
    key=len,
    reverse=True,
)
_FORM_LENGTHS = sorted({len(f) for f in LEGAL_FORMS}, reverse=True)
_FORMS = frozenset(LEGAL_FORMS)

# Words too common to find an agency by; they still count when names are compared. "i" is
# "y" as Catalan writes it and as it sounds ("Construcciones i Materiales"), or an initial.
STOPWORDS = frozenset("de del la las los el y e i and of the da do das dos en".split())
# Words left out when names are compared word by word: stopwords, and legal forms wherever they
# stand ("Hebei Construction Group Corporation Limited No. 7 Branch").
NOISE = STOPWORDS | {form[0] for form in LEGAL_FORMS if len(form) == 1}

_DOTTED = re.compile(r"\b[a-z](?:\.[a-z])+\b\.?")  # "s.a.", "c.v", "r.l."
_BREAK = re.compile(r"[,;()\[\]|]+")  # what ends a run of initials ("Triple R, S.A.")
_DOT = re.compile(r"\.")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_CONNECTOR = re.compile(r" (?:and |y (?=[a-z]\b))?")
_SINGLE_LETTERS = re.compile(r"\b[a-z](?: (?:and |y )?[a-z]\b)+")


def fold(text: str) -> str:
    """Lower-case ASCII (accents dropped, other scripts transliterated), '&' spelt 'and', dots
    dropped, punctuation -> space, initials joined: dotted ones as written ("S.A." -> "sa"),
    then runs of single letters, "&" or "y" between them dropped ("S. A." -> "sa", "R & R" and
    "R y R" -> "rr").
    A comma or bracket ends a run: "Triple R, S.A." is "triple r sa", not "triple rsa"."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = anyascii("".join(ch for ch in text if not unicodedata.combining(ch)))
    text = text.lower()
    text = text.replace("&", " and ").replace("'", "").replace("`", "")
    text = _DOTTED.sub(lambda m: " " + m.group(0).replace(".", "") + " ", text)
    pieces = (" ".join(_NON_WORD.sub(" ", _DOT.sub(" ", p)).split()) for p in _BREAK.split(text))
    return " ".join(
        _SINGLE_LETTERS.sub(lambda m: _CONNECTOR.sub("", m.group(0)), piece)
        for piece in pieces
        if piece
    )


def name_tokens(name: str) -> list[str]:
    """The folded words of a name with trailing legal forms removed ("Del-Al, Inc." -> del, al)."""
    return list(_name_tokens(name))


@lru_cache(maxsize=50_000)
def _name_tokens(name: str) -> tuple[str, ...]:
    tokens = ["and" if t == "y" else t for t in fold(name).split()]
    stripped = True
    while stripped and len(tokens) > 1:
        stripped = False
        for length in _FORM_LENGTHS:  # the longest form first, as LEGAL_FORMS is ordered
            if length < len(tokens) and tuple(tokens[-length:]) in _FORMS:
                tokens = tokens[:-length]
                stripped = True
                break
    return tuple(tokens)


def name_key(name: str) -> str:
    """One comparable string per name: equal keys mean the same name for a person."""
    return " ".join(name_tokens(name))


def search_tokens(name: str) -> list[str]:
    """The distinctive words used to find candidates (no stopwords)."""
    return [t for t in name_tokens(name) if t not in STOPWORDS]


# Spanish and Portuguese spellings of one sound (and a few transliteration habits), applied in
# order to a folded word. Sound keys of equal words are equal; the converse is the point.
_SOUND_RULES = [
    (re.compile(a), b)
    for a, b in [
        (r"ph", "f"),
        (r"[cs]h", "x"),
        (r"lh|ll", "y"),
        (r"nh", "n"),
        (r"h", ""),
        (r"qu(?=[ei])|q", "k"),
        (r"gu(?=[ei])", "g"),
        (r"g(?=[ei])", "j"),
        (r"c(?=[ei])", "s"),
        (r"c", "k"),
        (r"z", "s"),
        (r"v|w", "b"),
        (r"y", "i"),
        (r"ou", "u"),
        (r"dj", "j"),
        (r"(.)\1+", r"\1"),
    ]
]


@lru_cache(maxsize=200_000)
def sound_key(word: str) -> str:
    """How a folded word sounds in Spanish or Portuguese: b/v, s/z/c, ll/y, silent h... are one."""
    if word.isdigit():
        return word
    for pattern, replacement in _SOUND_RULES:
        word = pattern.sub(replacement, word)
    return word


def licence_key(number: str) -> str:
    """Licence numbers and tax ids compare on letters and digits only, in upper case."""
    return re.sub(r"[^0-9A-Z]", "", fold(number).upper())


def phone_keys(number: str, country: str | None = None) -> set[str]:
    """Digit strings under which a phone number is found: international and national forms, and
    the subscriber number without its area code (people often leave the area code out, and old
    registers often recorded local numbers only)."""
    digits = re.sub(r"\D", "", number)
    if len(digits) < 6:
        return set()
    keys = {digits, digits.lstrip("0")}
    try:
        parsed = phonenumbers.parse(number, (country or "").upper() or None)
    except phonenumbers.NumberParseException:
        parsed = None
    national = digits.lstrip("0")
    if parsed is not None and parsed.national_number:
        national = str(parsed.national_number)
        keys |= {national, f"{parsed.country_code}{national}"}
        area = phonenumbers.length_of_geographical_area_code(parsed)
        if area and len(national) - area >= 7:
            keys.add(national[area:])
            national = ""
    if 8 <= len(national) <= 9:  # an area code we cannot tell: assume 7-digit local numbers
        keys.add(national[-7:])
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


MAX_QUERY = 300  # characters searched: a long union's name pasted from a contract


@dataclass
class Query:
    """A parsed query: the name words, every identifier key it could be, and which words of the
    name key each identifier came from."""

    text: str
    key: str
    tokens: list[str]
    identifier_keys: set[str] = field(default_factory=set)
    identifier_parts: dict[str, list[str]] = field(default_factory=dict)

    def add_identifier(self, key: str, part: str) -> None:
        self.identifier_keys.add(key)
        self.identifier_parts.setdefault(key, []).append(part)


def parse_query(text: str, country: str | None = None) -> Query:
    """Read a query as a name and as every identifier it could be: the whole text as a licence
    number, tax id, phone, website or e-mail address, and each run of up to three words with a
    digit as a licence number typed next to a name ("Sierra Madre MX-77")."""
    text = " ".join(text.split())[:MAX_QUERY]
    query = Query(text=text, key=name_key(text), tokens=search_tokens(text))
    whole = query.key
    compact = text.replace(" ", "")
    if _EMAIL_LIKE.match(compact):
        query.add_identifier("mail:" + compact.lower(), whole)
        query.add_identifier("dom:" + domain_key(compact), whole)
    elif _DOMAIN_LIKE.match(compact) and not compact.replace(".", "").isdigit():
        query.add_identifier("dom:" + domain_key(compact), whole)
    digits = sum(ch.isdigit() for ch in compact)
    if digits >= 6 and digits >= 0.7 * len(re.sub(r"[\s\-().+/]", "", compact)):
        for key in phone_keys(text, country):
            query.add_identifier("tel:" + key, whole)
    if digits and len(licence_key(text)) >= 3:
        query.add_identifier("lic:" + licence_key(text), whole)
        words = fold(text).split()
        for size in (1, 2, 3):
            for i in range(len(words) - size + 1):
                span = words[i : i + size]
                if any(ch.isdigit() for w in span for ch in w) and len("".join(span)) >= 3:
                    query.add_identifier("lic:" + licence_key("".join(span)), " ".join(span))
    return query


def without_slipped_forms(query: Query) -> Query | None:
    """The query's name words without what may be a legal form typed with a slip ("Maritime
    Trans Incoroporated"), to find candidates by as well, or None when there is no such word.
    Such a word is rare (no agency's words hold it), so it would find the wrong agencies, and
    the right one only by its other words, which at a million agencies are often common."""
    words = query.key.split()
    words = words[: len(words) - _form_tail(words)]
    tokens = [
        w for i, w in enumerate(words) if w not in STOPWORDS and (i == 0 or not _is_slipped_form(w))
    ]
    if not tokens or tokens == query.tokens:
        return None
    return Query(text=query.text, key=" ".join(words), tokens=tokens)


def identifier_keys(
    *, licences: list[str], phones: list[str], emails: list[str], websites: list[str], country: str
) -> set[str]:
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


FREE_MAIL = frozenset(
    "gmail.com hotmail.com outlook.com yahoo.com yahoo.es hotmail.es live.com "
    "icloud.com aol.com protonmail.com proton.me gmx.com mail.com".split()
)

# What candidates a backend may return (both backends apply these):
# a mail or web domain used by more agencies than this is a provider's (an ISP's mail service,
# a hosting platform), not an agency's own: it identifies no one;
SHARED_DOMAIN = 2
# a name word in more agencies than this is common: it narrows a search but does not find.
# When every word typed is common, the agencies holding them all are the candidates, and a word
# typed as the registry writes it, itself common, stands for itself and its sound key only: its
# typo neighbours are other common words ("servicio" beside "servicios", 170,000 agencies at a
# million) that cost the lookup their postings and find nothing the word typed does not. Only
# when no agency holds the words as typed do the neighbours count.
COMMON = 500


def word_weight(frequency: int) -> float:
    """How much sharing a query word held by `frequency` agencies counts when a backend picks
    its candidates (an IDF: the rarer, the more; only the order of the weights matters)."""
    return math.log(10_000_000 / (frequency + 1))


# -- comparing names ---------------------------------------------------------------------------
# Calibrated on bench/search_quality.py (see README, "Search quality"): the edits a word may take
# and still be the same word, and the total a name may take and still be "the" name.
def word_budget(length: int) -> int:
    """Edits a word of this length may take: none below 4 letters (ALS is not ALP), one up to 7,
    two from 8."""
    return 0 if length < 4 else 1 if length < 8 else 2


MAX_WORD_EDITS = 2  # word_budget's largest
MAX_COST = 2.0  # total edits (sound-alike steps count half) for a strong match
SOUND_COST = 0.5  # b/v, s/z, ll/y... the same word said the same way


class Likeness(NamedTuple):
    """How a typed name compares with one registered name (a tuple: a ranking makes a hundred)."""

    kind: str  # exact | strong | similar | none
    score: float  # 0-100, to order candidates


NONE = Likeness("none", 0.0)


_VOWEL = re.compile("[aeiouy]")


@lru_cache(maxsize=200_000)  # a lookup compares the same few words with hundreds of names
def _word_cost(a: str, b: str) -> float | None:
    """The cost of reading typed word `a` as registered word `b` (edits, a swap of two letters
    counting one), or None when they are different words."""
    if a == b:
        return 0.0
    sound_a, sound_b = sound_key(a), sound_key(b)
    if sound_a == sound_b and len(sound_a) >= 3 and _VOWEL.search(a) and _VOWEL.search(b):
        return SOUND_COST  # words said alike; not initials ("LWV" is not "LB")
    budget = word_budget(len(b))
    if (
        budget == 0
        or a[:1].isdigit()
        or b[:1].isdigit()
        or abs(len(a) - len(b)) > budget
        and abs(len(sound_a) - len(sound_b)) > budget
    ):
        return None
    edits = OSA.distance(a, b, score_cutoff=budget)
    sounds = OSA.distance(sound_a, sound_b, score_cutoff=budget)
    best = min(float(edits), SOUND_COST + sounds)
    return best if best <= budget else None


def _align(
    query: tuple[str, ...], name: tuple[str, ...], costs: Costs, needed: int = 0
) -> tuple[int, float, set[int]]:
    """Pair each query word with its cheapest unused name word; (pairs made, total cost, the
    positions of the name words paired). Stops early, with fewer pairs than `needed`, once
    `needed` pairs can no longer be made."""
    used: set[int] = set()
    pairs, cost = 0, 0.0
    remaining = len(query)
    for word in query:
        if pairs + remaining < needed:
            break
        remaining -= 1
        row = costs[word]
        if not row:  # a word like no registered one (most of a query's, for most names)
            continue
        best, best_at = None, -1
        for i, other in enumerate(name):
            c = row.get(other)
            if c is not None and (best is None or c < best) and i not in used:
                best, best_at = c, i
                if c == 0:
                    break
        if best is not None:
            used.add(best_at)
            pairs += 1
            cost += best
    return pairs, cost, used


Costs = dict[str, dict[str, float]]  # query word -> name word -> _word_cost, when not None


def word_costs(query_words: Iterable[str], name_words: Iterable[str]) -> Costs:
    """_word_cost of every query word with every name word that it may be read as."""
    return _word_costs(query_words, {w: sound_key(w) for w in name_words})


def _word_costs(query_words: Iterable[str], sounds_of: dict[str, str]) -> Costs:
    """word_costs, given the name words each with its sound key. A ranking compares the query
    with a hundred names: the words within two edits, or sounding within two, are found among
    all their words at once (rapidfuzz's cdist, in C++, one call for all the query's words),
    then costed exactly."""
    typed = list(set(query_words))
    costs: Costs = {a: {} for a in typed}
    if not typed or not sounds_of:
        return costs
    words = list(sounds_of)
    # Every typed word against every name word, by spelling and by sound, in one call each.
    near = (
        process.cdist(typed, words, scorer=OSA.distance, score_cutoff=MAX_WORD_EDITS, dtype=np.int8)
        <= MAX_WORD_EDITS
    ) | (
        process.cdist(
            [sound_key(a) for a in typed],
            list(sounds_of.values()),
            scorer=OSA.distance,
            score_cutoff=MAX_WORD_EDITS,
            dtype=np.int8,
        )
        <= MAX_WORD_EDITS
    )
    for row, column in zip(*(axis.tolist() for axis in np.nonzero(near))):
        a, b = typed[row], words[column]
        c = _word_cost(a, b)
        if c is not None:
            costs[a][b] = c
    return costs


@cache  # names have a few words: a handful of pairs of lengths
def _pairs_needed(q: int, n: int) -> int:
    """The fewest pairs with which a query of q telling words and a name of n can be alike (see
    compare): all the shorter one's words, or half the longer one's and two at least."""
    return min(q, n, max(2, math.ceil(max(q, n) / 2)))


Shape = tuple[tuple[str, ...], tuple[str, ...], str]  # telling words, sorted, joined (_shape)
# Legal forms written as one string ("sadecv", "inc"), to recognise one typed with a slip.
_FORM_STRINGS = sorted({"".join(form) for form in LEGAL_FORMS})
# Long one-word forms, recognised anywhere in a name give or take one slip ("Linited").
_LONG_FORMS = sorted({form[0] for form in LEGAL_FORMS if len(form) == 1 and len(form[0]) >= 6})


def _is_slipped_form(word: str) -> bool:
    """A long one-word legal form typed with one slip ("linited", "corporatoin")."""
    return len(word) >= 6 and bool(
        process.extractOne(word, _LONG_FORMS, scorer=OSA.distance, score_cutoff=1)
    )


def _form_tail(words: list[str]) -> int:
    """How many of a key's last words may be a legal form typed with one slip ("sa dde cv",
    "s de el de cv", "ibc", "cirp"; forms typed right are stripped from keys already). A single
    word counts only after two words of name ("Gerwil Crewing Philippines Imc")."""
    for size in range(min(5, len(words) - 1), 0, -1):
        if size == 1 and len(words) < 3:
            break
        joined = "".join(words[-size:])
        if not joined.isdigit() and process.extractOne(
            joined, _FORM_STRINGS, scorer=OSA.distance, score_cutoff=1
        ):
            return size
    return 0


def _telling_words(words: list[str]) -> list[str]:
    """The words that tell names apart: no stopwords, no legal forms after the first word."""
    telling = [w for i, w in enumerate(words) if w not in NOISE or i == 0 and w not in STOPWORDS]
    return telling or words


@lru_cache(maxsize=100_000)  # the same names come up lookup after lookup
def _shape(key: str) -> Shape:
    """What compare reads of a name key: its telling words, the same sorted, and joined."""
    telling = tuple(_telling_words(key.split()))
    return telling, tuple(sorted(telling)), "".join(telling)


@lru_cache(maxsize=100_000)
def _loose_shape(key: str) -> Shape:
    """_shape, reading what may be a legal form typed with a slip as one (see _form_tail)."""
    words = key.split()
    words = words[: len(words) - _form_tail(words)]
    telling = tuple(
        w for w in _telling_words(words) if not _is_slipped_form(w) or w == words[0]
    ) or tuple(words)
    return telling, tuple(sorted(telling)), "".join(telling)


# Words that say what kind of business it is, not which one: a name typed without them
# ("Horizonte Ficticio" for "Agencia Horizonte Ficticio") still names the agency.
GENERIC = frozenset(
    """agency agencies agencia agencias service services servicio servicios svc svcs
    international internacional intl manpower placement placements recruitment recruiting
    reclutamiento overseas employment empleo empleos group grupo corporation corporativo
    corporativa company compania cia enterprise enterprises empresa empresas empresarial
    empresariales general generales global worldwide human humanos humano resource resources
    recursos management consulting consultores consultoria consultants consultancy philippines
    phils phil mexico mexicana mexicano trading solutions soluciones staffing personnel jobs
    job labor labour laboral laborales integral integrales asociados associates""".split()
)


def exact_key(name_key_: str) -> str:
    """What the names compare calls exact share: their telling words, sorted ("globales
    servicios" for "Servicios Globales, S.A. de C.V." and "Globales Servicios"). Backends index
    it, so that a name typed whole finds its agency however many others hold its words."""
    return " ".join(_shape(name_key_)[1]) if name_key_ else ""


def exact_keys(query_key: str) -> set[str]:
    """The exact_key of a typed name, as typed and read without what may be a legal form typed
    with a slip ("Sistemas Productos S.. de C.V.")."""
    if not query_key:
        return set()
    return {exact_key(query_key), " ".join(_loose_shape(query_key)[1])} - {""}


@lru_cache(maxsize=100_000)  # an agency comes up in lookup after lookup
def _sounds_of(keys: tuple[str, ...]) -> dict[str, str]:
    """The telling words of an agency's name keys, each with its sound key (what word_costs
    compares a query with). Shared by every lookup: read it, never change it."""
    return {word: sound_key(word) for key in keys if key for word in _shape(key)[0]}


def compare(query_key: str, name_key_: str, costs: Costs | None = None) -> Likeness:
    """The likeness of a typed name (its key) to a registered name (its key).

    - exact: the same words, or the same words in another order (person names either way round);
    - strong: the same words give or take typos, dropped or doubled letters and sound-alike
      spellings, within a budget per word and MAX_COST in all, or the same letters spaced
      differently ("Delal" / "Del Al");
    - part: the name without the words that only say what kind of business it is ("Horizonte
      Ficticio" for "Agencia Horizonte Ficticio"), give or take typos; two words at least;
    - similar: the typed words are a distinctive part of the name, or the name is part of what
      was typed (a look-alike adding a word), or half the words and two at least are shared;
    - none: anything less. Sharing one common word ("visas") is not likeness.

    A legal form typed with a slip ("S.A. DDE C.V.", "Inr.", "Corporatoin") is no word of the
    name: when the names are not alike word for word, they are compared again without it.

    `costs`: word_costs of the query's words with (at least) the name's, when the caller
    compares the query with many names.
    """
    if not query_key or not name_key_:
        return NONE
    if query_key == name_key_:
        return Likeness("exact", 100.0)
    query, name = _shape(query_key), _shape(name_key_)
    if costs is None:
        costs = word_costs(query[0], name[0])
    likeness = _likeness(query_key, name_key_, query, name, costs)
    if likeness.kind in SURE:
        return likeness
    loose_query, loose_name = _loose_shape(query_key), _loose_shape(name_key_)
    if (loose_query, loose_name) == (query, name):
        return likeness
    loose = _likeness(query_key, name_key_, loose_query, loose_name, costs)
    return loose if loose.kind in SURE else likeness


SURE = ("exact", "strong", "part")


def _likeness(
    query_key: str, name_key_: str, query_shape: Shape, name_shape: Shape, costs: Costs
) -> Likeness:
    """compare's rules, on the telling words of both names (see _shape)."""
    query, query_sorted, joined_q = query_shape
    name, name_sorted, joined_n = name_shape
    if query == name:  # the same telling words in the same order ("Servicios de X" / "... X")
        return Likeness("exact", 99.5)
    if query_sorted == name_sorted:
        return Likeness("exact", 99.0)
    pairs, cost, used = _align(query, name, costs, _pairs_needed(len(query), len(name)))
    if pairs == len(query) == len(name) and cost <= MAX_COST:
        return Likeness("strong", 95.0 - 2 * cost + _ratio(query_key, name_key_))
    if len(joined_q) >= 6 and len(query) != len(name):  # "Delal" / "Del Al", give or take one
        edits = OSA.distance(joined_q, joined_n, score_cutoff=1)
        if edits == 0 or edits == 1 and len(joined_n) >= 10:
            return Likeness("strong", 94.0 - 2 * edits + _ratio(query_key, name_key_))
    if (
        pairs == len(query) < len(name)
        and len(query) >= 2
        and cost <= MAX_COST
        and any(word not in GENERIC and len(word) >= 4 for word in query)
        and all(word in GENERIC for i, word in enumerate(name) if i not in used)
    ):
        return Likeness("part", 90.0 - 2 * cost + _ratio(query_key, name_key_))
    if pairs == len(query) < len(name):
        if len(query) >= 2 or len(query[0]) >= 6:
            return Likeness(
                "similar", 86.0 + 4 * len(query) / len(name) - cost + _ratio(query_key, name_key_)
            )
        return NONE
    if pairs == len(name) < len(query):
        return Likeness(
            "similar", 84.0 + 4 * len(name) / len(query) - cost + _ratio(query_key, name_key_)
        )
    if pairs >= 2 and pairs / max(len(query), len(name)) >= 0.5:
        return Likeness(
            "similar", 80.0 + 4 * pairs / max(len(query), len(name)) + _ratio(query_key, name_key_)
        )
    return NONE


def _ratio(query_key: str, name_key_: str) -> float:
    """A tie-breaker within a kind: how alike the whole keys read (0-1)."""
    return fuzz.ratio(query_key, name_key_) / 100


@dataclass
class Candidate:
    """What a backend returns for one agency: its names (display and key) and the identifier
    keys it matched."""

    agency_id: int
    names: Sequence[str]
    matched_identifiers: set[str] = field(default_factory=set)
    keys: Sequence[str] | None = None  # name keys, in the order of names; computed when absent


@dataclass
class Ranked:
    agency_id: int
    match: str  # exact | strong | similar
    score: float  # 0-100: how alike the name typed and the name found are (100 for a number)
    matched_name: str
    other_holder: bool = False  # found by a number, but the name typed is someone else's
    order: tuple = ()  # best first: found by a number, then exact, strong, similar
    partial: bool = False  # strong, as the name without its generic words (compare: part)


TIERS = {"exact": 3, "strong": 2, "part": 2, "similar": 1}


def rank(query: Query, candidates: list[Candidate]) -> list[Ranked]:
    """Order candidates best first and label each exact, strong or similar; drop the rest."""
    ranked: list[Ranked] = []
    keys_of = [
        tuple(candidate.keys or [name_key(n) for n in candidate.names]) for candidate in candidates
    ]
    sounds_of: dict[str, str] = {}
    for keys in keys_of:
        sounds_of.update(_sounds_of(keys))
    costs = _word_costs(_shape(query.key)[0] if query.key else (), sounds_of)
    for candidate, keys in zip(candidates, keys_of):
        best_name, best = "", NONE
        for name, key in zip(candidate.names, keys):
            likeness = compare(query.key, key, costs)
            if likeness.score > best.score:
                best_name, best = name, likeness
        if candidate.matched_identifiers:
            # More keys matched is a more specific match: (02) 533 3928 is closer to a number
            # registered with its area code than to a bare local 533 3928.
            other = _names_someone_else(query, candidate.matched_identifiers, keys)
            ranked.append(
                Ranked(
                    candidate.agency_id,
                    "exact",
                    100.0,
                    best_name or candidate.names[0],
                    other,
                    (1, *_by_licence(candidate.matched_identifiers), best.score),
                )
            )
        elif best.kind != "none":
            ranked.append(
                Ranked(
                    candidate.agency_id,
                    "strong" if best.kind == "part" else best.kind,
                    best.score,
                    best_name,
                    False,
                    (0, 0, TIERS[best.kind], best.score),
                    best.kind == "part",
                )
            )
    ranked.sort(key=lambda r: (tuple(-x for x in r.order), r.agency_id))
    return ranked


def _by_licence(matched: set[str]) -> tuple[int, int]:
    """How specific an agency found by its identifiers is: by a licence number or tax id
    before by a phone ("SYN-0835896" is a licence, whatever phone ends in 0835896), then by
    more keys (a number with its area code before a bare local one)."""
    return int(any(k.startswith("lic:") for k in matched)), len(matched)


def _names_someone_else(query: Query, matched: set[str], keys: Sequence[str]) -> bool:
    """A number typed with a name that is clearly not its holder's ("Sierra Madre MX-77")."""
    rest = query.key
    for identifier in matched:
        for part in query.identifier_parts.get(identifier, ()):
            rest = (" " + rest + " ").replace(" " + part + " ", " ").strip()
    if not [w for w in rest.split() if w not in STOPWORDS]:
        return False
    return all(compare(rest, key).kind == "none" for key in keys)


def same_name(ranked: Sequence[Ranked]) -> bool:
    """The best two are exactly the name (or number) typed, alike: no one can say which of the
    agencies was meant."""
    return (
        len(ranked) > 1
        and ranked[0].match == ranked[1].match == "exact"
        and ranked[0].order == ranked[1].order
    )


def outcome(ranked: Sequence[Ranked]) -> str:
    """From the hits, best first: `match` when the best is exact (and not a number typed beside
    another's name, nor the name of two agencies alike), or strong and not rivalled by another
    strong look-alike (a name typed without its generic words is rivalled by any name nearly as
    close); `similar` when there are only look-alikes; `none` otherwise."""
    if not ranked:
        return "none"
    best = ranked[0]
    if best.other_holder:  # the number is someone's; the name typed is someone else's
        return "similar"
    if best.match == "exact":
        return "similar" if same_name(ranked) else "match"
    if best.match == "strong":
        rivals = [
            r
            for r in ranked[1:]
            if (r.match == "strong" or best.partial) and r.score >= best.score - 2
        ]
        return "similar" if rivals else "match"
    return "similar"
