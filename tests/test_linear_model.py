"""The linear models (bot/typed/linear.py) train to the same weights on every CPU.

OpenBLAS picks its kernel by the CPU, and each kernel adds a dot product in its own order; with BLAS
in training, one machine trained a topic probability of 0.50014 and another 0.49996 from the same
examples, and a test set's figure crossed the 0.5 threshold (session 21). The models now use no BLAS;
here the same examples are trained under several OpenBLAS kernels (``OPENBLAS_CORETYPE``, each in a
process of its own: the kernel is chosen when numpy loads) and the weights compared bit for bit.
With BLAS (``a @ b``) in the L-BFGS steps, these examples gave three different weights under the
machine's own kernel, Prescott and Haswell.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

TRAIN = """
import hashlib, sys, yaml
from pathlib import Path
from bot.typed.linear import LinearModel

examples = {}
for lang in ("ru", "ky", "kk", "uz"):
    data = yaml.safe_load(Path("content", lang, "examples.yaml").read_text(encoding="utf-8"))
    for node, texts in data.items():
        if isinstance(texts, list):
            examples.setdefault(node, []).extend(t for t in texts[:25] if isinstance(t, str))
model = LinearModel(examples, None)
assert model, "the model did not train"
print(sum(map(len, examples.values())), hashlib.sha256(model._w.tobytes() + model._b.tobytes()).hexdigest())
"""


def _kernels() -> list[str]:
    """The machine's own kernel (""), Prescott (any x86-64) and Haswell where the CPU has AVX2."""
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    return ["", "Prescott", *(["Haswell"] if " avx2" in flags else [])]


@pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64"),
    reason="the OpenBLAS kernels compared (Prescott, Haswell) are x86-64 ones",
)
def test_weights_are_the_same_under_every_openblas_kernel() -> None:
    digests = {}
    for kernel in _kernels():
        env = {**os.environ, "OPENBLAS_CORETYPE": kernel, "OPENBLAS_VERBOSE": "0"}
        out = subprocess.run(
            [sys.executable, "-c", TRAIN], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert out.returncode == 0, out.stderr
        count, digest = out.stdout.split()
        assert int(count) > 500, "too few examples to show a difference"
        digests[kernel or "the CPU's own"] = digest
    assert len(set(digests.values())) == 1, digests
