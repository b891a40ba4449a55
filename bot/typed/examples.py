"""A safety net for danger the rules missed: messages that look like known danger messages.

Editors keep example messages per urgent screen (``content/<lang>/examples.yaml``: how people
really wrote about a withheld passport, a beating, a fall...) and everyday counter-examples. When
no danger rule fired, the message is compared (letter n-grams, TF-IDF, cosine: see ``similar``)
with every example; when its nearest example is a danger one, close enough, and clearly closer than
any everyday example, that urgent screen is OFFERED as the first button. It never opens an urgent
screen by itself: measured on the tuning sets (leave one set out), it found 42 danger messages the
rules missed, but it also fell on 11 of about 1,400 everyday messages, which would have been false
alarms (the target is zero). docs/TYPED_QUESTIONS.md has the figures.

Since the learned model (``danger_model``) found more at fewer everyday offers, the matcher asks
the neighbours only when it has no model; ``content match --near`` still shows the nearest examples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.typed.similar import Similar

__all__ = ["EVERYDAY", "Examples"]

#: The key of the counter-examples in examples.yaml.
EVERYDAY = "everyday"
#: Thresholds chosen by leave-one-set-out on the tuning sets (dev, heldout1, heldout2), never on
#: the held-out sets: the nearest danger example at least this similar...
NEAR = 0.25
#: ...and at least this much more similar than the nearest everyday example.
MARGIN = 0.10
_K = 5


class Examples:
    """Example messages per urgent screen (and everyday ones); ``nearest_danger(text)``."""

    def __init__(self, examples: Mapping[str, Sequence[str]]) -> None:
        self._labels: list[str] = []
        documents: dict[str, str] = {}
        for node, texts in examples.items():
            for text in texts:
                documents[str(len(self._labels))] = text
                self._labels.append(node)
        # Indexed on first use: with the danger model the bot never asks (only `content match`
        # and matchers built without a model do), and indexing is about 40% of a content load.
        self._documents = documents
        self._index: Similar | None = None

    def __len__(self) -> int:
        return len(self._labels)

    @property
    def _similar(self) -> Similar | None:
        if self._index is None and self._documents:
            self._index = Similar(self._documents)
        return self._index

    def nearest(self, text: str) -> list[tuple[str, float]]:
        """(screen or "everyday", similarity) of the nearest examples, best first."""
        similar = self._similar
        if similar is None:
            return []
        return [(self._labels[int(d)], s) for d, s in similar.best(text, _K)]

    def nearest_danger(self, text: str) -> tuple[str, float] | None:
        """The urgent screen whose examples ``text`` resembles, if clearly so; else None."""
        near = self.nearest(text)
        if not near:
            return None
        node, score = near[0]
        if node == EVERYDAY or score < NEAR:
            return None
        everyday = max((s for n, s in near if n == EVERYDAY), default=0.0)
        if score - everyday < MARGIN:
            return None
        return node, score
