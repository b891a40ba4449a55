"""Operators' working hours: ``OPERATOR_HOURS="Mon-Fri 09:00-18:00"`` in Kazakhstan time.

Several spans may be separated by commas (``"Mon-Fri 09:00-18:00, Sat 10:00-14:00"``). Unset
means around the clock. ``24:00`` may end a span.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from bot.i18n import BABEL_LOCALES

__all__ = ["KZ_TZ", "OperatorHours", "HoursError"]

#: Kazakhstan's single time zone since 1 March 2024 (UTC+5).
KZ_TZ = ZoneInfo("Asia/Almaty")

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(
    r"^(?P<d1>[a-z]{3})(?:-(?P<d2>[a-z]{3}))?\s+(?P<h1>\d{1,2}):(?P<m1>\d{2})-(?P<h2>\d{1,2}):(?P<m2>\d{2})$"
)


class HoursError(ValueError):
    """OPERATOR_HOURS cannot be read."""


@dataclass(frozen=True)
class _Span:
    first_day: int
    last_day: int
    start: int  # minutes after midnight
    end: int

    def days(self) -> list[int]:
        if self.first_day <= self.last_day:
            return list(range(self.first_day, self.last_day + 1))
        return [*range(self.first_day, 7), *range(self.last_day + 1)]


@dataclass(frozen=True)
class OperatorHours:
    """When operators answer. ``spans`` empty = always."""

    spans: tuple[_Span, ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> OperatorHours:
        if not text or not text.strip():
            return cls()
        spans = []
        for part in text.split(","):
            m = _SPAN.match(part.strip().lower())
            if m is None or m["d1"] not in _DAYS or (m["d2"] and m["d2"] not in _DAYS):
                raise HoursError(
                    f"OPERATOR_HOURS: cannot read {part.strip()!r}; write e.g. 'Mon-Fri 09:00-18:00'"
                )
            start = int(m["h1"]) * 60 + int(m["m1"])
            end = int(m["h2"]) * 60 + int(m["m2"])
            if not (0 <= start < end <= 24 * 60) or int(m["m1"]) > 59 or int(m["m2"]) > 59:
                raise HoursError(f"OPERATOR_HOURS: {part.strip()!r} is not a time span within one day")
            first = _DAYS.index(m["d1"])
            last = _DAYS.index(m["d2"]) if m["d2"] else first
            spans.append(_Span(first, last, start, end))
        return cls(tuple(spans))

    @property
    def always(self) -> bool:
        return not self.spans

    def is_open(self, moment: dt.datetime) -> bool:
        """Whether operators work at ``moment`` (an aware time, or a naive time in Kazakhstan)."""
        if self.always:
            return True
        if moment.tzinfo is not None:
            moment = moment.astimezone(KZ_TZ)
        minute = moment.hour * 60 + moment.minute
        return any(moment.weekday() in s.days() and s.start <= minute < s.end for s in self.spans)

    def describe(self, lang: str) -> str:
        """The hours in the user's language, e.g. "пн–пт 09:00–18:00"."""
        if self.always:
            return "24/7"
        names = get_day_names("abbreviated", locale=BABEL_LOCALES.get(lang, lang))
        out = []
        for s in self.spans:
            days = (
                names[s.first_day]
                if s.first_day == s.last_day
                else f"{names[s.first_day]}–{names[s.last_day]}"
            )
            out.append(f"{days} {s.start // 60:02d}:{s.start % 60:02d}–{s.end // 60:02d}:{s.end % 60:02d}")
        return ", ".join(out)
