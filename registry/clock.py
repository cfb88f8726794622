from datetime import date, datetime, timezone


def today() -> date:
    """The date verdicts are computed for: today in UTC."""
    return datetime.now(timezone.utc).date()
