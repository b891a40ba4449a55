"""Understand typed questions: match free text to nodes by editors' keywords, in four languages.

Editors keep ``content/<lang>/match.yaml``::

    danger:                      # shown at once, before anything else
      sos_passport: ["забрали паспорт", "паспорт у хозяина"]
    topics:                      # offered as "did you mean..." buttons
      pay: ["не платят", "зарплата задерживают"]

A phrase matches when *every* word of it is found in the message, in any order. A word is found
when a word of the message starts with it, allowing one typo in stems of 5+ letters, after both are
normalised: lower case, ё→е, apostrophe variants dropped (o' oʻ o‘ o` → o), the special letters of
Kazakh, Kyrgyz and Uzbek folded to their plain look-alikes (қ→к, ө→о, ү→у, ғ→г, ң→н, ә→а, і→и,
ұ→у, һ→х, ҳ→х, ў→о as Latin o‘), and Uzbek or Kyrgyz typed in Latin letters compared with
Cyrillic keywords (and Latin keywords with Cyrillic typing) by a simple transliteration. So
"pasportimni olib qo'yishdi" matches "pasport olib", and "зорплату не платят" matches "зарплат не
плат". Editors write stems ("зарплат") to cover inflections; short stems (under 5 letters) must
match exactly, or "долг" would fire on "договор".

Keywords of every language are tried, whatever the user's language: people mix languages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Matcher", "Match", "normalize", "words"]

_FOLD = str.maketrans(
    {
        "ё": "е",
        "қ": "к",
        "ө": "о",
        "ү": "у",
        "ұ": "у",
        "ғ": "г",
        "ң": "н",
        "ә": "а",
        "і": "и",
        "һ": "х",
        "ҳ": "х",
        "ў": "о",  # Uzbek Cyrillic ў is Latin o‘
        "ы": "ы",
        "ʼ": "",
        "ʻ": "",
        "‘": "",
        "’": "",
        "'": "",
        "`": "",
        "´": "",
    }
)
# Latin → Cyrillic, longest first, for Uzbek and Kyrgyz typed in Latin letters.
_LAT = [
    ("sh", "ш"), ("ch", "ч"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"), ("ts", "ц"), ("zh", "ж"),
    ("kh", "х"), ("gh", "г"), ("ng", "н"), ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"),
    ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("v", "в"), ("w", "в"), ("x", "х"), ("y", "й"), ("z", "з"),
]  # fmt: skip
_WORD = re.compile(r"[0-9a-zа-яё]+")
_MIN_SCORE = 1.0
_TYPO_MIN = 5  # shortest stem for which a typo is forgiven


def normalize(text: str) -> str:
    """Lower case, unified letters, no apostrophes: the form both sides are compared in."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    return text.replace("ё", "е")


def _to_cyrillic(word: str) -> str:
    out, i = [], 0
    while i < len(word):
        for lat, cyr in _LAT:
            if word.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out).replace("ё", "е")


def words(text: str) -> list[str]:
    """The message's words, each also in Cyrillic if it was typed in Latin letters."""
    out = []
    for w in _WORD.findall(normalize(text)):
        out.append(w)
        if re.search("[a-z]", w):
            out.append(_to_cyrillic(w))
    return out


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by at most one inserted, deleted, changed or swapped letter."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _near(stem: str, token: str) -> bool:
    """The word ``token`` starts with ``stem`` give or take one typo.

    Short stems are too easy to hit by accident ("долг" is one letter from "дог-овор"): a changed,
    swapped or extra letter is forgiven from 5 letters, a missing letter from 6.
    """
    if len(stem) < _TYPO_MIN:
        return False
    sizes = [len(stem), len(stem) + 1]
    if len(stem) > _TYPO_MIN:
        sizes.append(len(stem) - 1)
    return any(_one_edit(stem, token[:n]) for n in sizes if n <= len(token))


@dataclass(frozen=True)
class Match:
    node: str
    score: float
    danger: bool


@dataclass(frozen=True)
class _Phrase:
    node: str
    stems: tuple[str, ...]
    danger: bool


