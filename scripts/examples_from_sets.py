"""Write content/<lang>/examples.yaml from the tuning sets (never from the held-out sets).

    .venv/bin/python scripts/examples_from_sets.py [SET...]

The sets are ``bot.typed.evaluate.TUNING_SETS`` unless named.

Each danger message becomes an example of the urgent screen meant for its kind; each everyday
message (and each of tests/data/phrasings) an example of its topic, filed under the topic's entry
screen (``topics:``), which is also a counter-example for the danger model; each message that is no
question for the bot (topic ``none``: the ``offtopic`` sets) goes under ``offtopic:``. Re-running
overwrites the file: editors add real messages by hand to content/<lang>/examples_by_hand.yaml,
which the loader reads beside it and this script never touches.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.typed.evaluate import OFF_TOPIC, TUNING_SETS, load_set, screens_for  # noqa: E402

HEADER = """\
# Example messages for the danger model (bot/typed/danger_model.py, docs/TYPED_QUESTIONS.md).
# When no danger rule fires, the model trained on these examples (letter n-grams) opens the urgent
# screen it finds most likely if it is very sure (score >= 0.80 to 0.90 by screen: OPEN_AT there) and
# OFFERS it as the first button if it is fairly sure (>= 0.60).
# Keys: an urgent screen of content/trees/urgent.yaml; "topics": ordinary questions (including
# ones with alarming words) under the entry screen of their topic (pay, reg, work, job, med, pol,
# con, dl, person): the topic model learns from them, and for the danger model they are all
# "everyday", as is "everyday" (ordinary questions of no topic); "offtopic": messages that are no
# question for the bot (greetings, gibberish, words meant for someone else): one more class of the
# topic model, and everyday for the danger model. Written as people type. Made from the tuning
# sets ({sets}, and the first wave's everyday phrasings) by scripts/examples_from_sets.py,
# which rewrites this file: add real messages from `content report --unmatched` to
# examples_by_hand.yaml instead (read beside this one, never rewritten).
"""


def entries() -> dict[str, str]:
    """Topic (as the test sets name it: a tree, deadlines, person) -> the screen it starts at."""
    out = {"deadlines": "dl", "person": "person"}
    for path in sorted((ROOT / "content/trees").glob("*.yaml")):
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[tree["id"]] = tree["entry"]
    return out


def main(names: list[str]) -> None:
    entry = entries()
    for lang_dir in sorted((ROOT / "tests/data/typed").iterdir()):
        by_node: dict[str, list[str]] = {}
        topics: dict[str, list[str]] = {}

        offtopic: list[str] = []

        def file_under(
            item: dict, topics: dict[str, list[str]] = topics, offtopic: list[str] = offtopic
        ) -> None:
            want = item["topic"] if isinstance(item["topic"], list) else [item["topic"]]
            if want == [OFF_TOPIC]:
                offtopic.append(item["text"])
                return
            for topic in want:
                topics.setdefault(entry[topic], []).append(item["text"])

        for name in names:
            data = load_set(lang_dir / f"{name}.yaml")
            for item in data.get("danger", []):
                if item["kind"]:
                    by_node.setdefault(screens_for(item["kind"])[0], []).append(item["text"])
            for item in data.get("everyday", []):
                file_under(item)
        # The first wave's everyday phrasings are counter-examples too (their danger ones have no kind).
        phrasings = load_set(ROOT / "tests/data/phrasings" / f"{lang_dir.name}.yaml")
        for item in phrasings["everyday"]:
            file_under(item)
        data = {k: sorted(set(v)) for k, v in sorted(by_node.items())}
        data["topics"] = {k: sorted(set(v)) for k, v in sorted(topics.items())}
        if offtopic:
            data["offtopic"] = sorted(set(offtopic))
        body = yaml.safe_dump(data, allow_unicode=True, width=1000)
        out = ROOT / "content" / lang_dir.name / "examples.yaml"
        out.write_text(HEADER.format(sets=", ".join(names)) + body, encoding="utf-8")
        print(
            out.relative_to(ROOT),
            sum(len(v) for v in by_node.values()),
            "danger,",
            sum(len(v) for v in topics.values()),
            "everyday under a topic",
        )


if __name__ == "__main__":
    main(sys.argv[1:] or TUNING_SETS)
