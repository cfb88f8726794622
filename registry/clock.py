from datetime import UTC, date, datetime


def today() -> date:
    """The date verdicts are computed for: today in UTC."""
    return datetime.now(UTC).date()