class Matcher:
    """Keywords of every language, indexed once per content version.

    Typo tolerance uses deletion neighbourhoods (as SymSpell does): a stem of 5+ letters is
    indexed under itself and every one-letter deletion of it; a prefix of a message word finds it
    when the prefix, or one of its one-letter deletions, is a key. That covers one inserted,
    deleted, changed or swapped letter, in a few dictionary lookups per word.
    """

    def __init__(self, lists: dict[str, dict[str, dict[str, list[str]]]]) -> None:
        """``lists[lang]["danger"|"topics"][node]`` = phrases."""
        phrases: list[_Phrase] = []
        for per_lang in lists.values():
            for section in ("danger", "topics"):
                for node, items in (per_lang.get(section) or {}).items():
                    for item in items:
                        stems = tuple(dict.fromkeys(w for w in _WORD.findall(normalize(item)) if w))
                        if not stems:
                            continue
                        phrases.append(_Phrase(node, stems, section == "danger"))
                        if any(re.search("[a-z]", st) for st in stems):
                            # A Latin phrase also matches the same words typed in Cyrillic.
                            cyr = tuple(_to_cyrillic(st) for st in stems)
                            phrases.append(_Phrase(node, cyr, section == "danger"))
        self.phrases = tuple(phrases)
        self._keys: dict[str, set[str]] = {}
        self._by_stem: dict[str, list[_Phrase]] = {}
        for phrase in self.phrases:
            for stem in phrase.stems:
                self._by_stem.setdefault(stem, []).append(phrase)
        for stem in self._by_stem:
            self._keys.setdefault(stem, set()).add(stem)
            if len(stem) >= _TYPO_MIN:
                for d in _deletions(stem):
                    self._keys.setdefault(d, set()).add(stem)
        self._longest = max((len(st) for st in self._by_stem), default=0) + 1

    def _hits(self, tokens: list[str]) -> set[str]:
        """Every stem found in the message (as a word start, or within one typo of one)."""
        hits: set[str] = set()
        for token in tokens:
            for size in range(1, min(len(token), self._longest) + 1):
                prefix = token[:size]
                exact = self._keys.get(prefix)
                if exact:
                    # The stem itself, or a stem one letter longer (a letter missing in the message).
                    hits.update(st for st in exact if st == prefix or _near(st, token))
                if size >= _TYPO_MIN:  # deletion keys exist only for stems of 5+ letters
                    for d in _deletions(prefix):
                        found = self._keys.get(d)
                        if found:
                            # One letter too many in the message, or one letter changed.
                            hits.update(
                                st for st in found if len(st) >= 4 and st not in hits and _near(st, token)
                            )
        return hits

    def match(self, text: str, limit: int = 3) -> list[Match]:
        """The best nodes for ``text``: danger matches first, then topics by score."""
        tokens = words(text)
        if not tokens:
            return []
        hits = self._hits(tokens)
        scores: dict[tuple[str, bool], float] = {}
        seen_phrases: set[int] = set()
        for stem in hits:
            for phrase in self._by_stem.get(stem, ()):
                if id(phrase) in seen_phrases:
                    continue
                seen_phrases.add(id(phrase))
                if all(st in hits for st in phrase.stems):
                    key = (phrase.node, phrase.danger)
                    weight = sum(len(st) for st in phrase.stems) / 4 + len(phrase.stems)
                    scores[key] = max(scores.get(key, 0.0), weight) + 0.25 * (key in scores)
        ranked = sorted(
            (Match(node, score, danger) for (node, danger), score in scores.items() if score >= _MIN_SCORE),
            key=lambda m: (not m.danger, -m.score, m.node),
        )
        seen: set[str] = set()
        out = []
        for m in ranked:
            if m.node not in seen:
                seen.add(m.node)
                out.append(m)
        return out[:limit]

    def danger(self, text: str) -> str | None:
        """The urgent node for ``text`` if it signals danger, else None."""
        found = self.match(text, limit=1)
        return found[0].node if found and found[0].danger else None
