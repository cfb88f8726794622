"""Is a charge in a job offer allowed? A pure function of the charge, the costs of the
migration category in force that day, and one rule that holds everywhere: the ILO's Private
Employment Agencies Convention (C181, art. 7) says agencies shall not charge workers fees for
recruitment, so a recruitment or placement fee is never the worker's to pay unless the
category's own rule says otherwise.

The outcomes, from the worker's side:
- `not_allowed`: the employer pays this (the category says so), or it is a recruitment fee;
- `too_much`: the worker pays this, but more than the official amount (same currency);
- `allowed`: the worker pays this, up to the official amount where there is one;
- `unknown`: no rule recorded for this cost: ask before paying (a help line, the consulate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from registry.models import CategoryItem

OUTCOMES = ("not_allowed", "too_much", "allowed", "unknown")


@dataclass(frozen=True)
class Charge:
    purpose: str  # registry.vocab.CHARGE_PURPOSES
    amount: Decimal
    currency: str  # ISO 4217, upper case


@dataclass(frozen=True)
class Judgement:
    charge: Charge
    outcome: str
    rule: CategoryItem | None  # the category's cost that decided it, if any
    by_convention: bool = False  # decided by C181 art. 7, not by a rule of the category


def judge(charge: Charge, costs: list[CategoryItem], on: date) -> Judgement:
    rules = [
        c for c in costs if c.kind == "cost" and c.purpose == charge.purpose and c.in_force(on)
    ]
    rule = next((r for r in rules if r.payer == "employer"), None) or next(iter(rules), None)
    if rule is None:
        if charge.purpose == "recruitment":
            return Judgement(charge, "not_allowed", None, by_convention=True)
        return Judgement(charge, "unknown", None)
    if rule.payer == "employer":
        return Judgement(charge, "not_allowed", rule)
    if rule.amount is not None and rule.currency == charge.currency and charge.amount > rule.amount:
        return Judgement(charge, "too_much", rule)
    return Judgement(charge, "allowed", rule)


def judge_all(charges: list[Charge], costs: list[CategoryItem], on: date) -> list[Judgement]:
    return [judge(charge, costs, on) for charge in charges]


def worst(judgements: list[Judgement]) -> str | None:
    """The outcome the answer leads with: the most serious of the charges'."""
    found = {j.outcome for j in judgements}
    return next((o for o in OUTCOMES if o in found), None)
