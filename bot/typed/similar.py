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

import heapq
import math
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

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


@lru_cache(maxsize=256)
def _text_grams(text: str) -> tuple[tuple[str, int], ...]:
    """A message's n-grams, cut once: the fallback and the danger examples both read them."""
    return tuple(_grams(tokens(text)).items())


class Similar:
    """Documents indexed by n-gram; ``best(text)`` gives (document id, cosine) pairs."""

    def __init__(self, documents: Mapping[str, str]) -> None:
        counts = {doc: _grams(tokens(text)) for doc, text in documents.items()}
        df: Counter[str] = Counter()
        for grams in counts.values():
            df.update(grams.keys())
        total = max(len(counts), 1)
        self._idf = {g: math.log((1 + total) / (1 + n)) + 1.0 for g, n in df.items()}
        self._docs = sorted(counts)
        # gram -> (document numbers, weights): scores add up in a list, not a dict (the hot loop).
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for number, doc in enumerate(self._docs):
            grams = counts[doc]
            weights = {g: (1 + math.log(c)) * self._idf[g] for g, c in grams.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for g, w in weights.items():
                docs, ws = postings.setdefault(g, ([], []))
                docs.append(number)
                ws.append(w / norm)
        self._postings = postings

    def best(self, text: str, limit: int = 3) -> list[tuple[str, float]]:
        weights = {g: (1 + math.log(c)) * self._idf[g] for g, c in _text_grams(text) if g in self._idf}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if not norm:
            return []
        scores = [0.0] * len(self._docs)
        for g, w in weights.items():
            docs, ws = self._postings[g]
            for d, dw in zip(docs, ws, strict=True):
                scores[d] += w * dw
        top = heapq.nlargest(limit, (i for i, s in enumerate(scores) if s > 0), key=lambda i: (scores[i], -i))
        ranked = sorted(((self._docs[i], scores[i] / norm) for i in top), key=lambda p: (-p[1], p[0]))
        return ranked
