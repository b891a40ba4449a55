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

from bot.typed.topic_model import TopicModel

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


def _small_examples(first: int) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(danger model's, topic model's) examples: the first few of each screen and topic."""
    import yaml

    danger: dict[str, list[str]] = {}
    topics: dict[str, list[str]] = {}
    for lang in ("ru", "ky"):
        data = yaml.safe_load((ROOT / "content" / lang / "examples.yaml").read_text(encoding="utf-8"))
        for node, texts in data.items():
            if node.startswith("sos_"):
                danger.setdefault(node, []).extend(texts[:first])
        for topic, texts in data["topics"].items():
            topics.setdefault(topic, []).extend(texts[:first])
            danger.setdefault("everyday", []).extend(texts[:first])
    return danger, topics


def test_models_trained_together_are_the_ones_trained_one_after_the_other(tmp_path: Path) -> None:
    """``train_together`` (a cold cache, as in CI's `content check`) trains all but the first model
    in processes of its own: the same weights as one after the other, and all of them cached."""
    from bot.typed.danger_model import DangerModel
    from bot.typed.linear import train_together

    danger, topics = _small_examples(8)
    models = [(DangerModel, danger), (TopicModel, topics)]
    together = train_together(models, tmp_path / "together")
    alone = [cls(examples, None) for cls, examples in models]
    for (cls, examples), a, b in zip(models, together, alone, strict=True):
        assert type(a) is cls and a and a.classes == b.classes and a.vocab == b.vocab
        assert a._w.tobytes() == b._w.tobytes() and a._b.tobytes() == b._b.tobytes()
        path = cls.cache_path(examples, tmp_path / "together")
        assert path is not None and path.exists(), f"{cls.kind}: not cached"
    # Both cached now: nothing trains again, the same weights come back from the cache.
    again = train_together(models, tmp_path / "together")
    assert [m._w.tobytes() for m in again] == [m._w.tobytes() for m in together]


class TopicModelLostInAChild(TopicModel):
    """A topic model whose training fails in any process but the test's own (a lost process)."""

    def _train(self, examples) -> None:  # noqa: ANN001
        if os.environ.get("JOLDOSH_TEST_PARENT_PID") != str(os.getpid()):
            raise RuntimeError("the training process was lost")
        super()._train(examples)


def test_a_model_whose_process_fails_is_trained_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process of ``train_together`` that fails costs only the time: its model trains in this one."""
    from bot.typed.danger_model import DangerModel
    from bot.typed.linear import train_together

    monkeypatch.setenv("JOLDOSH_TEST_PARENT_PID", str(os.getpid()))
    danger, topics = _small_examples(6)
    models = [(DangerModel, danger), (TopicModelLostInAChild, topics)]
    danger_model, topic_model = train_together(models, tmp_path)
    alone = TopicModel(topics, None)
    assert type(topic_model) is TopicModelLostInAChild and topic_model and danger_model
    assert topic_model._w.tobytes() == alone._w.tobytes()
