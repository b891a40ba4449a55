"""Find editors' stems in a message's words: as word starts, give or take one typo.

Kazakh, Kyrgyz and Uzbek build words by adding suffixes to a stem (паспорт-ум-ду, төлқұжат-ым-ды,
pasport-im-ni, бер-ме-й-ді), Russian mostly changes endings: so a stem matches every word that
begins with it. That is the suffix stripping, done from the other side. What prefixes do not cover
is written by the editors (negated forms, see ``lexicon``) or generated here:

- a Turkic stem ending in к or п (folded) also matches with г or б, the voiced consonant it turns
  into before a vowel suffix (жүрек → жүрегі, китеп → китеби, oyoq → oyog‘i);
- a stem of 6+ letters forgives one changed, missing, extra or swapped letter, never its first or
  last letter; shorter stems must match exactly (with all languages tried on every message, 5-letter
  stems met too many words of another language: Russian "током" is one letter from Kyrgyz "төлөм");
- a stem of one or two letters ("не", "ек") matches only the whole word, and so does a stem
  written with a final "=" ("друг=" is not "другой").

Typo tolerance uses deletion neighbourhoods, as SymSpell does: a stem of 6+ letters is indexed
under itself and every one-letter deletion of it; a prefix of a message word finds it when the
prefix, or one of its one-letter deletions, is a key. A few dictionary lookups per word.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["StemIndex", "voiced_variant"]

TYPO_MIN = 6  # shortest stem for which a typo is forgiven (measured: 5 raised alarms)
WHOLE_MAX = 2  # stems this short match only the whole word
WHOLE = "="  # a stem written "друг=" matches only the whole word (not "другой")
_VOICED = {"к": "г", "п": "б"}


def voiced_variant(stem: str) -> str | None:
    """The stem with its last к/п voiced (Turkic consonant alternation), for stems of 3+ letters."""
    if len(stem) >= 3 and stem[-1] in _VOICED:
        return stem[:-1] + _VOICED[stem[-1]]
    return None


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """``b`` is ``a`` with at most one letter changed, swapped, added or dropped.

    Never the first letter, and never the last:  "пожар" is not "пожал-уйста",
    "домога" is not "помога-ют", "сломаю" is not "сломал" (a stem's ends tell words apart).
    """
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1 or a[:1] != b[:1]:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return diff[0] != len(a) - 1
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(1, len(long_) - 1))


def _near(stem: str, token: str) -> bool:
    """The word ``token`` starts with ``stem`` give or take one typo.

    A changed, swapped or extra letter is forgiven from TYPO_MIN letters, a missing one from one more.
    """
    if len(stem) < TYPO_MIN:
        return False
    sizes = [len(stem), len(stem) + 1]
    if len(stem) > TYPO_MIN:
        sizes.append(len(stem) - 1)
    return any(_one_edit(stem, token[:n]) for n in sizes if n <= len(token))


class StemIndex:
    """Every stem of the vocabulary, looked up by the prefixes of a word."""

    def __init__(self, stems: Iterable[str], exact: Iterable[str] = ()) -> None:
        """``exact``: stems matched without typos (generated negated forms: "бербе" is one letter
        from "берге-н", the very word it negates)."""
        self.stems = frozenset(s for s in stems if s)
        self._exact = frozenset(exact)
        self._whole = frozenset(s for s in self.stems if s.endswith(WHOLE))
        self._keys: dict[str, set[str]] = {}
        for stem in self.stems - self._whole:
            self._keys.setdefault(stem, set()).add(stem)
            if len(stem) >= TYPO_MIN and stem not in self._exact:
                for d in _deletions(stem):
                    self._keys.setdefault(d, set()).add(stem)
        self._longest = max((len(s) for s in self.stems), default=0) + 1
        self._cache: dict[str, frozenset[str]] = {}

    def hits(self, token: str) -> frozenset[str]:
        """The stems found in one word (as its start, or within one typo of it)."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        hits: set[str] = set()
        if token + WHOLE in self._whole:
            hits.add(token + WHOLE)
        for size in range(1, min(len(token), self._longest) + 1):
            prefix = token[:size]
            exact = self._keys.get(prefix)
            if exact:
                for st in exact:
                    if st == prefix:
                        if len(st) > WHOLE_MAX or st == token:
                            hits.add(st)
                    elif st not in self._exact and _near(st, token):  # a letter missing in the message
                        hits.add(st)
            if size >= TYPO_MIN:  # deletion keys exist only for stems of TYPO_MIN+ letters
                for d in _deletions(prefix):
                    for st in self._keys.get(d, ()):
                        # One letter too many in the message, or one letter changed.
                        if st not in hits and st not in self._exact and _near(st, token):
                            hits.add(st)
        found = frozenset(hits)
        if len(self._cache) < 50_000:
            self._cache[token] = found
        return found
