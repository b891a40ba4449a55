"""Leave one set out: does the learned danger model find more than the nearest neighbours?

    .venv/bin/python scripts/danger_model_loso.py [--old-rules 6c8be10]
    .venv/bin/python scripts/danger_model_loso.py --folds train6 heldout8 --old-rules b151310

With ``--folds`` (session 7) the model is trained on every set the examples come from
(scripts/examples_from_sets.py; never heldout11) but the fold, for each fold named; ``fresh`` then
counts the fold's messages where the older rules fired nothing. Without it, as first written:

Six folds: the sets dev, heldout1, heldout2, heldout3, heldout4 and train of all four languages
(never heldout5). Each fold trains on the other five sets of every language (plus the first wave's
everyday phrasings, as content/<lang>/examples.yaml does) and is tested on the sixth. For each
candidate and threshold it counts, in the held-out fold:

- ``resid``: messages where no danger rule fired (today's rules): danger messages found with the
  right urgent screen / with any urgent screen / all, everyday messages it fired on / all;
- ``fresh`` (with ``--old-rules``): the same where the rules of that commit fired nothing, only on
  the sets those rules were not tuned on (heldout3, heldout4, train before the fourth pass): today's
  rules were tuned on every fold, so their residue is tiny; the older rules' residue on sets they
  never saw is what a fresh message looks like;
- ``all``: every message of the fold (the model alone, the rules ignored).

Candidates: (a) the neighbours (``bot.typed.examples``: nearest example a danger one, similarity
≥ threshold, margin 0.10 over the nearest everyday example), (b) the model (``bot.typed.danger_model``:
multinomial logistic regression on letter 2-5-grams, danger score 1 − P(everyday)).
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.typed.danger_model import DangerModel, opens  # noqa: E402
from bot.typed.evaluate import TUNING_SETS, danger_outcome, load_set, screens_for  # noqa: E402
from bot.typed.examples import EVERYDAY, MARGIN, Examples  # noqa: E402

FOLDS = ["dev", "heldout1", "heldout2", "heldout3", "heldout4", "train"]
LANGS = ["kk", "ky", "ru", "uz"]
NN_THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]
MODEL_THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99]


def messages(sets: list[str]) -> list[dict]:
    out = []
    for name in sets:
        for lang in LANGS:
            data = load_set(ROOT / "tests/data/typed" / lang / f"{name}.yaml")
            out += [
                dict(text=d["text"], set=name, kind=d["kind"], label=screens_for(d["kind"])[0])
                for d in data.get("danger", [])
            ]
            everyday = data.get("everyday", [])
            out += [dict(text=d["text"], set=name, kind=None, label=EVERYDAY) for d in everyday]
    for lang in LANGS:
        data = load_set(ROOT / "tests/data/phrasings" / f"{lang}.yaml")
        out += [dict(text=d["text"], set="phrasings", kind=None, label=EVERYDAY) for d in data["everyday"]]
    return out


def rule_fired(content_root: Path, items: list[dict], key: str) -> None:
    content = load_content(content_root)
    content.matcher.danger_model = None  # the rules alone (the model would be tested on its training set)
    for item in items:
        found = [m for m in content.matcher.match(item["text"]) if m.node in content.nodes]
        item[key] = bool(found and found[0].danger)


def old_rules(commit: str, items: list[dict]) -> None:
    """Mark ``old``: a danger rule of ``commit``'s code and content fired (run in a subprocess)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "bot", "content"], check=True, capture_output=True
        ).stdout
        with tempfile.TemporaryFile() as f:
            f.write(archive)
            f.seek(0)
            with tarfile.open(fileobj=f) as tar:
                tar.extractall(tmp, filter="data")
        code = (
            "import sys, json; sys.path.insert(0, sys.argv[1]); from pathlib import Path;"
            "from bot.content.loader import load_content;"
            "c = load_content(Path(sys.argv[1]) / 'content');"
            "texts = json.load(sys.stdin);"
            "out = [];"
            "[out.append(bool((f := [m for m in c.matcher.match(t) if m.node in c.nodes]) and f[0].danger))"
            " for t in texts];"
            "print(json.dumps(out))"
        )
        import json

        result = subprocess.run(
            [sys.executable, "-c", code, tmp],
            input=json.dumps([i["text"] for i in items]),
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp,
        )
        for item, fired in zip(items, json.loads(result.stdout), strict=True):
            item["old"] = fired


def training(items: list[dict], fold: str) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = collections.defaultdict(list)
    for item in items:
        if item["set"] != fold:
            examples[item["label"]].append(item["text"])
    return examples


