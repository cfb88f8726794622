"""The domain's vocabularies: stored codes and their translatable labels.

Codes are what the database, the CSV and the API carry; labels are what people read.
`N_` only marks a string for extraction; `label()` translates it when a page is rendered.
"""

from __future__ import annotations


def N_(text: str) -> str:
    """Mark a string for translation without translating it (translated at render time)."""
    return text


AGENCY_KINDS = {
    "agency": N_("Recruitment agency"),
    "consultant": N_("Immigration consultant"),
    "employer": N_("Employer hiring directly"),
    "subagent": N_("Sub-agent"),
}

AUTHORITY_KINDS = {
    "licensing": N_("Licensing regulator"),
    "inspectorate": N_("Labour inspectorate of a destination country"),
    "consulate": N_("Consulate or labour attaché abroad"),
    "register": N_("Another register whose list is imported"),
}

CORRIDOR_DIRECTIONS = {
    "origin": N_("Recruits workers in"),
    "destination": N_("Places workers in"),
}

REFERRAL_STATES = {
    "pending": N_("Waiting for an answer"),
    "accepted": N_("Accepted: the authority will act on it"),
    "declined": N_("Declined"),
}

REFERRAL_ANSWERS = {
    "accepted": N_("Accept: my authority will act on it"),
    "declined": N_("Decline"),
}

LICENCE_STATUSES = {
    "active": N_("Active"),
    "suspended": N_("Suspended"),
    "revoked": N_("Revoked"),
    "expired": N_("Expired"),
    "banned": N_("Banned"),
}

# The languages a regulator's public text may be written or translated in (registry.public.texts).
TEXT_LANGUAGES = ("es", "en", "fr", "pt", "ht")

DASHBOARD_LICENCE_FILTERS = {  # registry.regulation.dashboard.LICENCE_FILTERS
    "active": N_("Licensed"),
    "expiring": N_("Expiring in 60 days"),
    "expired": N_("Expired"),
    "suspended": N_("Suspended"),
    "revoked": N_("Revoked or banned"),
    "none": N_("No licence from us"),
}

SANCTION_TYPES = {
    "warning": N_("Warning"),
    "fine": N_("Fine"),
    "condition": N_("Licence condition or restriction"),
    "suspension": N_("Suspension"),
    "revocation": N_("Revocation"),
    "ban": N_("Ban"),
    "criminal_referral": N_("Criminal referral"),
}

APPEAL_STATES = {
    "none": N_("No appeal"),
    "pending": N_("Appeal pending (the sanction applies meanwhile)"),
    "upheld": N_("Upheld on appeal"),
    "overturned": N_("Overturned on appeal"),
}

# What can happen to a sanction after it is imposed (registry.regulation.sanctions).
SANCTION_EVENTS = {
    "lifted": N_("Lifted"),
    "appeal_lodged": N_("Appeal lodged"),
    "appeal_upheld": N_("Upheld on appeal"),
    "appeal_overturned": N_("Overturned on appeal"),
}

RED_FLAG_CATEGORIES = {
    "recruitment_fee": N_("Recruitment fee charged to the worker"),
    "document_retention": N_("Passport or ID retained"),
    "deceptive_offer": N_("Deceptive job offer or contract substitution"),
    "unlicensed": N_("Operating without a licence"),
    "impersonation": N_("Impersonating a licensed agency or an official"),
    "guaranteed_visa": N_("Guaranteed visa or job promised for money"),
    "coercion": N_("Threats, coercion or debt bondage"),
    "wage_theft": N_("Wage theft or illegal deductions"),
    "sexual_abuse": N_("Sexual harassment or abuse"),
    "trafficking": N_("Trafficking indicators"),
    "other": N_("Other"),
}

RED_FLAG_STATES = {
    "received": N_("Received"),
    "under_review": N_("Under review"),
    "substantiated": N_("Substantiated"),
    "unsubstantiated": N_("Unsubstantiated"),
    "referred": N_("Referred to an authority"),
}

# What a reporter reads on the status page: what the state means and what happens next.
RED_FLAG_NEXT_STEPS = {
    "received": N_(
        "Your report is waiting for a regulator to read it. This usually takes a few "
        "days. Keep your code and come back later."
    ),
    "under_review": N_(
        "A regulator is looking into it. If you left a way to contact you, they "
        "may write to you for more details."
    ),
    "substantiated": N_(
        "A regulator confirmed what you reported. It is now shown on the "
        "agency's public page, to warn others."
    ),
    "unsubstantiated": N_(
        "The regulator could not confirm it with the information available. "
        "If you have more evidence, send a new report."
    ),
    "referred": N_(
        "It was passed to another authority that can act on it (for example the "
        "police or a labour inspectorate)."
    ),
}

REPORTER_TYPES = {"ngo": N_("NGO"), "public": N_("Member of the public")}

NAME_TYPES = {"trade": N_("Trade name"), "former": N_("Former name"), "alias": N_("Also known as")}

CONTACT_TYPES = {"phone": N_("Phone"), "email": N_("E-mail"), "website": N_("Website")}

VERDICTS = {
    "licensed": N_("Licensed"),
    "licensed_with_warnings": N_("Licensed, with warnings"),
    "suspended": N_("Suspended"),
    "revoked": N_("Licence revoked"),
    "banned": N_("Banned"),
    "expired": N_("Licence expired"),
    "unlicensed": N_("No licence"),
}

INSPECTION_KINDS = {"inspection": N_("Inspection"), "monitoring_visit": N_("Monitoring visit")}

INSPECTION_OUTCOMES = {
    "compliant": N_("Compliant"),
    "issues_found": N_("Issues found"),
    "serious_breaches": N_("Serious breaches"),
}

OUTCOMES = ("match", "similar", "none")

# Entry requirements (registry.guidance): what an item of a migration category is.
REQUIREMENT_KINDS = {
    "document": N_("Document you need"),
    "cost": N_("Cost"),
}

# What a worker may be asked to pay for: the costs of a category, and the offer check's charges.
CHARGE_PURPOSES = {
    "recruitment": N_("Recruitment or placement fee"),
    "visa": N_("Visa or work permit"),
    "travel": N_("Travel to the job"),
    "medical": N_("Medical exam"),
    "documents": N_("Papers and paperwork"),
    "training": N_("Training or course"),
    "housing": N_("Housing"),
    "deposit": N_("Deposit or guarantee"),
    "other": N_("Something else"),
}

PAYERS = {
    "worker": N_("The worker pays"),
    "employer": N_("The employer pays"),
}

# The directory of help (registry.guidance).
HELP_KINDS = {
    "trafficking_hotline": N_("Help line for trafficking victims"),
    "hotline": N_("Help line"),
    "consulate": N_("Consulate or embassy"),
    "labour_attache": N_("Labour attaché"),
    "legal_aid": N_("Free legal help"),
    "ngo": N_("Organisation that helps migrants"),
}
