"""The public answer for one agency: a pure function of its records and a date.

Rules, in order of precedence (the most severe state that holds on the date wins):
1. banned    - a ban in force, or a licence whose status is banned;
2. revoked   - a revocation in force, or a revoked licence;
3. suspended - a suspension in force, or a suspended licence still within its validity;
4. licensed / licensed_with_warnings - an active licence within its validity; warnings come from a
   warning, fine, condition or criminal referral in force, a licence with conditions, a regulator's
   finding, or a substantiated red flag;
5. expired   - licences exist but none is valid on the date;
6. unlicensed - no licence at all.
A licence past its valid-until date no longer authorises anything: active and suspended licences
count as expired from the day after, whatever their stored status (revoked and banned stay as
they are, being more severe). A sanction overturned on appeal, or lifted, does not count from
that day; one with an appeal pending does.

A ban, a revocation or a suspension in force acts on the licences it concerns (`concerns`): the
one it names, or, when it names none, every licence of the authority that imposed it. Such a
licence reads banned, revoked or suspended, never "active", whatever its stored status: the
table, the reasons and the badge are read from the same rule and cannot contradict each other.
The reasons come in the order of the badge: first those that decide it.

Across the region. Each country keeps its own standing (`standings`): the state its licences and
the bans, revocations and suspensions of its authorities give, by the rules above, on their own.
A licence belongs to the country that issued it; a sanction to the country where it was imposed
(`country`, the imposing authority's). The regional verdict combines them:
- a ban in force anywhere makes the agency banned; else a revocation in force anywhere makes it
  revoked, whatever other countries say;
- else, if some country holds it licensed, it is licensed, with warnings when another country
  suspended it (or on any warning above);
- else the most severe standing (suspended, then expired), or unlicensed.
Within one country nothing changes: a suspension there outweighs a licence there. Records that
name no country count as one country of their own, so an agency known in one country only reads
exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from registry.vocab import N_, RED_FLAG_CATEGORIES, SANCTION_TYPES

SEVERITY = (
    "banned",
    "revoked",
    "suspended",
    "licensed_with_warnings",
    "licensed",
    "expired",
    "unlicensed",
)

SUMMARIES = {
    "licensed": N_("Licensed: this agency holds a valid licence to recruit."),
    "licensed_with_warnings": N_(
        "Licensed, with warnings: it holds a valid licence, but regulators have recorded problems. "
        "Read them before you deal with it."
    ),
    "suspended": N_("Suspended: this agency may not recruit at the moment."),
    "revoked": N_("Licence revoked: this agency may not recruit."),
    "banned": N_("Banned: this agency or person is disqualified from recruiting."),
    "expired": N_("Licence expired: this agency may not recruit until its licence is renewed."),
    "unlicensed": N_("No licence: no licence to recruit is recorded for this agency."),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """One plain-language reason. `template` is a msgid; params ending in `_label` are msgids
    too."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)
    tone: str = "info"  # ok | info | warning | danger

    def text(
        self,
        gettext: Callable[[str], str] = lambda s: s,
        date_format: Callable[[date], str] = date.isoformat,
    ) -> str:
        """The reason in a language: `gettext` translates, `date_format` writes the dates."""
        values = {
            k: gettext(v) if k.endswith("_label") else date_format(v) if isinstance(v, date) else v
            for k, v in self.params.items()
        }
        return gettext(self.template) % values


_STANDING_TEXTS = {
    # state -> (with a date, without one)
    "licensed": (
        N_("Licensed in %(country)s until %(date)s."),
        N_("Licensed in %(country)s."),
    ),
    "suspended": (
        N_("Suspended in %(country)s until %(date)s."),
        N_("Suspended in %(country)s."),
    ),
    "revoked": (
        N_("Licence revoked in %(country)s on %(date)s."),
        N_("Licence revoked in %(country)s."),
    ),
    "banned": (
        N_("Banned in %(country)s since %(date)s."),
        N_("Banned in %(country)s."),
    ),
    "expired": (
        N_("Licence expired in %(country)s on %(date)s."),
        N_("Licence expired in %(country)s."),
    ),
}


