"""Grammar that follows the numbers: case endings for Kyrgyz, Kazakh and Uzbek, and dates.

Texts write a number once, as a placeholder with an optional case: ``{months:3|abl}``. The WORDS
(the noun after the number, and every Russian case x plural form) live in ``content/<lang>/ui.yaml``;
this module holds the RULES that glue a case ending to a Turkic word:

* **Kyrgyz** (ky): four-way vowel harmony (а/е/о/ө for low vowels, ы/и/у/ү for high ones; after
  у the low vowel is а: «суудан», after ү it is ө: «күндөн») and consonant assimilation
  (-дан after vowels and voiced consonants, -тан after voiceless ones: «айдан», «сааттан»).
* **Kazakh** (kk): two-way harmony (а/ы after back vowels, е/і after front ones) and three
  consonant classes (-дан after vowels, л р й у з ж; -нан after м н ң; -тан after voiceless:
  «айдан», «қазаннан», «сағаттан»). Abbreviations take the ending after a hyphen: «АЕК-тен».
* **Uzbek** (uz): no vowel harmony; -dan -da -ning -ni -ga -gacha -lik, with -ka/-kacha after k
  and -qa/-qacha after q.

A noun in the third-person possessive (ky «жумуш күнү», kk «жұмыс күні», uz «ish kuni») takes
the pronominal н in Kyrgyz and Kazakh: «жумуш күнүнөн», «жұмыс күнінен»; Uzbek has none
(«ish kunidan»). Content marks such nouns with ``possessive: true`` (see docs/CONTENT_FORMAT.md).

Case names (nominative = no case, no suffix):

* ru: ``gen dat acc ins prep`` (the forms are words in ui.yaml ``grammar``)
* ky, kk: ``gen dat acc loc abl attr``; uz adds ``term`` (-gacha, "until")

``attr`` is the relational adjective "N-month(s)" (ky «3 айлык», kk «3 айлық», uz «3 oylik»).
Kyrgyz and Kazakh have no terminative ending: they write the dative and a postposition
(«30 күнгө чейин», «30 күнге дейін»), so ``term`` exists only in Uzbek.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_date as _babel_format_date

__all__ = [
    "CASES",
    "GrammarError",
    "inflect",
    "possessive",
    "format_date",
]

CASES: dict[str, tuple[str, ...]] = {
    "ru": ("gen", "dat", "acc", "ins", "prep"),
    "ky": ("gen", "dat", "acc", "loc", "abl", "attr"),
    "kk": ("gen", "dat", "acc", "loc", "abl", "attr"),
    "uz": ("gen", "dat", "acc", "loc", "abl", "term", "attr"),
}
#: Languages whose case endings are computed here (Russian forms are words in content).
SUFFIXING = ("ky", "kk", "uz")


class GrammarError(ValueError):
    """A case that a language or a word cannot take."""


# --- Kyrgyz and Kazakh sounds ---------------------------------------------------------------

_KY_VOWELS = "аеёиоуүыэюяө"
_KK_VOWELS = "аәеёиоөуұүыіэюя"
_VOICELESS = "пткқсшчхһфцщ"
#: Names of consonant letters, for abbreviations without a vowel ("МРП" is read "эм-эр-пэ").
_LETTER_NAMES = {
    "б": "бэ", "в": "вэ", "г": "гэ", "ғ": "ға", "д": "дэ", "ж": "жэ", "з": "зэ", "к": "ка",
    "қ": "қа", "л": "эл", "м": "эм", "н": "эн", "ң": "эң", "п": "пэ", "р": "эр", "с": "эс",
    "т": "тэ", "ф": "эф", "х": "ха", "һ": "һа", "ц": "цэ", "ч": "чэ", "ш": "ша", "щ": "ща",
}  # fmt: skip


def _is_abbreviation(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _sound(word: str, vowels: str) -> str:
    """The word as it sounds for suffixing: lower case, no soft/hard signs; abbreviations
    without a vowel are read by the name of their last letter."""
    low = word.lower()
    if _is_abbreviation(word) and not any(c in vowels for c in low):
        low = low[:-1] + _LETTER_NAMES.get(low[-1], low[-1])
    return low.rstrip("ьъ")


def _last_vowel(sound: str, vowels: str) -> str:
    for ch in reversed(sound):
        if ch in vowels:
            return ch
    raise GrammarError(f"no vowel in {sound!r}: cannot choose the ending")


def _ky_low(v: str) -> str:  # а е о ө
    return {"о": "о", "ё": "о", "ө": "ө", "ү": "ө"}.get(v, "е" if v in "еэи" else "а")


def _ky_high(v: str) -> str:  # ы и у ү
    if v in "оуёю":
        return "у"
    if v in "өү":
        return "ү"
    return "и" if v in "еэи" else "ы"


def _ky_suffix(sound: str, case: str, poss: bool) -> str:
    v = _last_vowel(sound, _KY_VOWELS)
    a, i = _ky_low(v), _ky_high(v)
    last = sound[-1]
    vowel = last in _KY_VOWELS
    if poss:
        return {
            "abl": f"н{a}н",
            "dat": f"н{a}",
            "loc": f"нд{a}",
            "gen": f"н{i}н",
            "acc": "н",
        }.get(case) or _refuse(case, "ky", "a possessive noun")
    dull = last in _VOICELESS
    d = "т" if dull else "д"
    g = "к" if dull else "г"
    if case == "abl":
        return f"{d}{a}н"
    if case == "dat":
        return f"{g}{a}"
    if case == "loc":
        return f"{d}{a}"
    if case == "gen":
        return f"{'н' if vowel else d}{i}н"
    if case == "acc":
        return f"{'н' if vowel else d}{i}"
    if case == "attr":
        lk = "л" if vowel or last in "йр" else d
        return f"{lk}{i}к"
    return _refuse(case, "ky", "a word")


def _kk_suffix(sound: str, case: str, poss: bool) -> str:
    v = _last_vowel(sound, _KK_VOWELS)
    back = v in "аоұыяёюу"
    a, i = ("а", "ы") if back else ("е", "і")
    g, k, q = ("ғ", "қ", "қ") if back else ("г", "к", "к")
    if poss:
        return {
            "abl": f"н{a}н",
            "dat": f"н{a}",
            "loc": f"нд{a}",
            "gen": f"н{i}ң",
            "acc": "н",
        }.get(case) or _refuse(case, "kk", "a possessive noun")
    last = sound[-1]
    sonorant = last in "лрйузжи"
    nasal = last in "мнң"
    vowel = last in _KK_VOWELS and not sonorant
    dull = not (vowel or sonorant or nasal)
    if case == "abl":
        return f"{'т' if dull else 'н' if nasal else 'д'}{a}н"
    if case == "dat":
        return f"{k if dull else g}{a}"
    if case == "loc":
        return f"{'т' if dull else 'д'}{a}"
    if case == "gen":
        return f"{'т' if dull else 'н' if vowel or nasal else 'д'}{i}ң"
    if case == "acc":
        return f"{'т' if dull else 'н' if vowel else 'д'}{i}"
    if case == "attr":
        return f"{'т' if dull else 'л' if vowel or last in 'рйу' else 'д'}{i}{q}"
    return _refuse(case, "kk", "a word")


def _uz_suffix(word: str, case: str) -> str:
    low = word.lower()
    end = "k" if low.endswith("k") else "q" if low.endswith("q") else "g"
    return {
        "abl": "dan",
        "loc": "da",
        "gen": "ning",
        "acc": "ni",
        "dat": f"{end}a",
        "term": f"{end}acha",
        "attr": "lik",
    }.get(case) or _refuse(case, "uz", "a word")


def _refuse(case: str, lang: str, what: str) -> str:
    raise GrammarError(f"{lang} has no case {case!r} for {what}")


def inflect(phrase: str, case: str | None, lang: str, *, possessive: bool = False) -> str:
    """Put ``phrase`` ("3 ай", "5 жумуш күнү", "10 MRP") in ``case``: the ending goes on its last
    word. ``possessive``: the last word is a third-person possessive form (ky «күнү»).

    >>> inflect("3 ай", "abl", "ky"), inflect("30 күн", "dat", "kk"), inflect("3 oy", "abl", "uz")
    ('3 айдан', '30 күнге', '3 oydan')
    """
    if not case:
        return phrase
    if lang not in SUFFIXING:
        raise GrammarError(f"{lang} case forms are words in content, not suffixes")
    if case not in CASES[lang]:
        raise GrammarError(f"{lang} has no case {case!r}")
    head, _, word = phrase.rpartition(" ")
    prefix = f"{head} " if head else ""
    if lang == "uz":
        if any("а" <= c.lower() <= "я" for c in word):
            raise GrammarError(f"a Latin ending cannot follow the Cyrillic {word!r}")
        return prefix + word + _uz_suffix(word, case)
    if lang == "ky":
        return prefix + word + _ky_suffix(_sound(word, _KY_VOWELS), case, possessive)
    ending = _kk_suffix(_sound(word, _KK_VOWELS), case, possessive)
    hyphen = "-" if _is_abbreviation(word) else ""
    return prefix + word + hyphen + ending


def possessive(word: str, lang: str) -> str:
    """The third-person possessive of a Kyrgyz noun ("июль" -> "июлу", "май" -> "майы")."""
    if lang != "ky":
        raise GrammarError("only Kyrgyz dates use the possessive month")
    base = word.rstrip("ьъ")
    sound = _sound(base, _KY_VOWELS)
    high = _ky_high(_last_vowel(sound, _KY_VOWELS))
    return base + ("с" if sound[-1] in _KY_VOWELS else "") + high


# --- Dates ----------------------------------------------------------------------------------

_LOCALES = {"ru": "ru", "ky": "ky", "uz": "uz_Latn", "kk": "kk"}


def _month(value: dt.date, lang: str) -> str:
    return Locale.parse(_LOCALES[lang]).months["format"]["wide"][value.month]


def format_date(value: dt.date, lang: str, case: str | None = None) -> str:
    """A date as the language writes it, optionally in a case.

    * ru «1 июля 2026 г.» (babel/CLDR; the month is already genitive, so every case reads the same)
    * ky «2026-жылдын 1-июлу», abl «2026-жылдын 1-июлунан» (the month in the possessive)
    * uz «2026-yil 1-iyul», abl «2026-yil 1-iyuldan»
    * kk «2026 жылғы 1 шілде», abl «2026 жылғы 1 шілдеден»

    Dates take every case of the language except ``attr``.

    Month names come from CLDR; the patterns follow each language's official usage (the CLDR
    long patterns «2026-ж., 1-июль», «1-iyul, 2026», «2026 ж. 1 шілде» read as foreign here).
    """
    if case and (case not in CASES.get(lang, ()) or case == "attr"):
        raise GrammarError(f"{lang} dates have no case {case!r}")
    if lang == "ky":
        month = inflect(possessive(_month(value, lang), "ky"), case, "ky", possessive=True)
        return f"{value.year}-жылдын {value.day}-{month}"
    if lang == "uz":
        return f"{value.year}-yil {value.day}-{inflect(_month(value, lang), case, 'uz')}"
    if lang == "kk":
        return f"{value.year} жылғы {value.day} {inflect(_month(value, lang), case, 'kk')}"
    return _babel_format_date(value, "long", locale=_LOCALES.get(lang, "ru"))
