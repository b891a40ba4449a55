#!/usr/bin/env python3
"""Make the sample wage-claim documents of a fictional case: docs/samples/*.pdf and *.docx, and a
PNG of each PDF's first page for the README (rendered with pdftoppm, from Debian's poppler-utils).

    .venv/bin/python scripts/make_samples.py

The documents come from the same code and content the bot uses (content/documents/*.yaml and
content/facts.yaml), on a fixed day, so a change to a template shows up here.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.claims.compute import compute  # noqa: E402
from bot.claims.questions import Claim  # noqa: E402
from bot.claims.render import make_files  # noqa: E402
from bot.content.loader import load_content  # noqa: E402

OUT = ROOT / "docs" / "samples"
TODAY = dt.date(2026, 12, 5)
#: A fictional case: every name, number and address here is made up.
ANSWERS = (
    ("name", "Асанов Бакыт Жоомартович"),
    ("cit", "kg"),
    ("employer", "ТОО «Образец-Строй» (вымышленная фирма)"),
    ("emp_id", "?"),
    ("address", "г. Алматы, ул. Примерная, 1, стройплощадка"),
    ("job", "подсобный рабочий"),
    ("start", "2026-06-01"),
    ("pay", "200000"),
    ("pay_how", "verbal"),
    ("m_from", "2026-09"),
    ("m_to", "2026-10"),
    ("owed", "auto"),
    ("evidence", "msgs,photos,witness"),
    ("note", "список смен, который вёл бригадир"),
)


def main() -> int:
    content = load_content(ROOT / "content")
    facts = content.claims
    claim = Claim.from_answers(ANSWERS)
    assert facts is not None and claim is not None
    calc = compute(claim.owed, list(claim.months), TODAY, facts.rules)
    OUT.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    for file in make_files(claim, calc, facts, TODAY):
        path = OUT / file.name
        path.write_bytes(file.data)
        print(f"wrote {path.relative_to(ROOT)}")
        if path.suffix != ".pdf":
            continue
        if pdftoppm is None:
            print("pdftoppm not found: apt-get install poppler-utils, then run this again", file=sys.stderr)
            return 1
        png = OUT / f"{path.stem}-page1"
        command = [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path), str(png)]
        subprocess.run(command, check=True)
        print(f"wrote {png.relative_to(ROOT)}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