def neighbours(items: list[dict], folds: list[str]) -> dict[int, tuple[str | None, float]]:
    out: dict[int, tuple[str | None, float]] = {}
    for fold in folds:
        ex = Examples(training(items, fold))
        for i, item in enumerate(items):
            if item["set"] != fold:
                continue
            near = ex.nearest(item["text"])
            if not near or near[0][0] == EVERYDAY:
                out[i] = (None, 0.0)
                continue
            node, score = near[0]
            everyday = max((s for n, s in near if n == EVERYDAY), default=0.0)
            out[i] = (node, score if score - everyday >= MARGIN else 0.0)
    return out


def model(items: list[dict], folds: list[str]) -> dict[int, tuple[str | None, float]]:
    out: dict[int, tuple[str | None, float]] = {}
    for fold in folds:
        m = DangerModel(training(items, fold))
        for i, item in enumerate(items):
            if item["set"] == fold:
                v = m.verdict(item["text"])
                out[i] = (v.node, v.score) if v else (None, 0.0)
        print(f"  model trained without {fold}", file=sys.stderr)
    return out


def curve(
    name: str, items: list[dict], scores: dict, thresholds: list[float], fresh: tuple[str, ...]
) -> None:
    subsets = {"resid": lambda it: not it["rule"], "all": lambda it: True}
    if "old" in items[0]:
        subsets["fresh"] = lambda it: not it["old"] and it["set"] in fresh
    print(f"\n{name}")
    print(f"{'threshold':>9} " + " ".join(f"| {s}: danger right/any/of, everyday hit/of" for s in subsets))
    for t in thresholds:
        row = [f"{t:9.2f}"]
        for cond in subsets.values():
            right = anyhit = n_danger = hit_everyday = n_everyday = 0
            for i, item in enumerate(items):
                if i not in scores or not cond(item):
                    continue
                node, score = scores[i]
                hit = node is not None and score >= t
                if item["label"] == EVERYDAY:
                    n_everyday += 1
                    hit_everyday += hit
                else:
                    n_danger += 1
                    anyhit += hit
                    right += hit and node in screens_for(item["kind"])
            row.append(f"| {right:4}/{anyhit:4}/{n_danger:4}, {hit_everyday:3}/{n_everyday:4}")
        print(" ".join(row))
    ranked = sorted(
        (scores[i][1], item["text"])
        for i, item in enumerate(items)
        if i in scores and item["label"] == EVERYDAY
    )
    print("highest everyday scores: " + ", ".join(f"{s:.3f}" for s, _ in ranked[-5:]))


def per_screen(items: list[dict], scores: dict[int, tuple[str | None, float]]) -> None:
    """For each threshold and each screen the model names: (right danger, danger on another
    screen, everyday) among the folds' messages scoring at least the threshold."""
    for t in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        per: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
        for i, item in enumerate(items):
            node, score = scores.get(i, (None, 0.0))
            if node is None or score < t:
                continue
            if item["label"] == EVERYDAY:
                per[node][2] += 1
            else:
                per[node][0 if node in screens_for(item["kind"]) else 1] += 1
        print(f"{t:.2f} " + ", ".join(f"{n}: {a}/{b}/{c}" for n, (a, b, c) in sorted(per.items())))


def tie_break(items: list[dict], folds: list[str]) -> None:
    """When the rules open two or more urgent screens, urgent_order picks one; does the model,
    trained without the fold, pick better among those the rules fired (``life_first`` kept)?"""
    content = load_content(ROOT / "content")
    content.matcher.danger_model = None  # the rules alone
    counts: collections.Counter[str] = collections.Counter()
    for fold in folds:
        m = DangerModel(training(items, fold))
        for item in items:
            if item["set"] != fold or item["kind"] is None:
                continue
            found = [f.node for f in content.matcher.match(item["text"]) if f.danger]
            if len(found) < 2 or found[0] in content.matcher.life_first:
                continue
            counts["several screens"] += 1
            right = screens_for(item["kind"])
            v = m.verdict(item["text"])
            pick = v.node if v is not None and opens(v) and v.node in found[1:] else found[0]
            counts["order right"] += found[0] in right
            counts["model pick right"] += pick in right
            counts["changed"] += pick != found[0]
            counts["changed to wrong"] += pick != found[0] and pick not in right and found[0] in right
        print(f"  model trained without {fold}: {dict(counts)}", file=sys.stderr)
    print("tie-break out of fold:", dict(counts))


