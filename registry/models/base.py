from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware UTC now (SQLModel's UTCDateTime columns require an aware value)."""
    return datetime.now(UTC)
