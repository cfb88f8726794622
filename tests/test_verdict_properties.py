"""The verdict's reasons never contradict its badge, over generated records (Hypothesis)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.verdict import effective_licence_status, evaluate

ON = date(2026, 6, 1)
SEVERE = ("banned", "revoked", "suspended")


@dataclass(frozen=True)
class Auth:
    name: str


@dataclass
class Licence:
    id: int
    number: str
    status: str
    valid_from: date | None
    valid_until: date | None
    conditions: str
    authority_id: int | None

    @property
    def authority(self):
        return Auth(f"Authority {self.authority_id}")


@dataclass
class Sanction:
    type: str
    status: str
    appeal_state: str
    starts_on: date
    ends_on: date | None
    lifted_on: date | None
    licence_id: int | None
    authority_id: int | None
    decision_ref: str = "D-1"

    @property
    def authority(self):
        return Auth(f"Authority {self.authority_id}")


@dataclass
class Flag:
    state: str
    category: str = "recruitment_fee"


@dataclass
class Finding:
    decided_on: date
    reference: str = "F-1"
    summary: str = "Charged fees"
    authority: Auth = Auth("Authority 1")


days = st.integers(min_value=-800, max_value=800).map(lambda n: ON + timedelta(days=n))
maybe_day = st.none() | days
authority_ids = st.sampled_from([1, 2, None])


@st.composite
def licences(draw):
    count = draw(st.integers(min_value=0, max_value=3))
    return [
        Licence(
            id=i + 1,
            number=f"L-{i + 1}",
            status=draw(st.sampled_from(["active", "suspended", "revoked", "banned", "expired"])),
            valid_from=draw(maybe_day),
            valid_until=draw(maybe_day),
            conditions=draw(st.sampled_from(["", "no recruiting for farms"])),
            authority_id=draw(authority_ids),
        )
        for i in range(count)
    ]


def sanctions(licence_count: int):
    return st.lists(
        st.builds(
            Sanction,
            type=st.sampled_from(
                [
                    "warning",
                    "fine",
                    "condition",
                    "suspension",
                    "revocation",
                    "ban",
                    "criminal_referral",
                ]
            ),
            status=st.sampled_from(["in_force", "in_force", "awaiting_confirmation"]),
            appeal_state=st.sampled_from(["none", "pending", "upheld", "overturned"]),
            starts_on=days,
            ends_on=maybe_day,
            lifted_on=maybe_day,
            licence_id=st.none() | st.integers(min_value=1, max_value=max(licence_count, 1)),
            authority_id=authority_ids,
        ),
        max_size=4,
    )


@st.composite
def records(draw):
    held = draw(licences())
    return (
        held,
        draw(sanctions(len(held))),
        draw(st.lists(st.builds(Finding, decided_on=days), max_size=2)),
        draw(
            st.lists(
                st.builds(
                    Flag,
                    state=st.sampled_from(
                        ["received", "under_review", "substantiated", "unsubstantiated"]
                    ),
                ),
                max_size=3,
            )
        ),
    )


@settings(max_examples=600, deadline=None)
@given(records())
def test_the_reasons_never_contradict_the_badge(generated):
    held, imposed, findings, flags = generated
    verdict = evaluate(licences=held, sanctions=imposed, findings=findings, red_flags=flags, on=ON)
    tones = [r.tone for r in verdict.reasons]
    texts = [r.text() for r in verdict.reasons]
    assert verdict.reasons, "every badge is explained"
    if verdict.code in SEVERE:
        assert tones[0] == "danger"
    if verdict.code in ("licensed", "licensed_with_warnings"):
        assert tones[0] == "ok" and "danger" not in tones
    if verdict.code == "licensed_with_warnings":
        assert "warning" in tones
    if verdict.code in ("expired", "unlicensed"):
        assert "ok" not in tones
    for licence in held:  # the licence's own reason says what the table says of it
        status = effective_licence_status(licence, ON, imposed)
        own = [t for t in texts if t.startswith(f"Licence {licence.number} issued by")]
        says_active = any(" is active" in t for t in own)
        assert says_active == (status == "active"), (status, own)
        if status == "active":
            assert verdict.code in ("licensed", "licensed_with_warnings") + SEVERE