#: The variants of ``which_screen``: the screens kept ``life_first`` (the model never picks among the
#: rules' screens when one of these is first), and today's.
_LIFE_FIRST = {
    "V1 model picks always": frozenset(),
    "V1b medical, fire first": frozenset({"sos_medical", "sos_fire"}),
    "V1c medical, fire, suicide first": frozenset({"sos_medical", "sos_fire", "sos_suicide"}),
}
_SWAP_AT = (0.95, 0.98, 0.99, 0.995)


def which_screen(items: list[dict], folds: list[str]) -> None:
    """Session 23: which urgent screen opens, with the bot's whole matcher and the danger model
    trained without the fold. V0 today; V1: the model picks among the rules' screens even when a
    life-first screen is first (``_LIFE_FIRST``); V2: when one rule opens a screen and the model,
    sure at ``_SWAP_AT``, names another (today its second button), the model's opens first. Only
    danger messages: neither variant can open a screen where none opened."""
    content = load_content(ROOT / "content")
    matcher = content.matcher
    today = matcher.life_first
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    for fold in folds:
        matcher.danger_model = DangerModel(training(items, fold))
        for item in items:
            if item["set"] != fold or item["kind"] is None:
                continue
            kind = item["kind"]
            matcher.life_first = today
            found = [m for m in matcher.match(item["text"]) if m.node in content.nodes]
            counts["V0 today", danger_outcome(found, kind)] += 1
            for name, life_first in _LIFE_FIRST.items():
                matcher.life_first = life_first
                other = [m for m in matcher.match(item["text"]) if m.node in content.nodes]
                counts[name, danger_outcome(other, kind)] += 1
            matcher.life_first = today
            # The model's screen, put second by ``_decide`` ("(second)" in its reason), goes first.
            model_second = len(found) > 1 and found[0].danger and found[1].why.endswith("(second)")
            for t in _SWAP_AT:
                swap = model_second and found[1].score >= t
                swapped = [found[1], found[0], *found[2:]] if swap else found
                counts[f"V2 model first at {t}", danger_outcome(swapped, kind)] += 1
        print(f"  model trained without {fold}", file=sys.stderr)
    outcomes = ("right", "second", "offer", "wrong", "none")
    for name in sorted({n for n, _ in counts}):
        print(f"{name:34}", " ".join(f"{r} {counts[name, r]}" for r in outcomes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-rules", help="a commit whose rules give the 'fresh' residue (e.g. 6c8be10)")
    parser.add_argument(
        "--folds",
        nargs="+",
        help="with every tuning set for training (never heldout11): test only on these sets, each left out"
        " in turn, and count 'fresh' on them (e.g. --folds train6 heldout8 --old-rules b151310)",
    )
    parser.add_argument(
        "--per-screen",
        action="store_true",
        help="with --folds: the model alone, per screen it names, at each threshold: danger messages"
        " right / on another screen, everyday messages it fell on (session 10: OPEN_AT; e.g."
        " --folds train9 train10 train11 train12 heldout12 heldout13 heldout14, then --folds"
        " offtopic offtopic2)",
    )
    parser.add_argument(
        "--tie-break",
        action="store_true",
        help="with --folds: when the rules open several urgent screens, the order's pick against the"
        " model's (trained without the fold) among them (session 11: Matcher._decide)",
    )
    parser.add_argument(
        "--which-screen",
        action="store_true",
        help="with --folds: which urgent screen opens under today's rules and two variants of the"
        " model's say (session 23; e.g. --folds train27 train28 train29 heldout28 heldout29 heldout30)",
    )
    args = parser.parse_args()
    folds = args.folds or FOLDS
    items = messages(TUNING_SETS if args.folds else FOLDS)
    if args.which_screen and args.folds:
        which_screen(items, folds)
        return
    if args.tie_break and args.folds:
        tie_break(items, folds)
        return
    if args.per_screen and args.folds:
        per_screen(items, model(items, folds))
        return
    rule_fired(ROOT / "content", items, "rule")
    if args.old_rules:
        old_rules(args.old_rules, items)
    fresh = tuple(args.folds) if args.folds else ("heldout3", "heldout4", "train")
    if not args.folds:
        curve(
            "(a) neighbours, margin 0.10: similarity threshold",
            items,
            neighbours(items, folds),
            NN_THRESHOLDS,
            fresh,
        )
    curve(
        "(b) logistic regression on letter 2-5-grams: 1 - P(everyday)",
        items,
        model(items, folds),
        MODEL_THRESHOLDS,
        fresh,
    )


if __name__ == "__main__":
    main()
