"""The statistical fallback: which answer's words look most like the message, by letter n-grams.

Used only for everyday questions no rule or phrase understood, and never to raise an alarm: a
danger screen opens only on a rule an editor wrote. Each candidate answer is a "document" (its
button labels and text in every language, and the editors' phrases for it); message and documents
are cut into letter n-grams of 3 and 4 inside words (with word boundaries), weighted by TF-IDF,
and compared by cosine. Letter n-grams tolerate inflections, typos and missing special letters
without any grammar, which is why they are the fallback and not the first method: they cannot
tell "they took my passport" from "how do I renew my passport".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from bot.typed.text import tokens

__all__ = ["Similar"]

_SIZES = (3, 4)


def _grams(words: list[str]) -> Counter[str]:
    grams: Counter[str] = Counter()
    for w in words:
        if len(w) < 3 or w.isdigit():
            continue
        padded = f" {w} "
        for n in _SIZES:
            for i in range(len(padded) - n + 1):
                grams[padded[i : i + n]] += 1
    return grams


class Similar:
    """Documents indexed by n-gram; ``best(text)`` gives (document id, cosine) pairs."""

    def __init__(self, documents: Mapping[str, str]) -> None:
        counts = {doc: _grams(tokens(text)) for doc, text in documents.items()}
        df: Counter[str] = Counter()
        for grams in counts.values():
            df.update(grams.keys())
        total = max(len(counts), 1)
        self._idf = {g: math.log((1 + total) / (1 + n)) + 1.0 for g, n in df.items()}
        self._postings: dict[str, list[tuple[str, float]]] = {}
        for doc, grams in counts.items():
            weights = {g: (1 + math.log(c)) * self._idf[g] for g, c in grams.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for g, w in weights.items():
                self._postings.setdefault(g, []).append((doc, w / norm))

    def best(self, text: str, limit: int = 3) -> list[tuple[str, float]]:
        grams = _grams(tokens(text))
        weights = {g: (1 + math.log(c)) * self._idf[g] for g, c in grams.items() if g in self._idf}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if not norm:
            return []
        scores: dict[str, float] = {}
        for g, w in weights.items():
            for doc, dw in self._postings[g]:
                scores[doc] = scores.get(doc, 0.0) + w * dw
        ranked = sorted(((doc, s / norm) for doc, s in scores.items()), key=lambda p: (-p[1], p[0]))
        return ranked[:limit]
