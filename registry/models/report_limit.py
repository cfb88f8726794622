from datetime import date

from sqlmodel import Field, SQLModel


class DailyKey(SQLModel, table=True):
    """A random key for one day's report counters; deleted with them when the day is over, after
    which no counter can be tied to an address by anyone, the database's owner included."""

    __tablename__ = "daily_key"
    day: date = Field(primary_key=True)
    key: str = Field(max_length=64)


class ReportCounter(SQLModel, table=True):
    """How many anonymous reports one address sent on one day, under HMAC(that day's key,
    address). A count, never a row per report, and with no time of its own: nothing in it tells
    which report came from where."""

    __tablename__ = "report_counter"
    key: str = Field(max_length=64, primary_key=True)
    day: date = Field(index=True)
    count: int = 0
