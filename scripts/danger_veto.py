"""Could the danger model veto a danger rule? Out-of-fold scores on every tuning set.

    .venv/bin/python scripts/danger_veto.py [--folds heldout5 train2] [--scores /tmp/oof.json]

Folds: the tuning sets (never heldout6). Each fold's model is trained on the other sets of every
language (plus the first wave's everyday phrasings) and scores the fold's messages. Then, for the
messages where a danger rule fires (today's rules in content/), it counts how many true danger
messages and how many everyday messages (false alarms) score below each veto threshold: a veto
there would turn the opened urgent screen into an offered one. It also prints, where no danger
rule fired, how many messages score at least each opening threshold of the model.

Result (2026-12-05): not adopted. Below 0.1 a veto would have removed about half of the rules'
false alarms but demoted danger messages too, a suicide farewell among them (0.03); below 0.02 it
demotes none and removes only 4-6 of 24-34 (docs/TYPED_QUESTIONS.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.typed.danger_model import DangerModel  # noqa: E402
from bot.typed.evaluate import load_set, screens_for  # noqa: E402
from bot.typed.examples import EVERYDAY  # noqa: E402

SETS = ["dev", "heldout1", "heldout2", "heldout3", "heldout4", "heldout5", "train", "train2"]
LANGS = ["kk", "ky", "ru", "uz"]
VETO = [0.001, 0.003, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3]
OPEN = [0.6, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97]


def messages() -> list[dict]:
    out = []
    for name in SETS:
        for lang in LANGS:
            data = load_set(ROOT / "tests/data/typed" / lang / f"{name}.yaml")
            for d in data["danger"]:
                out.append(dict(text=d["text"], set=name, lang=lang, label=screens_for(d["kind"])[0]))
            out += [dict(text=d["text"], set=name, lang=lang, label=EVERYDAY) for d in data["everyday"]]
    for lang in LANGS:
        data = load_set(ROOT / "tests/data/phrasings" / f"{lang}.yaml")
        out += [dict(text=d["text"], set="phrasings", lang=lang, label=EVERYDAY) for d in data["everyday"]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", nargs="*", default=SETS)
    parser.add_argument("--scores", type=Path, help="cache of the out-of-fold scores (JSON)")
    args = parser.parse_args()
    items = messages()
    scores: dict[str, float] = {}
    if args.scores and args.scores.exists():
        scores = json.loads(args.scores.read_text())
    for fold in args.folds:
        if all(f"{fold}|{it['lang']}|{it['text']}" in scores for it in items if it["set"] == fold):
            continue
        examples: dict[str, list[str]] = {}
        for it in items:
            if it["set"] != fold:
                examples.setdefault(it["label"], []).append(it["text"])
        model = DangerModel(examples)
        for it in items:
            if it["set"] == fold:
                v = model.verdict(it["text"])
                scores[f"{fold}|{it['lang']}|{it['text']}"] = v.score if v else 0.0
        print(f"  model trained without {fold}", file=sys.stderr)
        if args.scores:
            args.scores.write_text(json.dumps(scores, ensure_ascii=False))
    content = load_content(ROOT / "content")
    matcher = content.matcher
    matcher.danger_model = None  # the rules alone (no veto, no model: it was trained on every fold)
    for it in items:  # did a danger rule fire? (each message matched once, for both tables)
        found = matcher.match(it["text"]) if it["set"] in args.folds else []
        it["fired"] = bool(found and found[0].danger)
    print("fold       | rule fired: danger / everyday | below veto t: danger demoted / alarms removed")
    head = " ".join(f"{t:>11}" for t in VETO)
    print(f"{'':37}{head}")
    totals = {t: [0, 0] for t in VETO}
    for fold in args.folds:
        fired_d = fired_e = 0
        below = {t: [0, 0] for t in VETO}
        for it in items:
            if it["set"] != fold:
                continue
            if not it["fired"]:
                continue
            s = scores[f"{fold}|{it['lang']}|{it['text']}"]
            danger = it["label"] != EVERYDAY
            fired_d += danger
            fired_e += not danger
            for t in VETO:
                if s < t:
                    below[t][0 if danger else 1] += 1
                    totals[t][0 if danger else 1] += 1
        cells = " ".join(f"{below[t][0]:>5} / {below[t][1]:<3}" for t in VETO)
        print(f"{fold:10} | {fired_d:5} / {fired_e:<5}{'':16}{cells}")
    cells = " ".join(f"{totals[t][0]:>5} / {totals[t][1]:<3}" for t in VETO)
    print(f"{'all':10} | {'':29}{cells}")
    print("\nwhere no danger rule fired: the model's score >= t: danger found (any screen) / everyday hit")
    print(f"{'':37}" + " ".join(f"{t:>11}" for t in OPEN))
    for fold in args.folds:
        rest_d = rest_e = 0
        above = {t: [0, 0] for t in OPEN}
        for it in items:
            if it["set"] != fold:
                continue
            if it["fired"]:
                continue
            s = scores[f"{fold}|{it['lang']}|{it['text']}"]
            danger = it["label"] != EVERYDAY
            rest_d += danger
            rest_e += not danger
            for t in OPEN:
                if s >= t:
                    above[t][0 if danger else 1] += 1
        cells = " ".join(f"{above[t][0]:>5} / {above[t][1]:<3}" for t in OPEN)
        print(f"{fold:10} | {rest_d:5} / {rest_e:<5}{'':16}{cells}")


if __name__ == "__main__":
    main()
