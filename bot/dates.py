"""Reading dates that users type in a chat, in Russian, Kyrgyz, Uzbek or Kazakh.

Users answer "when did you enter Kazakhstan?" or "until when is your contract?" the way people
really type, in any of the four languages whatever language the bot speaks to them. Accepted:

* Numbers, day first (never month first): ``05.03.2026``, ``5.3.2026``, ``5.3.26`` (a two-digit
  year means 20yy), ``05/03/2026``, ``5-3-2026``, ``05 03 2026``, ``5 . 3 . 2026``; the year first
  only in ISO order ``2026-03-05`` (also with ``.`` or ``/``); without a year ``5.3``, ``05.03``,
  ``5/3``.
* A day, then a month word, then an optional year: ``5 марта``, ``5 мар.``, ``5-го марта 2026 г.``,
  ``5-март``, ``5-мартта``, ``5-martda``, ``1-sentyabr``, ``1-сентябр``, ``5 наурызда``,
  ``5-mart, 2026``, ``5 mart 2026-yil``. The month word may be in any of the languages: the
  names come from CLDR (babel) for ru, ky, uz_Latn, uz_Cyrl and kk, wide and abbreviated, plus
  hand-written variants (``мае``, ``iyun``, ``oktyabr``, English names). Case does not matter;
  a word is a month if it starts with a known stem (the longest wins), so grammatical suffixes
  (``-да``, ``-dan``, ``-gacha``, ``-ға``) and Russian case endings are ignored.
* The year first, with its word: ``2026-ж. 5-март``, ``2026-ж., 9-март`` (babel's Kyrgyz),
  ``2026-yil 5-mart``, ``2026 жылғы 5 наурыз``, ``2026 ж. 9 наурыз`` (babel's Kazakh).
* Today, yesterday, the day before yesterday and tomorrow: ``сегодня``, ``вчера``,
  ``позавчера``, ``завтра``; ``бүгүн``, ``кечээ``, ``эртең``; ``bugun``, ``kecha``, ``ertaga``
  (and ``бугун``, ``кеча``, ``эртага``); ``бүгін``, ``кеше``, ``ертең``.

Kazakh and Kyrgyz letters may be typed as their nearest Russian ones (``казан``, ``сауир``),
``ё`` as ``е``, Latin look-alike letters inside Cyrillic words (``сәуiр``) and the other way round
are tolerated, and so are Uzbek apostrophes of any kind and any dash. Other words around the date
("приехал 5 марта") are ignored. Every format babel produces for these locales (short, medium,
long and full) reads back to the same day.

A text is rejected (``None``) when it has no date, two different dates, an impossible date
(``31.02.2026``, ``29.02.2026``) or a year before 1990 or after today's year + 5.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from babel.dates import get_month_names

__all__ = ["month_names", "parse_date", "parse_range"]

_LOCALES = ("ru", "ky", "uz_Latn", "uz_Cyrl", "kk")
_MIN_YEAR = 1990
_YEARS_AHEAD = 5

# Forms CLDR lacks. Russian prepositional/dative of "май"; Uzbek spellings after Russian
# ("sentyabr", "iyun"); Russian transliterated into Latin is covered by the Uzbek stems
# ("marta", "iyunya", "sentyabrya"); English, for phones set to English.
_EXTRA_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan"),
    2: ("february", "feb"),
    3: ("march",),
    4: ("april", "сэуір"),
    5: ("мае", "маю"),
    6: ("iyun", "iun", "june", "jun"),
    7: ("iyul", "iul", "july", "jul"),
    8: ("august", "aug"),
    9: ("sentyabr", "sent", "september", "sep"),
    10: ("oktyabr", "october", "oct"),
    11: ("november", "nov"),
    12: ("december", "dec"),
}

# Letters folded before matching, in the table and in the text alike: Kazakh, Kyrgyz and Uzbek
# Cyrillic letters that people often type as the nearest Russian letter; apostrophes (Uzbek o‘ g‘)
# are dropped; dashes become "-".
_FOLD = str.maketrans(
    {
        "ё": "е",
        "қ": "к",
        "ң": "н",
        "ә": "а",
        "і": "и",
        "ү": "у",
        "ұ": "у",
        "ө": "о",
        "ғ": "г",
        "һ": "х",
        "ў": "у",
        "ҳ": "х",
        "ı": "i",
        "'": None,
        "`": None,
        "´": None,
        "ʻ": None,
        "ʼ": None,
        "‘": None,
        "’": None,
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "﹣": "-",
        "－": "-",
    }
)
_LATIN_TO_CYRILLIC = str.maketrans("abcehikmoptxy", "авсенікмортху")
_CYRILLIC_TO_LATIN = str.maketrans("авсенікмортху", "abcehikmoptxy")

_LETTERS = r"[^\W\d_]"
_NOT_LETTER = r"(?![^\W\d_])"
_WORD = re.compile(_LETTERS + "+")
_SPACES = re.compile(r"\s+")

# The word after a year: г., года; ж., жыл, жылы, жылғы, жылдын; yil, yili, yilning; йил.
_YEAR_WORD = (
    r"(?:года|году|год|гг|г|жылдын|жылгы|жылы|жыл|ж|yilning|yilda|yili|yil|y|йилнинг|йилда|йили|йил|й)"
    + _NOT_LETTER
    + r"\.?"
)
# Ordinal endings after a day: 5-го, 5-е; 5-chi, 5-inchi; 5-ші.
_ORDINAL = (
    r"(?:\s?-?\s?(?:ого|го|ое|е|inchi|nchi|chi|инчи|нчи|чи|ынчы|нчы|чы|инши|нши|ши|ншы|шы)"
    + _NOT_LETTER
    + ")?"
)
_DAY_MONTH = r"(?P<d>\d{1,2})(?!\d)" + _ORDINAL + r"[\s.,\-]*(?P<mon>" + _LETTERS + r"+)\.?"

_YEAR_FIRST = re.compile(r"(?<!\d)(?P<y>\d{4})\s?-?\s?" + _YEAR_WORD + r"[\s,]*" + _DAY_MONTH)
_WORD_DATE = re.compile(
    r"(?<!\d)"
    + _DAY_MONTH
    + r"(?:[\s,]*(?:(?P<y>\d{4})(?!\d)(?!\s?[./]\s?\d)(?:\s?-?\s?"
    + _YEAR_WORD
    + r")?|(?P<yy>\d{2})\s?-?\s?"
    + _YEAR_WORD
    + "))?"
)
# Not the tail of a run of short numbers ("5.3.1" is not 3 January), though it may follow a
# year ("01.05.2026/20.06.2026").
_NUMBER_START = r"(?<!\d)" + "".join(
    rf"(?<!(?<!\d){digits}{before}[./\\]{after})"
    for digits in (r"\d", r"\d\d")
    for before in ("", " ")
    for after in ("", " ")
)
_ISO = re.compile(
    _NUMBER_START + r"(?P<y>\d{4})\s?(?P<s>[-./])\s?(?P<m>\d{1,2})\s?(?P=s)\s?(?P<d>\d{1,2})(?!\d)"
)
_DMY = re.compile(
    _NUMBER_START + r"(?P<d>\d{1,2})\s?(?P<s>[-./\\])\s?(?P<m>\d{1,2})\s?(?P=s)\s?(?P<y>\d{4}|\d{2})(?!\d)"
)
_DMY_SPACED = re.compile(r"(?<!\d)(?P<d>\d{1,2}) (?P<m>\d{1,2}) (?P<y>\d{4})(?!\d)")
_DM = re.compile(_NUMBER_START + r"(?P<d>\d{1,2})\s?[./\\]\s?(?P<m>\d{1,2})(?!\d)(?!\s?[./\\]\s?\d)")

_RELATIVE_WORDS = {
    "позавчера": -2,
    "вчера": -1,
    "сегодня": 0,
    "седня": 0,
    "завтра": 1,
    "бугун": 0,  # ky бүгүн, uz бугун
    "бугин": 0,  # kk бүгін
    "bugun": 0,
    "кечээ": -1,  # ky
    "кеше": -1,  # kk
    "кеча": -1,  # uz
    "kecha": -1,
    "эртен": 1,  # ky эртең
    "ертен": 1,  # kk ертең
    "эртага": 1,  # uz
    "ertaga": 1,
}
_RELATIVE = re.compile(
    "(?<![^\\W\\d_])(?P<w>"
    + "|".join(sorted(_RELATIVE_WORDS, key=len, reverse=True))
    + ")(?:ги|гы|ки|кы|ку|gi|ki|шний|шняя|шнее|шнего|шнюю|шнему)?"
    + _NOT_LETTER
)
# A bare day that starts a range whose end gives the month: "с 5 по 20 июня", "5-20 июня",
# "5-dan 20-iyungacha", "5-тен 20 маусымға дейін".
_BARE_DAY = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?!\d)(?:\s?-?\s?(?:ого|го))?(?:\s?-?\s?(?:dan|дан|ден|тан|тен|нан|нен|дон|тон)"
    + _NOT_LETTER
    + r"|(?=\s?(?:-|по"
    + _NOT_LETTER
    + "|до"
    + _NOT_LETTER
    + ")))"
)

# The longest day of each month in any year (29 February exists in leap years).
_MAX_DAY = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@cache
def month_names() -> dict[int, tuple[str, ...]]:
    """All month names and abbreviations known, lower case, by month number (1 to 12)."""
    names: dict[int, list[str]] = {month: [] for month in range(1, 13)}
    for locale in _LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, locale=locale).items():
                    names[month].append(name.lower().rstrip("."))
    for month, extra in _EXTRA_NAMES.items():
        names[month].extend(extra)
    return {month: tuple(dict.fromkeys(found)) for month, found in names.items()}


@cache
def _month_stems() -> tuple[tuple[str, int], ...]:
    """(folded stem, month), longest stems first."""
    stems = {_fold_word(name): month for month, names in month_names().items() for name in names}
    return tuple(sorted(stems.items(), key=lambda item: (-len(item[0]), item[0])))


def _month_of(word: str) -> int | None:
    """The month a (folded) word names, by the longest stem it starts with."""
    for stem, month in _month_stems():
        if word.startswith(stem):
            return month
    return None


def _fix_script(word: str) -> str:
    """Undo Latin look-alikes typed inside a Cyrillic word, and the other way round."""
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in word)
    latin = sum(ch.isascii() for ch in word)
    if not cyrillic or not latin:
        return word
    return word.translate(_LATIN_TO_CYRILLIC if cyrillic >= latin else _CYRILLIC_TO_LATIN)


def _fold_word(word: str) -> str:
    return _fix_script(word.casefold()).translate(_FOLD)


def _normalize(text: str) -> str:
    text = _WORD.sub(lambda m: _fix_script(m.group()), text.casefold())
    return _SPACES.sub(" ", text.translate(_FOLD)).strip()


@dataclass(frozen=True, slots=True)
class _Mention:
    """A date found in the text: a fixed day, a day and month without a year, or a bare day."""

    kind: str  # "date", "day" (bare day starting a range) or "bad" (an impossible date)
    day: int = 0
    month: int = 0
    fixed: dt.date | None = None


_BAD = _Mention("bad")


def _make(day: int, month: int, year: int | None, today: dt.date) -> _Mention:
    if not 1 <= month <= 12 or not 1 <= day <= _MAX_DAY[month]:
        return _BAD
    if year is None:
        return _Mention("date", day, month)
    if not _MIN_YEAR <= year <= today.year + _YEARS_AHEAD:
        return _BAD
    try:
        return _Mention("date", day, month, dt.date(year, month, day))
    except ValueError:  # 29 February of a common year
        return _BAD


def _numeric(match: re.Match[str], today: dt.date, *, with_year: bool = True) -> _Mention | None:
    """A numeric date, or None if the numbers cannot be a day and a month (a time, an amount)."""
    day, month = int(match["d"]), int(match["m"])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    year = None
    if with_year:
        year = int(match["y"])
        if year < 100:
            year += 2000
    return _make(day, month, year, today)


def _match_at(text: str, pos: int, today: dt.date) -> tuple[_Mention, int] | None:
    """The date that starts at ``pos``, and where it ends."""
    if (match := _YEAR_FIRST.match(text, pos)) and (month := _month_of(match["mon"])):
        return _make(int(match["d"]), month, int(match["y"]), today), match.end()
    for pattern in (_ISO, _DMY, _DMY_SPACED):
        if (match := pattern.match(text, pos)) and (found := _numeric(match, today)):
            return found, match.end()
    if (match := _WORD_DATE.match(text, pos)) and (month := _month_of(match["mon"])):
        year = None
        if match["y"]:
            year = int(match["y"])
        elif match["yy"]:
            year = 2000 + int(match["yy"])
        return _make(int(match["d"]), month, year, today), match.end()
    if (match := _DM.match(text, pos)) and (found := _numeric(match, today, with_year=False)):
        return found, match.end()
    if match := _RELATIVE.match(text, pos):
        fixed = today + dt.timedelta(days=_RELATIVE_WORDS[match["w"]])
        return _Mention("date", fixed.day, fixed.month, fixed), match.end()
    if (match := _BARE_DAY.match(text, pos)) and 1 <= int(match["d"]) <= 31:
        return _Mention("day", int(match["d"])), match.end()
    return None


def _scan(text: str, today: dt.date) -> list[_Mention]:
    """Every date in the text, left to right, each starting at the beginning of a word."""
    text = _normalize(text)
    found: list[_Mention] = []
    pos = 0
    while pos < len(text):
        if text[pos].isalnum() and (pos == 0 or not text[pos - 1].isalnum()):
            match = _match_at(text, pos, today)
            if match is not None:
                found.append(match[0])
                pos = match[1]
                continue
        pos += 1
    return found


def _latest_until(day: int, month: int, bound: dt.date) -> dt.date | None:
    """The last ``day``.``month`` on or before ``bound``."""
    for year in range(bound.year, max(bound.year - 8, _MIN_YEAR - 1), -1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date <= bound:
            return date
    return None


def _earliest_from(day: int, month: int, bound: dt.date) -> dt.date | None:
    """The first ``day``.``month`` on or after ``bound``."""
    for year in range(bound.year, bound.year + 9):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date >= bound:
            return date
    return None


def parse_date(text: str, today: dt.date, *, when: str = "past") -> dt.date | None:
    """Read a date the user typed, or None if it cannot be read.

    when="past": the date must not be after today (the answer is a day that already happened,
    e.g. the day of entry); a date without a year means the most recent such day (this year,
    or last year if this year's would be in the future).
    when="future": a day today or later is expected (e.g. a contract end); without a year, the
    next such day (this year, or next year if it already passed). A date with an explicit year is
    returned as is (the caller checks past/future and re-asks).
    """
    if when not in ("past", "future"):
        raise ValueError(f"when must be 'past' or 'future', not {when!r}")
    mentions = [mention for mention in _scan(text, today) if mention.kind != "day"]
    if not mentions or _BAD in mentions:
        return None
    resolve = _latest_until if when == "past" else _earliest_from
    dates = {mention.fixed or resolve(mention.day, mention.month, today) for mention in mentions}
    if len(dates) != 1:  # two different dates: ask again rather than guess
        return None
    return dates.pop()


def parse_range(text: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """Read an earlier stay "from - to", e.g. "01.05.2026 - 20.06.2026", "1.5-20.6",
    "1 мая — 20 июня", "1-maydan 20-iyungacha" (Uzbek -dan/-gacha suffixes), "1 мамыр - 20 маусым".
    Both dates are past dates (when="past" rules, but the year of a date without a year is chosen so
    that start <= end and end <= today). Returns None if unreadable or start > end.

    The start may be a bare day when the end gives the month: "с 5 по 20 июня", "5-20 июня".
    An end without a year after a start with one is the first such day after the start.
    """
    mentions = _scan(text, today)
    if _BAD in mentions:
        return None
    dated = [index for index, mention in enumerate(mentions) if mention.kind == "date"]
    if len(dated) == 2:
        start, end = mentions[dated[0]], mentions[dated[1]]
    elif len(dated) == 1:
        days = [mention for mention in mentions[: dated[0]] if mention.kind == "day"]
        if len(days) != 1:
            return None
        start, end = days[0], mentions[dated[0]]
    else:
        return None

    if start.kind == "date" and start.fixed is not None and end.fixed is None:
        first = start.fixed
        last = _earliest_from(end.day, end.month, first)
        if last is None or last > today:
            return None
    else:
        last = end.fixed or _latest_until(end.day, end.month, today)
        if last is None:
            return None
        if start.kind == "day":
            try:
                first = dt.date(last.year, last.month, start.day)
            except ValueError:
                return None
        else:
            first = start.fixed or _latest_until(start.day, start.month, last)
    if first is None or first > last:
        return None
    return first, last
