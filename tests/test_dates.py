"""Reading typed dates in Russian, Kyrgyz, Uzbek and Kazakh (bot.dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from hypothesis import given
from hypothesis import strategies as st

from bot.dates import _month_stems, month_names, parse_date, parse_range

TODAY = dt.date(2026, 6, 15)
D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numbers, day first
        ("05.03.2026", D(2026, 3, 5)),
        ("5.3.2026", D(2026, 3, 5)),
        ("5.3.26", D(2026, 3, 5)),
        ("05/03/2026", D(2026, 3, 5)),
        ("5-3-2026", D(2026, 3, 5)),
        ("2026-03-05", D(2026, 3, 5)),
        ("2026.03.05", D(2026, 3, 5)),
        ("5.3", D(2026, 3, 5)),
        ("05.03", D(2026, 3, 5)),
        ("5/3", D(2026, 3, 5)),
        ("5 . 3 . 2026", D(2026, 3, 5)),
        ("05 03 2026", D(2026, 3, 5)),
        ("05.03.2026г.", D(2026, 3, 5)),
        ("12.05.2026", D(2026, 5, 12)),  # never month first
        ("5.7", D(2025, 7, 5)),  # this year's 5 July is still ahead
        ("15.06", D(2026, 6, 15)),  # today counts as past
        # Russian
        ("5 марта", D(2026, 3, 5)),
        ("5 март", D(2026, 3, 5)),
        ("5 мар", D(2026, 3, 5)),
        ("5 мар.", D(2026, 3, 5)),
        ("5 марта 2026", D(2026, 3, 5)),
        ("5 марта 2026 г.", D(2026, 3, 5)),
        ("5 марта 2026 года", D(2026, 3, 5)),
        ("5 марта 26 г.", D(2026, 3, 5)),
        ("5-го марта", D(2026, 3, 5)),
        ("5 МАРТА!", D(2026, 3, 5)),
        ("Приехал 5 марта, в понедельник", D(2026, 3, 5)),
        ("приехал 5 марта в 10.30", D(2026, 3, 5)),  # 10.30 is not a date
        ("мне 25 лет, приехал 5марта2026г", D(2026, 3, 5)),
        ("5 мая", D(2026, 5, 5)),
        ("5 май", D(2026, 5, 5)),
        ("1 июня", D(2026, 6, 1)),
        ("1 июля", D(2025, 7, 1)),
        ("1 сентября", D(2025, 9, 1)),
        ("1 сентебря", D(2025, 9, 1)),  # a common misspelling still starts with "сент"
        ("12 янв", D(2026, 1, 12)),
        ("3 февр. 2026 г.", D(2026, 2, 3)),
        ("5 ёлки", None),
        # Kyrgyz
        ("5-март", D(2026, 3, 5)),
        ("5 март 2026", D(2026, 3, 5)),
        ("2026-ж. 5-март", D(2026, 3, 5)),
        ("2026-ж., 5-март", D(2026, 3, 5)),
        ("2026-жылы 5-мартта", D(2026, 3, 5)),
        ("2026-жылдын 5-марты", D(2026, 3, 5)),
        ("Кирдим 2026-жылы 5-мартта", D(2026, 3, 5)),
        ("кечээ келдим", D(2026, 6, 14)),
        ("5-мартта", D(2026, 3, 5)),
        ("1-июнь", D(2026, 6, 1)),
        ("1-июль", D(2025, 7, 1)),
        # Uzbek, Latin
        ("5-mart", D(2026, 3, 5)),
        ("5 mart", D(2026, 3, 5)),
        ("5-martda", D(2026, 3, 5)),
        ("5-Mart", D(2026, 3, 5)),
        ("5-avgust", D(2025, 8, 5)),
        ("1-sentabr", D(2025, 9, 1)),
        ("1-sentyabr", D(2025, 9, 1)),
        ("1-oktabr", D(2025, 10, 1)),
        ("1-oktyabr", D(2025, 10, 1)),
        ("1-noyabr", D(2025, 11, 1)),
        ("10-may", D(2026, 5, 10)),
        ("10-mayda", D(2026, 5, 10)),
        ("1-iyun", D(2026, 6, 1)),
        ("1-iyul", D(2025, 7, 1)),
        ("5 mart 2026", D(2026, 3, 5)),
        ("5-mart, 2026", D(2026, 3, 5)),
        ("5-mart 2026-yil", D(2026, 3, 5)),
        ("2026-yil 5-mart", D(2026, 3, 5)),
        ("2026 yil 5-martda", D(2026, 3, 5)),
        ("2026-yilning 5-marti", D(2026, 3, 5)),
        ("5-chi mart", D(2026, 3, 5)),
        ("5 marta", D(2026, 3, 5)),  # Russian typed in Latin letters
        # Uzbek, Cyrillic
        ("5-мартда", D(2026, 3, 5)),
        ("1-сентябр", D(2025, 9, 1)),
        ("1-октябр", D(2025, 10, 1)),
        ("1-октябрда", D(2025, 10, 1)),
        ("5 март, 2026", D(2026, 3, 5)),
        ("2026 йил 5 март", D(2026, 3, 5)),
        # Kazakh
        ("5 наурыз", D(2026, 3, 5)),
        ("5-наурыз", D(2026, 3, 5)),
        ("5 наурызда", D(2026, 3, 5)),
        ("2026 жылғы 5 наурыз", D(2026, 3, 5)),
        ("2026 ж. 5 наурыз", D(2026, 3, 5)),
        ("2026 жылы 5 наурызда", D(2026, 3, 5)),
        ("12 қаңтар", D(2026, 1, 12)),
        ("3 ақпан", D(2026, 2, 3)),
        ("10 сәуір", D(2026, 4, 10)),
        ("1 мамыр", D(2026, 5, 1)),
        ("20 маусым", D(2025, 6, 20)),
        ("15 шілде", D(2025, 7, 15)),
        ("8 тамыз", D(2025, 8, 8)),
        ("1 қыркүйек", D(2025, 9, 1)),
        ("1 қазан", D(2025, 10, 1)),
        ("30 қараша", D(2025, 11, 30)),
        ("1 желтоқсан", D(2025, 12, 1)),
        ("Қазанда 1", None),  # month before the day is not read
        # Kazakh letters typed as Russian ones, Latin look-alikes inside Cyrillic words
        ("12 кантар", D(2026, 1, 12)),
        ("10 сауир", D(2026, 4, 10)),
        ("1 казан", D(2025, 10, 1)),
        ("30 караша", D(2025, 11, 30)),
        ("10 сәуiр", D(2026, 4, 10)),
        ("5 мaртa", D(2026, 3, 5)),
        # today, yesterday
        ("сегодня", TODAY),
        ("Вчера.", D(2026, 6, 14)),
        ("позавчера", D(2026, 6, 13)),
        ("бүгүн", TODAY),
        ("кечээ", D(2026, 6, 14)),
        ("bugun", TODAY),
        ("kecha", D(2026, 6, 14)),
        ("бугун", TODAY),
        ("кеча", D(2026, 6, 14)),
        ("бүгін", TODAY),
        ("кеше", D(2026, 6, 14)),
        ("кешегі күні", D(2026, 6, 14)),
        ("завтра", D(2026, 6, 16)),  # returned as is: the caller re-asks
    ],
)
def test_parse_date_past(text: str, expected: dt.date | None) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5.7", D(2026, 7, 5)),
        ("5.3", D(2027, 3, 5)),
        ("15.06", TODAY),  # today counts as future
        ("14.06", D(2027, 6, 14)),
        ("1 июля", D(2026, 7, 1)),
        ("1-iyul", D(2026, 7, 1)),
        ("1-июль", D(2026, 7, 1)),
        ("15 шілде", D(2026, 7, 15)),
        ("5 марта", D(2027, 3, 5)),
        ("05.03.2026", D(2026, 3, 5)),  # explicit year: as is
        ("эртең", D(2026, 6, 16)),
        ("ertaga", D(2026, 6, 16)),
        ("ертең", D(2026, 6, 16)),
    ],
)
def test_parse_date_future(text: str, expected: dt.date) -> None:
    assert parse_date(text, TODAY, when="future") == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "привет",
        "не помню",
        "5",
        "март",
        "в марте",
        "2026",
        "5 минут",
        "31.02.2026",
        "30.02",
        "31.04",
        "31 апреля",
        "29.02.2026",
        "32.01.2026",
        "0.01.2026",
        "5.13.2026",
        "5 марта 1989",
        "01.01.1989",
        "01.01.2032",  # after today's year + 5
        "5.3.1",
        "05.03.2026 и 06.03.2026",  # two different dates
        "вчера 5 марта",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text, TODAY) is None
    assert parse_date(text, TODAY, when="future") is None


def test_parse_date_same_date_twice_is_fine() -> None:
    assert parse_date("05.03.2026 (5 марта)", TODAY) == D(2026, 3, 5)


def test_parse_date_year_limits() -> None:
    assert parse_date("01.01.1990", TODAY) == D(1990, 1, 1)
    assert parse_date("31.12.2031", TODAY) == D(2031, 12, 31)
    assert parse_date("31.12.2032", TODAY) is None


def test_parse_date_bad_when() -> None:
    with pytest.raises(ValueError, match="when"):
        parse_date("5.3", TODAY, when="soon")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29.02.2024", D(2024, 2, 29)),
        ("29.02.2000", D(2000, 2, 29)),
        ("29.02.2026", None),
        ("29.02.2100", None),
        ("29 февраля 2024", D(2024, 2, 29)),
        ("29 ақпан 2026", None),
        ("28.02.2026", D(2026, 2, 28)),
        ("31.01.2026", D(2026, 1, 31)),
        ("31.03.2026", D(2026, 3, 31)),
        ("30.04.2026", D(2026, 4, 30)),
        ("31.04.2026", None),
        ("31.05.2026", D(2026, 5, 31)),
        ("31.06.2026", None),
        ("31.12.2025", D(2025, 12, 31)),
        ("31 декабря", D(2025, 12, 31)),
    ],
)
def test_month_ends_and_leap_years(text: str, expected: dt.date | None) -> None:
    assert parse_date(text, TODAY) == expected


def test_29_february_without_year() -> None:
    assert parse_date("29.02", TODAY) == D(2024, 2, 29)
    assert parse_date("29.02", TODAY, when="future") == D(2028, 2, 29)
    assert parse_date("29 февраля", D(2024, 2, 29)) == D(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "today", "when", "expected"),
    [
        ("30 декабря", D(2026, 1, 3), "past", D(2025, 12, 30)),
        ("30.12", D(2026, 1, 3), "past", D(2025, 12, 30)),
        ("3 января", D(2026, 1, 3), "past", D(2026, 1, 3)),
        ("4 января", D(2026, 1, 3), "past", D(2025, 1, 4)),
        ("2-yanvar", D(2026, 1, 3), "past", D(2026, 1, 2)),
        ("31 желтоқсан", D(2026, 1, 1), "past", D(2025, 12, 31)),
        ("5 января", D(2026, 12, 30), "future", D(2027, 1, 5)),
        ("5-январь", D(2026, 12, 30), "future", D(2027, 1, 5)),
        ("30 декабря", D(2026, 12, 30), "future", D(2026, 12, 30)),
        ("29.12", D(2026, 12, 30), "future", D(2027, 12, 29)),
        ("1 қаңтар", D(2026, 12, 31), "future", D(2027, 1, 1)),
        ("31.12", D(2026, 12, 31), "past", D(2026, 12, 31)),
    ],
)
def test_year_inference_at_year_boundaries(text: str, today: dt.date, when: str, expected: dt.date) -> None:
    assert parse_date(text, today, when=when) == expected


RANGE_TODAY = D(2026, 7, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01.05.2026 - 20.06.2026", (D(2026, 5, 1), D(2026, 6, 20))),
        ("01.05.2026-20.06.2026", (D(2026, 5, 1), D(2026, 6, 20))),
        ("01.05.2026/20.06.2026", (D(2026, 5, 1), D(2026, 6, 20))),
        ("2026-05-01 - 2026-06-20", (D(2026, 5, 1), D(2026, 6, 20))),
        ("1.5-20.6", (D(2026, 5, 1), D(2026, 6, 20))),
        ("01.05 – 20.06.2026", (D(2026, 5, 1), D(2026, 6, 20))),
        ("01.05.25 - 20.06.25", (D(2025, 5, 1), D(2025, 6, 20))),
        # Russian
        ("1 мая — 20 июня", (D(2026, 5, 1), D(2026, 6, 20))),
        ("с 1 мая по 20 июня", (D(2026, 5, 1), D(2026, 6, 20))),
        ("с 1 мая 2025 г. по 20 июня 2025 г.", (D(2025, 5, 1), D(2025, 6, 20))),
        ("с 5 по 20 июня", (D(2026, 6, 5), D(2026, 6, 20))),
        ("5-20 июня", (D(2026, 6, 5), D(2026, 6, 20))),
        ("с 1 мая по сегодня", (D(2026, 5, 1), RANGE_TODAY)),
        # Kyrgyz
        ("1-май - 20-июнь", (D(2026, 5, 1), D(2026, 6, 20))),
        ("1-майдан 20-июнга чейин", (D(2026, 5, 1), D(2026, 6, 20))),
        ("2025-ж. 1-майдан 2025-ж. 20-июнга чейин", (D(2025, 5, 1), D(2025, 6, 20))),
        # Uzbek
        ("1-maydan 20-iyungacha", (D(2026, 5, 1), D(2026, 6, 20))),
        ("1 maydan 20 iyungacha", (D(2026, 5, 1), D(2026, 6, 20))),
        ("5-dan 20-iyungacha", (D(2026, 6, 5), D(2026, 6, 20))),
        ("1-майдан 20-июнгача", (D(2026, 5, 1), D(2026, 6, 20))),
        ("01.05.2026dan 20.06.2026gacha", (D(2026, 5, 1), D(2026, 6, 20))),
        # Kazakh
        ("1 мамыр - 20 маусым", (D(2026, 5, 1), D(2026, 6, 20))),
        ("1 мамырдан 20 маусымға дейін", (D(2026, 5, 1), D(2026, 6, 20))),
        ("2025 ж. 1 мамыр - 2025 ж. 20 маусым", (D(2025, 5, 1), D(2025, 6, 20))),
        # years chosen so that start <= end <= today
        ("1 июля - 20 июля", (D(2025, 7, 1), D(2025, 7, 20))),
        ("20 мая - 1 июля", (D(2026, 5, 20), D(2026, 7, 1))),
        ("01.05.2025 - 20.06", (D(2025, 5, 1), D(2025, 6, 20))),
        ("01.05 - 20.06.2025", (D(2025, 5, 1), D(2025, 6, 20))),
        # refused
        ("20.06.2026 - 01.05.2026", None),
        ("20 июня - 1 мая 2026", (D(2025, 6, 20), D(2026, 5, 1))),
        ("25-5 июня", None),
        ("1 мая", None),
        ("привет", None),
        ("", None),
        ("31.02 - 05.03", None),
        ("1.5 - 2.5 - 3.5", None),
        ("01.07.2026 - 20.06", None),  # the next 20 June after the start is in the future
    ],
)
def test_parse_range(text: str, expected: tuple[dt.date, dt.date] | None) -> None:
    assert parse_range(text, RANGE_TODAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("20.12 - 05.01", D(2026, 1, 10), (D(2025, 12, 20), D(2026, 1, 5))),
        ("20 декабря - 5 января", D(2026, 1, 10), (D(2025, 12, 20), D(2026, 1, 5))),
        ("20-dekabrdan 5-yanvargacha", D(2026, 1, 10), (D(2025, 12, 20), D(2026, 1, 5))),
        ("20 желтоқсан - 5 қаңтар", D(2026, 1, 10), (D(2025, 12, 20), D(2026, 1, 5))),
        ("20 декабря - 15 января", D(2026, 1, 10), (D(2024, 12, 20), D(2025, 1, 15))),
        ("1.12.2025 - 5.01", D(2026, 1, 10), (D(2025, 12, 1), D(2026, 1, 5))),
    ],
)
def test_parse_range_across_new_year(text: str, today: dt.date, expected: tuple[dt.date, dt.date]) -> None:
    assert parse_range(text, today) == expected


def test_month_names_cover_cldr_and_variants() -> None:
    names = month_names()
    assert sorted(names) == list(range(1, 13))
    assert {"марта", "март", "mart", "наурыз", "нау"} <= set(names[3])
    assert {"sentabr", "sentyabr", "сентябр", "қыркүйек"} <= set(names[9])
    for month, forms in names.items():
        for name in forms:
            assert parse_date(f"5 {name}", TODAY, when="future").month == month, name


def test_month_stems_are_unambiguous() -> None:
    stems = _month_stems()
    assert all(len(stem) >= 3 for stem, _ in stems)
    for stem, month in stems:
        for other, other_month in stems:
            assert month == other_month or not other.startswith(stem), (stem, other)


@given(st.dates(D(2000, 1, 1), D(2030, 12, 31)), st.sampled_from(["past", "future"]))
def test_numeric_round_trip(date: dt.date, when: str) -> None:
    assert parse_date(date.strftime("%d.%m.%Y"), TODAY, when=when) == date
    assert parse_date(date.isoformat(), TODAY, when=when) == date
    assert parse_date(f"{date.day}.{date.month}.{date:%y}", TODAY, when=when) == date


@given(
    st.dates(D(2000, 1, 1), D(2030, 12, 31)),
    st.sampled_from(["ru", "ky", "uz_Latn", "uz_Cyrl", "kk"]),
    st.sampled_from(["long", "medium", "short", "full"]),
)
def test_babel_round_trip(date: dt.date, locale: str, width: str) -> None:
    # The bot shows dates with babel ("9 марта 2026 г.", "2026-ж., 9-март", "9-mart, 2026",
    # "2026 ж. 9 наурыз"); a user copying one back must get the same day.
    text = format_date(date, width, locale=locale)
    assert parse_date(text, TODAY) == date, text
    assert parse_date(text, TODAY, when="future") == date, text


@given(st.dates(D(2000, 1, 1), D(2030, 12, 31)), st.sampled_from(["ru", "ky", "uz_Latn", "kk"]))
def test_babel_round_trip_without_year(date: dt.date, locale: str) -> None:
    # Babel's "d MMMM" pattern (no year): the most recent or the next such day.
    text = format_date(date, "d MMMM", locale=locale)
    past = parse_date(text, TODAY)
    future = parse_date(text, TODAY, when="future")
    assert past is not None and future is not None, text
    assert (past.month, past.day) == (future.month, future.day) == (date.month, date.day)
    assert past <= TODAY <= future
    limit = 4 * 366 if (date.month, date.day) == (2, 29) else 366  # 29 February: the nearest leap year
    assert (TODAY - past).days < limit and (future - TODAY).days < limit


@given(
    st.dates(D(2000, 1, 1), D(2026, 6, 15)),
    st.dates(D(2000, 1, 1), D(2026, 6, 15)),
    st.sampled_from(["ru", "ky", "uz_Latn", "kk"]),
)
def test_range_round_trip(first: dt.date, second: dt.date, locale: str) -> None:
    start, end = sorted((first, second))
    text = f"{format_date(start, 'long', locale=locale)} - {format_date(end, 'long', locale=locale)}"
    assert parse_range(text, TODAY) == (start, end), text
    numeric = f"{start:%d.%m.%Y}-{end:%d.%m.%Y}"
    assert parse_range(numeric, TODAY) == (start, end)
    if start != end:
        assert parse_range(f"{end:%d.%m.%Y} - {start:%d.%m.%Y}", TODAY) is None
