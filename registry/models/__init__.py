"""The registry's tables. Importing this package registers every table on SQLModel.metadata."""

from registry.models.agency import (
    Agency,
    AgencyContact,
    AgencyCorridor,
    AgencyName,
    Representative,
)
from registry.models.alert import Notice, Watch
from registry.models.audit import AuditEntry, AuditHead
from registry.models.authority import Authority
from registry.models.base import utcnow
from registry.models.finding import Finding, FindingRedFlag
from registry.models.guidance import CategoryItem, HelpContact, MigrationCategory
from registry.models.inspection import Inspection
from registry.models.licence import Licence
from registry.models.mail import MailOutbox
from registry.models.outbox import IndexOutbox
from registry.models.proof import ProofOfCheck
from registry.models.public_text import PublicText
from registry.models.red_flag import EvidenceContent, EvidenceFile, RedFlag
from registry.models.referral import Referral
from registry.models.report_limit import DailyKey, ReportCounter
from registry.models.sanction import Sanction, SanctionEvent
from registry.models.source import ListMatch, ListSource
from registry.models.statistics import (
    LookupTally,
    PlacementReturn,
    SearchedName,
    StatisticsSnapshot,
)
from registry.models.user import LoginAttempt, User

__all__ = [
    "LookupTally",
    "PlacementReturn",
    "SearchedName",
    "StatisticsSnapshot",
    "CategoryItem",
    "HelpContact",
    "MigrationCategory",
    "Agency",
    "AgencyContact",
    "AgencyCorridor",
    "AuditEntry",
    "AuditHead",
    "AgencyName",
    "Authority",
    "DailyKey",
    "EvidenceContent",
    "EvidenceFile",
    "Finding",
    "FindingRedFlag",
    "IndexOutbox",
    "Inspection",
    "Licence",
    "ListMatch",
    "ListSource",
    "LoginAttempt",
    "MailOutbox",
    "Notice",
    "ProofOfCheck",
    "PublicText",
    "RedFlag",
    "Referral",
    "ReportCounter",
    "Representative",
    "Sanction",
    "SanctionEvent",
    "User",
    "Watch",
    "utcnow",
]
