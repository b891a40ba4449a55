"""Languages: which ones we speak, how to guess one, and babel formatting for each."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "BABEL_LOCALES",
    "guess_language",
    "is_language_code",
    "order_languages",
    "format_date",
    "format_number",
    "plural_category",
    "native_name",
    "language_name",
]

#: The base languages, in the order the picker shows them: always offered, and ``content check``
#: requires every text in each. Content may hold more (``content/<code>/``): a language added with
#: ``python -m bot content new-language`` is offered once it is complete.
LANGS: tuple[str, ...] = ("ru", "ky", "uz", "kk")
DEFAULT_LANG = "ru"

#: Our language code -> babel (CLDR) locale. Uzbek is written in Latin script.
BABEL_LOCALES: dict[str, str] = {"ru": "ru", "ky": "ky", "uz": "uz_Latn", "kk": "kk"}

# Telegram's ``language_code`` is an IETF tag chosen by the user's app ("uz", "ru-RU", "kk").
# babel's Locale.negotiate(["uz"], [..., "uz_Latn"]) returns None, so we map tags explicitly.
_ALIASES: dict[str, str] = {
    "ru": "ru",
    "ky": "ky",
    "kir": "ky",
    "uz": "uz",
    "uzb": "uz",
    "kk": "kk",
    "kaz": "kk",
    # Neighbours whose speakers usually read Russian best of our four.
    "be": "ru",
    "uk": "ru",
    "tg": "ru",
    "tk": "ru",
}

_LOCALES: dict[str, Locale] = {}
_CODE = re.compile(r"^[a-z]{2,3}$")


def _locale(lang: str) -> Locale:
    loc = _LOCALES.get(lang)
    if loc is None:
        try:
            loc = Locale.parse(BABEL_LOCALES.get(lang, lang))
        except (ValueError, TypeError, UnknownLocaleError):
            loc = Locale.parse(BABEL_LOCALES[DEFAULT_LANG])
        _LOCALES[lang] = loc
    return loc


def is_language_code(code: str) -> bool:
    """True for an ISO 639 code of two or three letters that CLDR knows ("tg", "tk", "kaa")."""
    if not _CODE.match(code):
        return False
    try:
        Locale.parse(code)
    except (ValueError, TypeError, UnknownLocaleError):
        return False
    return True


def order_languages(codes: Iterable[str]) -> tuple[str, ...]:
    """The base languages first, in their order, then the others alphabetically."""
    codes = set(codes)
    return tuple(c for c in LANGS if c in codes) + tuple(sorted(codes - set(LANGS)))


def guess_language(language_code: str | None, offered: Iterable[str] = LANGS) -> str:
    """Map a Telegram ``language_code`` ("uz", "ky-KG", "ru_RU") to one of ``offered``."""
    if not language_code:
        return DEFAULT_LANG
    primary = language_code.replace("_", "-").split("-", 1)[0].strip().lower()
    offered = tuple(offered)
    if primary in offered:
        return primary
    lang = _ALIASES.get(primary, DEFAULT_LANG)
    return lang if lang in offered else DEFAULT_LANG


def format_date(value: dt.date, lang: str, case: str | None = None) -> str:
    """Format a date the way the language writes it ("1 июля 2026 г.", "2026-жылдын 1-июлу",
    "2026-yil 1-iyul", "2026 жылғы 1 шілде"), optionally in a case (see bot.grammar)."""
    from bot.grammar import format_date as _grammar_format_date

    if lang not in BABEL_LOCALES:
        return _babel_format_date(value, "long", locale=_locale(lang))
    return _grammar_format_date(value, lang, case)


def format_number(value: int | Decimal, lang: str) -> str:
    """Format a number with the language's digit grouping ("43 250")."""
    return _babel_format_decimal(value, locale=_locale(lang))


def plural_category(n: int, lang: str) -> str:
    """Return CLDR's plural category for ``n`` ("one", "few", "many", "other")."""
    return _locale(lang).plural_form(n)


def language_name(code: str, lang: str) -> str:
    """The name of language ``code`` in the user's language ("казахский", "qozoq")."""
    return _locale(lang).languages.get(code, code)


def native_name(lang: str) -> str:
    """The language's name in itself, from CLDR ("Кыргызча", "o‘zbek")."""
    name = _locale(lang).language_name or lang
    return name[:1].upper() + name[1:]