@dataclass(frozen=True, slots=True)
class Standing:
    """One country's standing: `code` is licensed, suspended, revoked, banned or expired;
    `on` the date that goes with it (valid until, suspended until, revoked on, banned since,
    expired on), when known."""

    country: str
    code: str
    on: date | None = None

    @property
    def template(self) -> str:
        dated, undated = _STANDING_TEXTS[self.code]
        return dated if self.on is not None else undated

    def text(
        self,
        gettext: Callable[[str], str] = lambda s: s,
        date_format: Callable[[date], str] = date.isoformat,
        country_name: Callable[[str], str] = lambda c: c,
    ) -> str:
        values = {"country": country_name(self.country), "date": ""}
        if self.on is not None:
            values["date"] = date_format(self.on)
        return gettext(self.template) % values

    @property
    def tone(self) -> str:
        return {"licensed": "ok", "expired": "warning"}.get(self.code, "danger")


@dataclass(frozen=True, slots=True)
class Verdict:
    code: str
    reasons: tuple[Reason, ...]
    standings: tuple[Standing, ...] = ()  # each country's, most severe first

    @property
    def summary_template(self) -> str:
        return SUMMARIES[self.code]

    def summary(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        return gettext(self.summary_template)


def _authority_name(record: Any) -> str:
    authority = getattr(record, "authority", None)
    return authority.name if authority is not None else "—"


def sanction_in_force(sanction: Any, on: date) -> bool:
    """Public (confirmed where it needed to be), started, not ended, lifted or overturned."""
    if getattr(sanction, "status", "in_force") != "in_force":
        return False
    if sanction.appeal_state == "overturned" or sanction.starts_on > on:
        return False
    lifted_on = getattr(sanction, "lifted_on", None)
    if lifted_on is not None and lifted_on <= on:
        return False
    return sanction.ends_on is None or sanction.ends_on >= on


_SANCTION_CODES = {"ban": "banned", "revocation": "revoked", "suspension": "suspended"}


def concerns(sanction: Any, licence: Any) -> bool:
    """Does a ban, revocation or suspension act on this licence? The licence it names; when it
    names none, every licence of the authority that imposed it."""
    if sanction.type not in _SANCTION_CODES:
        return False
    named = getattr(sanction, "licence_id", None)
    if named is not None:
        return named == getattr(licence, "id", None)
    return getattr(sanction, "authority_id", None) == getattr(licence, "authority_id", None)


def _acting_sanction(licence: Any, sanctions: Iterable[Any], on: date) -> Any | None:
    """The most severe ban, revocation or suspension in force on `on` acting on the licence."""
    acting = [s for s in sanctions if sanction_in_force(s, on) and concerns(s, licence)]
    return min(acting, key=lambda s: SEVERITY.index(_SANCTION_CODES[s.type]), default=None)


def effective_licence_status(licence: Any, on: date, sanctions: Iterable[Any] = ()) -> str:
    """The status a licence really has on `on`, given the agency's sanctions; 'pending' when it
    is not valid yet."""
    if licence.status in ("revoked", "banned"):
        return licence.status
    acting = _acting_sanction(licence, sanctions, on)
    if acting is not None and acting.type in ("ban", "revocation"):
        return _SANCTION_CODES[acting.type]
    if licence.valid_until is not None and licence.valid_until < on:
        return "expired"
    if acting is not None:
        return "suspended"
    if licence.status == "active" and licence.valid_from is not None and licence.valid_from > on:
        return "pending"
    return licence.status


def _licence_reason(licence: Any, status: str, acting: Any | None = None) -> Reason:
    params = {
        "number": licence.number,
        "authority": _authority_name(licence),
        "until": licence.valid_until or "",
        "since": licence.valid_from or "",
    }
    if status == "suspended" and acting is not None and acting.ends_on:
        params["end"] = acting.ends_on
        return Reason(
            N_("Licence %(number)s issued by %(authority)s is suspended until %(end)s."),
            params,
            "danger",
        )
    if status == "active" and licence.valid_until:
        return Reason(
            N_("Licence %(number)s issued by %(authority)s is active until %(until)s."),
            params,
            "ok",
        )
    if status == "active":
        return Reason(
            N_("Licence %(number)s issued by %(authority)s is active, with no end date."),
            params,
            "ok",
        )
    if status == "expired" and licence.valid_until:
        return Reason(
            N_("Licence %(number)s issued by %(authority)s expired on %(until)s."),
            params,
            "warning",
        )
    if status == "pending":
        return Reason(
            N_("Licence %(number)s issued by %(authority)s is not valid before %(since)s."),
            params,
            "warning",
        )
    templates = {
        "expired": N_("Licence %(number)s issued by %(authority)s has expired."),
        "suspended": N_("Licence %(number)s issued by %(authority)s is suspended."),
        "revoked": N_("Licence %(number)s issued by %(authority)s has been revoked."),
        "banned": N_(
            "Licence %(number)s issued by %(authority)s is cancelled and its holder banned."
        ),
    }
    return Reason(templates[status], params, "danger" if status != "expired" else "warning")


def _sanction_reason(sanction: Any, on: date) -> Reason:
    lifted_on = getattr(sanction, "lifted_on", None)
    params = {
        "type_label": SANCTION_TYPES.get(sanction.type, sanction.type),
        "authority": _authority_name(sanction),
        "ref": sanction.decision_ref or "—",
        "start": sanction.starts_on,
        "end": sanction.ends_on or "",
        "lifted": lifted_on or "",
    }
    if sanction.appeal_state == "overturned":
        return Reason(
            N_("%(type_label)s by %(authority)s (decision %(ref)s) was overturned on appeal."),
            params,
            "info",
        )
    if lifted_on is not None and lifted_on <= on:
        return Reason(
            N_(
                "%(type_label)s by %(authority)s from %(start)s (decision %(ref)s) was "
                "lifted on %(lifted)s."
            ),
            params,
            "info",
        )
    if not sanction_in_force(sanction, on):
        if sanction.starts_on > on:
            return Reason(
                N_("%(type_label)s by %(authority)s will apply from %(start)s (decision %(ref)s)."),
                params,
                "warning",
            )
        return Reason(
            N_(
                "Past sanction: %(type_label)s by %(authority)s from %(start)s to %(end)s "
                "(decision %(ref)s); it has ended."
            ),
            params,
            "info",
        )
    severe = sanction.type in ("suspension", "revocation", "ban")
    tone = "danger" if severe else "warning"
    if sanction.ends_on:
        template = N_(
            "%(type_label)s by %(authority)s from %(start)s to %(end)s, decision %(ref)s."
        )
    else:
        template = N_(
            "%(type_label)s by %(authority)s since %(start)s, with no end date, decision %(ref)s."
        )
    return Reason(template, params, tone)


_WARNING_SANCTIONS = ("warning", "fine", "condition", "criminal_referral")


def evaluate(
    *,
    licences: Iterable[Any],
    sanctions: Iterable[Any],
    findings: Iterable[Any] = (),
    red_flags: Iterable[Any] = (),
    on: date,
) -> Verdict:
    """Return the verdict for one agency's records on the date `on`."""
    licences = list(licences)
    # Four eyes: a sanction awaiting a second regulator's confirmation is not public yet.
    sanctions = [s for s in sanctions if getattr(s, "status", "in_force") == "in_force"]
    # country -> state -> the date that goes with it (None when unknown)
    countries: dict[str, dict[str, date | None]] = {}
    reasons: list[Reason] = []
    warnings = False

    for licence in sorted(licences, key=lambda lic: lic.valid_until or date.max, reverse=True):
        status = effective_licence_status(licence, on, sanctions)
        acting = _acting_sanction(licence, sanctions, on)
        reasons.append(_licence_reason(licence, status, acting))
        state = {"active": "licensed", "pending": "unlicensed"}.get(status, status)
        _note(countries, _country(licence), state, _licence_date(licence, state, acting))
        if status == "active" and licence.conditions:
            warnings = True
            reasons.append(
                Reason(
                    N_("Licence %(number)s carries conditions: %(conditions)s"),
                    {"number": licence.number, "conditions": licence.conditions},
                    "warning",
                )
            )

    for sanction in sorted(sanctions, key=lambda s: s.starts_on, reverse=True):
        reasons.append(_sanction_reason(sanction, on))
        if not sanction_in_force(sanction, on):
            continue
        if sanction.appeal_state == "pending":
            reasons.append(
                Reason(
                    N_(
                        "An appeal against decision %(ref)s is pending; the sanction "
                        "applies meanwhile."
                    ),
                    {"ref": sanction.decision_ref or "—"},
                    "warning",
                )
            )
        if sanction.type in _SANCTION_CODES:
            state = _SANCTION_CODES[sanction.type]
            dated = sanction.ends_on if state == "suspended" else sanction.starts_on
            _note(countries, _country(sanction), state, dated)
        elif sanction.type in _WARNING_SANCTIONS:
            warnings = True

    for finding in findings:
        if finding.decided_on <= on:
            warnings = True
            reasons.append(
                Reason(
                    N_("Finding by %(authority)s on %(date)s (reference %(ref)s): %(summary)s"),
                    {
                        "authority": _authority_name(finding),
                        "date": finding.decided_on,
                        "ref": finding.reference or "—",
                        "summary": finding.summary,
                    },
                    "warning",
                )
            )

    substantiated = [f for f in red_flags if f.state == "substantiated"]
    for flag in substantiated:
        warnings = True
        reasons.append(
            Reason(
                N_("A red flag was substantiated by a regulator: %(category_label)s."),
                {"category_label": RED_FLAG_CATEGORIES.get(flag.category, flag.category)},
                "warning",
            )
        )

    if not licences:
        reasons.insert(
            0,
            Reason(
                N_(
                    "No licence is recorded for this agency. Recruiting without a "
                    "licence is illegal in most countries."
                ),
                {},
                "danger",
            ),
        )
    standings = _standings(countries)
    code = _regional(standings, warnings)
    return Verdict(
        code=code,
        reasons=tuple(sorted(reasons, key=_order_for(code))),
        standings=tuple(s for s in standings if s.country),  # unnamed countries are not shown
    )


def _country(record: Any) -> str:
    """The country a licence was issued in, or a sanction imposed in ("" when not recorded)."""
    return getattr(record, "country", "") or ""


def _note(countries: dict, country: str, state: str, on: date | None) -> None:
    """Record that `state` holds in `country`, keeping the latest date for it."""
    held = countries.setdefault(country, {})
    if state not in held or (on is not None and (held[state] is None or on > held[state])):
        held[state] = on


def _licence_date(licence: Any, state: str, acting: Any | None) -> date | None:
    if state in ("licensed", "expired"):
        return licence.valid_until
    if acting is not None:
        return acting.ends_on if state == "suspended" else acting.starts_on
    return None


def _standings(countries: dict[str, dict[str, date | None]]) -> tuple[Standing, ...]:
    """Each country's standing: its most severe state (within a country, a suspension outweighs
    a licence), most severe countries first."""
    found = []
    for country, held in countries.items():
        code = next((c for c in SEVERITY if c in held and c in _STANDING_TEXTS), None)
        if code is not None:
            found.append(Standing(country, code, held[code]))
    return tuple(sorted(found, key=lambda s: (SEVERITY.index(s.code), s.country)))


def _regional(standings: tuple[Standing, ...], warnings: bool) -> str:
    """The verdict for the region (see the module's docstring)."""
    codes = {s.code for s in standings}
    for severe in ("banned", "revoked"):
        if severe in codes:
            return severe
    if "licensed" in codes:
        return "licensed_with_warnings" if warnings or "suspended" in codes else "licensed"
    return next((c for c in SEVERITY if c in codes), "unlicensed")


# The reasons that decide a badge come first: for a licensed agency its valid licence, for any
# other the most serious facts. The order within a tone is kept (newest first).
_TONE_ORDER = {"danger": 0, "warning": 1, "ok": 2, "info": 3}
_LICENSED_TONE_ORDER = {"ok": 0, "danger": 1, "warning": 2, "info": 3}


def _order_for(code: str) -> Callable[[Reason], int]:
    order = _LICENSED_TONE_ORDER if code in ("licensed", "licensed_with_warnings") else _TONE_ORDER
    return lambda reason: order[reason.tone]
