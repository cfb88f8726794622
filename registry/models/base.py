from datetime import datetime, timezone


def utcnow() -> datetime:
    """Timezone-aware UTC now (SQLModel's UTCDateTime columns require an aware value)."""
    return datetime.now(timezone.utc)
