"""What a task says about itself: shared by a day's Task and the TaskTemplate it is posted from."""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so


class Demand(StrEnum):
    """How physically demanding a task is."""

    LIGHT = "light"
    MODERATE = "moderate"
    HEAVY = "heavy"


class Setting(StrEnum):
    INDOOR = "indoor"
    OUTDOOR = "outdoor"


class TaskContent:
    """Columns and text helpers common to tasks and templates (a declarative mixin)."""

    title: so.Mapped[str] = so.mapped_column(sa.String(120))
    title_sv: so.Mapped[Optional[str]] = so.mapped_column(sa.String(120))
    title_en: so.Mapped[Optional[str]] = so.mapped_column(sa.String(120))
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description_sv: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    description_en: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    category: so.Mapped[str] = so.mapped_column(sa.String(30))
    place: so.Mapped[str] = so.mapped_column(sa.String(200))
    start_time: so.Mapped[time] = so.mapped_column(sa.Time)
    end_time: so.Mapped[time] = so.mapped_column(sa.Time)
    capacity: so.Mapped[int] = so.mapped_column(sa.Integer)
    bring: so.Mapped[Optional[str]] = so.mapped_column(sa.String(300))
    provided: so.Mapped[Optional[str]] = so.mapped_column(sa.String(300))
    physical_demand: so.Mapped[str] = so.mapped_column(sa.String(10), default=Demand.LIGHT)
    setting: so.Mapped[str] = so.mapped_column(sa.String(10), default=Setting.INDOOR)
    meal_included: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True)
    outcome_unit: so.Mapped[Optional[str]] = so.mapped_column(sa.String(60))

    @property
    def ends_at_midnight(self) -> bool:
        """00:00 as an end time is midnight, the end of the day (shown as 24.00)."""
        return self.end_time == MIDNIGHT

    def in_language(self, field: str, locale: str) -> bool:
        """Whether `field` has a text of its own in `locale` (Finnish, the staff's language, always has)."""
        return locale not in ("sv", "en") or bool(getattr(self, f"{field}_{locale}"))

    def localized(self, field: str, locale: str) -> str:
        """The Finnish text, or its Swedish or English version when there is one."""
        if locale in ("sv", "en"):
            value = getattr(self, f"{field}_{locale}")
            if value:
                return value
        return getattr(self, field)


# 00:00 as an end time means midnight, the end of the day; SQLite compares times as text, hence the literal.
ENDS_AFTER_START = "end_time > start_time OR end_time < '00:00:01'"
MIDNIGHT = time(0)


def ends_after_start(start: time, end: time) -> bool:
    """The rule of ENDS_AFTER_START, for forms: an end after the start, or at midnight."""
    return end > start or end == MIDNIGHT


def ends_at(day: date, end_time: time, zone: tzinfo) -> datetime:
    """When something on `day` ending at `end_time` is over, in `zone`: an end at 00:00 is the next midnight.

    Every place that decides whether a task has ended asks this (through Task.ends_at)."""
    end_day = day + timedelta(days=1) if end_time == MIDNIGHT else day
    return wall_clock(datetime.combine(end_day, end_time, tzinfo=zone))


def wall_clock(local: datetime) -> datetime:
    """The moment a clock in `local`'s zone shows `local`: in the hour the spring change skips, the moment
    the clocks jump (03:30 on a day 03:00 becomes 04:00 is 04:00); in the hour autumn repeats, its first pass."""
    zone = local.tzinfo
    first = local.replace(fold=0).astimezone(UTC)  # with the offset in force before a change
    second = local.replace(fold=1).astimezone(UTC)  # with the offset after it
    if first <= second:
        return first.astimezone(zone)
    # A time that never happens: the jump lies between the two readings; find it to the second.
    before, after = second, first
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        if middle.astimezone(zone).utcoffset() == local.replace(fold=1).utcoffset():
            after = middle
        else:
            before = middle
    return after.replace(microsecond=0).astimezone(zone)


# Every content field, in one place: the forms, the audit log and posting from templates derive theirs from it.
CONTENT_FIELDS = tuple(TaskContent.__annotations__)
