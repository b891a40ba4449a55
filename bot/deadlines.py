"""Personal deadlines: pure date arithmetic from the rules in ``content/facts.yaml``.

The rules (day counts, reminder offsets) are content, edited with their sources; this module only
counts. Where the law's day-counting is ambiguous we choose the earlier, safer date: the day of
entry counts as day 1 of a stay, so "30 days from entry" ends on entry + 29 days, and a stay from
1 to 3 May is 3 days in Kazakhstan.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "Rules",
    "Profile",
    "Deadline",
    "registration_deadline",
    "days_present",
    "last_legal_day",
    "add_months",
    "permit_paid_until",
    "compute",
    "send_day",
]

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Rules:
    """Day counts and reminder offsets (``content/facts.yaml``, key ``deadlines``)."""

    registration_days: int = 30
    stay_days: int = 90
    window_days: int = 180
    offsets: tuple[int, ...] = (7, 3, 1, 0)
    hour: int = 10


@dataclass(frozen=True)
class Profile:
    """What the user told us: only what the deadlines need."""

    citizenship: str  # "kg" | "uz"
    entry: dt.date
    stays: tuple[tuple[dt.date, dt.date], ...] = ()  # earlier stays, both days inclusive
    permit_start: dt.date | None = None
    permit_months: int | None = None
    contract_end: dt.date | None = None


@dataclass(frozen=True)
class Deadline:
    kind: str  # "reg" | "stay" | "permit" | "contract"
    date: dt.date
    extra: dict[str, int] = field(default_factory=dict, compare=False)


def registration_deadline(entry: dt.date, days: int) -> dt.date:
    """The last day to register: day ``days`` of the stay, the day of entry being day 1."""
    return entry + dt.timedelta(days=days - 1)


def days_present(
    day: dt.date, entry: dt.date, stays: tuple[tuple[dt.date, dt.date], ...], window: int
) -> int:
    """Days in Kazakhstan within the ``window`` days ending on ``day`` (inclusive), staying on from entry."""
    start = day - dt.timedelta(days=window - 1)
    present: set[dt.date] = set()
    for first, last in stays:
        d = max(first, start)
        while d <= min(last, day, entry - _DAY):
            present.add(d)
            d += _DAY
    d = max(entry, start)
    while d <= day:
        present.add(d)
        d += _DAY
    return len(present)


def last_legal_day(
    entry: dt.date, stays: tuple[tuple[dt.date, dt.date], ...], stay_days: int = 90, window: int = 180
) -> dt.date:
    """The last day the user may still be in Kazakhstan under "``stay_days`` in any ``window``".

    Staying on from ``entry``, the count over the moving window never goes down (each new day adds
    one, at most one old day drops out), so the answer is the day before the count first exceeds
    ``stay_days``. If even the day of entry exceeds it, the day before entry is returned.
    """
    day = entry
    limit = entry + dt.timedelta(days=stay_days + window)
    while day <= limit and days_present(day, entry, stays, window) <= stay_days:
        day += _DAY
    return day - _DAY


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def permit_paid_until(start: dt.date, months: int) -> dt.date:
    """The last day covered by ``months`` paid from ``start`` (1 Oct + 1 month = until 31 Oct)."""
    return add_months(start, months) - _DAY


def compute(profile: Profile, rules: Rules) -> list[Deadline]:
    """Every deadline that follows from the profile, earliest first."""
    out = [
        Deadline("reg", registration_deadline(profile.entry, rules.registration_days)),
        Deadline("stay", last_legal_day(profile.entry, profile.stays, rules.stay_days, rules.window_days)),
    ]
    if profile.citizenship == "uz" and profile.permit_start and profile.permit_months:
        out.append(Deadline("permit", permit_paid_until(profile.permit_start, profile.permit_months)))
    if profile.citizenship == "kg" and profile.contract_end:
        out.append(Deadline("contract", profile.contract_end))
    return sorted(out, key=lambda d: (d.date, d.kind))


def send_day(deadline: dt.date, offset: int) -> dt.date:
    """The day a reminder ``offset`` days before ``deadline`` goes out."""
    return deadline - dt.timedelta(days=offset)
