"""Smoke test of the benchmark (scripts/bench.py --quick): it runs, and it measures what it says.

No timing is asserted here (the figures are the benchmark's business, see docs/BENCHMARKS.md):
only that both bots ran on the same stream, every user's update was answered, nothing was refused
by the fake Telegram, and every figure came out.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the benchmark reads /proc")


def test_quick_benchmark_runs_both_bots_on_the_same_stream(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, "scripts/bench.py", "--quick", "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "bot/echo" in run.stdout and "first reply p95" in run.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    (smoke,) = data["scenarios"]
    bot, echo = smoke["bot"], smoke["echo"]
    assert bot["updates"] == echo["updates"] > 40  # the echo bot got the bot's stream, replayed
    for who in (bot, echo):
        assert who["answered"] > 10 and who["unanswered"] == 0, who
        assert who["rejected_calls"] == 0, who
        assert who["cpu_s"] > 0 and who["rss_peak_mb"] > 20 and who["ready_s"] > 0
        assert all(math.isfinite(who[k]) for k in ("p50_ms", "p95_ms", "p99_ms", "flood_window_p95_ms"))
        assert who["api_calls"]["answerCallbackQuery"] > 0 and who["api_calls"]["sendMessage"] > 0
    # The bot walked real screens: buttons were pressed and screens edited in place.
    assert bot["api_calls"]["editMessageText"] > 0
    assert data["machine"]["cores"] and len(data["machine"]["load_before"]) == 3
