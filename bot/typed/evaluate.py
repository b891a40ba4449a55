"""Measure typed-question understanding on sets of messages written by native speakers.

A set (``tests/data/typed/<lang>/<name>.yaml``) has ``danger`` messages, each with the kind of
danger (or, for a message that tells two dangers at once, both: ``kind: [passport, violence]``),
and ``everyday`` messages, each with its topic (or a list of equally right topics)::

    danger:
      - {text: "паспортумду бербей жатат", kind: passport}
    everyday:
      - {text: "регистрацияны кантип жасайм", topic: registration}

Figures per set: danger messages that opened the right urgent screen (and any urgent screen),
everyday messages whose first suggestion is right and whose suggestions (at most 3) include a
right one, and false alarms (everyday messages that opened an urgent screen).

``python -m bot content evaluate tests/data/typed/*/heldout1.yaml [--misses]`` prints them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content.loader import YAML_LOADER
from bot.content.model import Content
from bot.typed.matcher import Match, second_urgent

__all__ = [
    "HELD_OUT_SETS",
    "KINDS",
    "OFF_TOPIC",
    "TUNING_SETS",
    "Score",
    "evaluate",
    "load_set",
    "screens_for",
    "topic_of",
]

#: Danger kind → urgent screens that are right for it (the first is the one meant for it).
KINDS: dict[str, tuple[str, ...]] = {
    "passport": ("sos_passport", "sos_locked"),
    "locked": ("sos_locked",),
    "violence": ("sos_violence",),
    "debt": ("sos_debt", "sos_locked"),
    "sexual": ("sos_sexual",),
    "harass": ("sos_harass", "sos_sexual"),
    "suicide": ("sos_suicide",),
    "medical": ("sos_medical",),
    "fire": ("sos_fire",),
    # A fire was labelled "other" before the fire screen (session 14): sos_fire is right for it.
    "other": ("sos_other", "sos_locked", "sos_fire"),
}
_SPECIAL = {"dl": "deadlines", "person": "person"}
#: The sets never opened: no word was tuned on them, no example comes from them, and no tool prints
#: their messages (``scripts/typed_round.py`` keeps their figures only). A set leaves this list for
#: ``TUNING_SETS`` when a round opens it.
HELD_OUT_SETS = ("heldout38", "heldout39", "offtopic3", "offtopic_heldout")
#: The sets the words were tuned on and the models' examples come from
#: (``scripts/examples_from_sets.py``); never one of ``HELD_OUT_SETS``.
TUNING_SETS = ["dev", "heldout1", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7"]
TUNING_SETS += ["heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "train", "train2"]
TUNING_SETS += ["train3a", "train3b", "train4", "train5", "train6", "train7", "train8", "train9", "train10"]
TUNING_SETS += ["train11", "heldout14", "train12", "heldout15", "train13", "offtopic", "offtopic2"]
TUNING_SETS += ["train14", "heldout16", "train15", "heldout17", "train16", "heldout18"]
TUNING_SETS += ["train17", "heldout19", "train18", "heldout20", "train19", "heldout21"]
TUNING_SETS += ["train20", "heldout22", "train21", "heldout23"]
TUNING_SETS += ["train22", "heldout24", "train23", "heldout25"]
TUNING_SETS += ["train24", "heldout26", "train25"]
TUNING_SETS += ["train26", "heldout27"]
TUNING_SETS += ["train27", "heldout28"]
TUNING_SETS += ["train28", "heldout29"]
TUNING_SETS += ["train29", "heldout30"]
TUNING_SETS += ["train30", "heldout31"]
TUNING_SETS += ["train31", "heldout32"]
TUNING_SETS += ["train32", "heldout33"]
TUNING_SETS += ["train33", "heldout34"]
TUNING_SETS += ["train34", "heldout35"]
TUNING_SETS += ["train35", "heldout36"]
TUNING_SETS += ["train36", "heldout37"]
#: The topic of messages that are no question for the bot (greetings, gibberish, a text meant for
#: someone else): right when the bot says it did not understand.
OFF_TOPIC = "none"


def topic_of(content: Content, node: str) -> str:
    """The everyday topic a node belongs to: its tree, or deadlines / person."""
    return _SPECIAL.get(node) or content.nodes[node].tree


@dataclass
class Score:
    name: str
    danger: int = 0
    danger_right: int = 0  # the right urgent screen
    danger_any: int = 0  # some urgent screen
    danger_offered: int = 0  # the right urgent screen opened, or one press away (below)
    #: Of ``danger_offered``: a wrong urgent screen opened, with the right one as its first button
    #: (the message told two dangers, ``matcher.second_urgent``).
    danger_second: int = 0
    everyday: int = 0
    first_right: int = 0
    top3_right: int = 0
    false_alarms: int = 0
    offers: int = 0  # everyday messages offered an urgent screen as a button (not opened)
    offtopic: int = 0  # messages that are no question for the bot (topic: none)
    offtopic_quiet: int = 0  # of them, answered "not understood": no button, no urgent screen
    #: The texts missed. Not in the repr: a failed assertion on a held-out set's figures prints the
    #: Score (pytest shows "where 54 = Score(...)"), and must not print the set's texts.
    misses: list[str] = field(default_factory=list, repr=False)

    @staticmethod
    def _pct(a: int, b: int) -> str:
        return f"{100 * a / b:5.1f}%" if b else "    -"

    def row(self) -> str:
        if self.offtopic and not (self.danger or self.everyday):
            return (
                f"{self.name:22} off-topic {self._pct(self.offtopic_quiet, self.offtopic)} answered "
                f"'not understood' of {self.offtopic:3} | false alarms {self.false_alarms}"
                f" | urgent offered {self.offers}"
            )
        return (
            f"{self.name:22} danger {self._pct(self.danger_right, self.danger)} right "
            f"({self._pct(self.danger_any, self.danger)} urgent) of {self.danger:3} | everyday "
            f"{self._pct(self.first_right, self.everyday)} first, "
            f"{self._pct(self.top3_right, self.everyday)} in 3, of {self.everyday:3} "
            f"| false alarms {self.false_alarms}"
            f" | with offers: danger {self._pct(self.danger_offered, self.danger)}"
            f" ({self.danger_second} by the second urgent button),"
            f" everyday offered {self.offers}"
        )


def load_set(path: Path) -> dict:
    # libyaml (YAML_LOADER): the typed sets are ~60,000 messages in 380 files, 11 s of CPU with the
    # pure-Python loader, 1.2 s with it (session 29; the same data, checked file by file).
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}  # noqa: S506 - a safe loader
    if "topics" in data:  # the first wave's phrasings: [text, topic] pairs and danger texts
        data = {
            "danger": [{"text": t, "kind": None} for t in data.get("danger", [])],
            "everyday": [{"text": t, "topic": topic} for t, topic in data["topics"]],
        }
    for item in data.get("danger", []):
        kinds = item["kind"] if isinstance(item["kind"], list) else [item["kind"]]
        if item["kind"] is not None and (not kinds or any(k not in KINDS for k in kinds)):
            raise ValueError(f"{path}: unknown danger kind {item['kind']!r}")
    return data


def screens_for(kind: str | list[str] | None) -> tuple[str, ...]:
    """The urgent screens right for a danger kind, or for each of a message's kinds (a message
    that tells two dangers at once, as its writer marked it: ``kind: [passport, violence]``)."""
    kinds = kind if isinstance(kind, list) else [kind]
    return tuple(s for k in kinds for s in KINDS.get(k, ()))  # type: ignore[arg-type]


def danger_outcome(found: Sequence[Match], kind: str | list[str] | None) -> str:
    """How a danger message of ``kind`` fared, from the matcher's answers ``found``: "right" (its
    urgent screen opened; any screen for a message of no kind), "offer" (offered as the first button),
    "second" (a wrong screen opened with the right one as its first button), "wrong" or "none"."""
    got = found[0].node if found and found[0].danger else None
    offered = found[0].node if found and found[0].offer else None
    right = screens_for(kind)
    if got in right or (kind is None and got is not None):
        return "right"
    if offered in right or (kind is None and offered is not None):
        return "offer"
    if second_urgent(found) in right:
        return "second"
    return "wrong" if got else "none"


def evaluate(content: Content, path: Path, name: str | None = None) -> Score:
    data = load_set(path)
    score = Score(name or f"{path.parent.name}/{path.stem}")
    matcher = content.matcher
    for item in data.get("danger", []):
        text, kind = item["text"], item["kind"]
        found = [m for m in matcher.match(text) if m.node in content.nodes]
        got = found[0].node if found and found[0].danger else None
        score.danger += 1
        if got is not None:
            score.danger_any += 1
        outcome = danger_outcome(found, kind)
        label = "+".join(kind) if isinstance(kind, list) else (kind or "any")
        if outcome == "right":
            score.danger_right += 1
            score.danger_offered += 1
        elif outcome == "offer":
            score.danger_offered += 1
            score.misses.append(f"OFFER  {label:9} got {found[0].node:14} {text}")
        elif outcome == "second":
            score.danger_offered += 1
            score.danger_second += 1
            score.misses.append(f"SECOND {label:9} got {got:14} {text}")
        else:
            score.misses.append(f"DANGER {label:9} got {got or '-':14} {text}")
    for item in data.get("everyday", []):
        text = item["text"]
        want = item["topic"] if isinstance(item["topic"], list) else [item["topic"]]
        found = [m for m in matcher.match(text) if m.node in content.nodes]
        if want == [OFF_TOPIC]:  # no question for the bot: right when nothing is guessed
            score.offtopic += 1
            if found and found[0].danger:
                score.false_alarms += 1
                score.misses.append(f"ALARM  {OFF_TOPIC:9} got {found[0].node:14} {text}")
            elif found:
                score.offers += bool(found[0].offer)
                got = ",".join(m.node for m in found)
                score.misses.append(f"GUESS  {OFF_TOPIC:9} got {got:14} {text}")
            else:
                score.offtopic_quiet += 1
            continue
        score.everyday += 1
        if found and found[0].danger:
            score.false_alarms += 1
            score.misses.append(f"ALARM  {'/'.join(want):9} got {found[0].node:14} {text}")
            continue
        if found and found[0].offer:
            score.offers += 1
        topics = [topic_of(content, m.node) for m in found if not m.offer]
        if topics[:1] and topics[0] in want:
            score.first_right += 1
        if any(t in want for t in topics):
            score.top3_right += 1
        else:
            score.misses.append(f"TOPIC  {'/'.join(want):9} got {','.join(topics) or '-':14} {text}")
    return score


def report(content: Content, paths: Iterable[Path], misses: bool = False) -> list[Score]:
    scores = [evaluate(content, p) for p in paths]
    for s in scores:
        print(s.row())
        if misses:
            for line in s.misses:
                print("   ", line)
    return scores
