"""Leave one set out: does a learned topic model put the right everyday answer among the buttons
more often than the rules and the n-gram fallback alone? And how should the two be combined?

    .venv/bin/python scripts/topic_model_loso.py [--c 3 10 30]

Folds: the tuning sets dev, heldout1-5, train and train2 (never heldout6). Each fold's model is
trained on the everyday messages of the other sets of every language (plus the first wave's
phrasings), each filed under the entry screen of its topic, and ranks the fold's everyday
messages. Today's rules (content/, tuned on every fold: their figure is optimistic) give the
buttons they give; the model's topics are merged in by each candidate policy; counted: right topic
first, right topic among the three buttons.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.typed.evaluate import load_set, topic_of  # noqa: E402
from bot.typed.topic_model import TopicModel  # noqa: E402

SETS = ["dev", "heldout1", "heldout2", "heldout3", "heldout4", "heldout5", "train", "train2"]
LANGS = ["kk", "ky", "ru", "uz"]
THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]


def entry_of(content) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = {"deadlines": "dl", "person": "person"}
    out.update(content.trees)  # tree id -> its entry screen
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--c", type=float, nargs="*", default=[10.0])
    args = parser.parse_args()
    content = load_content(ROOT / "content")
    entries = entry_of(content)
    items = []
    for name in SETS:
        for lang in LANGS:
            data = load_set(ROOT / "tests/data/typed" / lang / f"{name}.yaml")
            for d in data["everyday"]:
                want = d["topic"] if isinstance(d["topic"], list) else [d["topic"]]
                items.append(dict(text=d["text"], set=name, want=want))
    for lang in LANGS:
        data = load_set(ROOT / "tests/data/phrasings" / f"{lang}.yaml")
        items += [dict(text=d["text"], set="phrasings", want=[d["topic"]]) for d in data["everyday"]]
    matcher = content.matcher
    matcher.topic_model = None  # the rules and the n-grams alone: the model is what is measured
    matcher.danger_model = None  # (both were trained on every fold)
    for it in items:  # what the rules (and the n-gram fallback) suggest today
        found = [m for m in matcher.match(it["text"]) if m.node in content.nodes]
        it["danger"] = bool(found and found[0].danger)
        it["rules"] = [m.node for m in found if not m.offer and not m.danger and m.why != "similar words"]
        it["similar"] = [m.node for m in found if m.why == "similar words"]
        it["today"] = [m.node for m in found if not m.offer and not m.danger]
    for c in args.c:
        TopicModel.c = c
        for fold in SETS:
            examples: dict[str, list[str]] = {}
            for it in items:
                if it["set"] != fold:
                    for t in it["want"]:
                        if t in entries:
                            examples.setdefault(entries[t], []).append(it["text"])
            model = TopicModel(examples)
            for it in items:
                if it["set"] == fold:
                    it["model"] = model.ranking(it["text"], 20)
            print(f"  c={c}: trained without {fold}", file=sys.stderr)
        test = [it for it in items if it["set"] in SETS and not it["danger"]]

        def score(policy, test=test) -> tuple[int, int]:  # type: ignore[no-untyped-def]
            first = in3 = 0
            for it in test:
                nodes = policy(it)[:3]
                topics = [topic_of(content, n) for n in nodes]
                first += bool(topics[:1] and topics[0] in it["want"])
                in3 += any(t in it["want"] for t in topics)
            return first, in3

        def merged(it, th, where, no_rules_model=True):  # type: ignore[no-untyped-def]
            rules = list(it["rules"])
            top, p = it["model"][0]
            if not rules:
                if no_rules_model:
                    return [n for n, q in it["model"] if q >= th / 2] or it["similar"]
                return it["similar"]
            have = {topic_of(content, n) for n in rules}
            if p >= th and topic_of(content, top) not in have:
                rules.insert(min(where, len(rules)), top)
            return rules

        def reranked(it, th):  # type: ignore[no-untyped-def]
            """The rules' answers ordered by the model's probability of their topic; the model's
            best topic first when it is at least ``th`` probable and the rules did not give it."""
            prob = {topic_of(content, n): q for n, q in it["model"]}
            rules = sorted(it["rules"], key=lambda n: -prob.get(topic_of(content, n), 0.0))
            if not rules:
                return [n for n, q in it["model"] if q >= th / 2] or it["similar"]
            top, p = it["model"][0]
            if p >= th and topic_of(content, top) not in {topic_of(content, n) for n in rules}:
                rules.insert(0, top)
            return rules

        n = len(test)
        print(f"\nC = {c}: {n} everyday messages of {len(SETS)} folds (not opened as danger)")

        def row(what: str, f: int, i: int, n: int = n) -> None:
            print(f"  {what:60} first {f:5} ({100 * f / n:4.1f}%)  in 3 {i:5} ({100 * i / n:4.1f}%)")

        row("today (rules + n-gram fallback)", *score(lambda it: it["today"]))
        row("model alone", *score(lambda it: [m for m, _ in it["model"]]))
        for th in THRESHOLDS:
            what = f"rules reranked by the model, its topic first when p >= {th:.1f}"
            row(what, *score(lambda it, th=th: reranked(it, th)))
        for where in (0, 1, 2):
            for th in THRESHOLDS:
                what = f"model topic at {where + 1} when p >= {th:.1f} (no rule: model >= {th / 2:.2f})"
                row(what, *score(lambda it, th=th, where=where: merged(it, th, where)))


if __name__ == "__main__":
    main()
