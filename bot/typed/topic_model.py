"""A learned topic model: which everyday answer a typed question is about, from example messages.

Trained on the everyday examples filed under a topic in ``content/<lang>/examples.yaml``
(``topics: {pay: [...], reg: [...]}``: the entry screen of a topic, every language pooled), with
the same features and training as the danger model (``linear``). The rules know a question when
its words are listed; the model also knows the questions that resemble the examples, so the
matcher adds its best topic to the buttons when the rules did not suggest it (how, and the
threshold, measured by leaving one test set out: ``scripts/topic_model_loso.py``,
docs/TYPED_QUESTIONS.md). Off-topic examples (``offtopic:``) are one more class, so a message like
none of the topics is not forced onto the least unlikely one.
"""

from __future__ import annotations

from bot.typed.linear import LinearModel

__all__ = ["OFFTOPIC", "TopicModel"]

#: The class of messages that are no question for the bot at all (greetings, thanks, gibberish,
#: a text meant for someone else: ``offtopic:`` in examples.yaml). Never a button: when it is the
#: most probable class and no rule fired, the bot says it did not understand (and shows the menu).
OFFTOPIC = "offtopic"


class TopicModel(LinearModel):
    """Trained from ``examples[topic entry screen] = messages``; ``ranking(text)``."""

    kind = "topic-model"
    c = 10.0

    def ranking(self, text: str, limit: int = 3) -> list[tuple[str, float]]:
        """The most probable topics (entry screens) and their probabilities, best first (all of
        them with ``limit`` 0)."""
        if not self:
            return []
        p = self.probabilities(text)
        order = sorted(range(len(p)), key=lambda k: (-p[k], self.classes[k]))[: limit or None]
        return [(self.classes[k], float(p[k])) for k in order]
