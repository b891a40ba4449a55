"""A linear classifier of short messages: logistic regression on letter n-grams, numpy (scipy for training).

Shared by the danger model (``danger_model``: urgent screens against everyday messages) and the
topic model (``topic_model``: which everyday topic a question is about). A message is cut into
letter n-grams of 2 to 5 letters inside its words (folded, in Cyrillic letters, each word padded
with a space on both sides), weighted by TF-IDF (1 + log count) and L2-normalised; a multinomial
logistic regression (L2 penalty, L-BFGS) gives the probability of each class.

Training takes seconds, so trained weights are cached on disk keyed by a hash of the examples and
of the settings (``cache_dir``); a missing or unwritable cache only costs the training time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.typed.text import tokens

__all__ = ["LinearModel", "grams", "train_together"]

SIZES = (2, 3, 4, 5)  # letter n-gram lengths
MIN_DF = 2  # an n-gram must occur in at least this many examples to be a feature
ITERATIONS = 300  # L-BFGS steps at most
_VERSION = "3"  # change when features or training change: invalidates cached weights
# 2, 3 (session 21): no BLAS in training or scoring (_sum), the same weights on every CPU.


def grams(text: str) -> Counter[str]:
    """Letter n-grams of the words of ``text`` (folded, Cyrillic), each word padded with spaces."""
    out: Counter[str] = Counter()
    for w in tokens(text):
        padded = f" {w} "
        for n in SIZES:
            for i in range(len(padded) - n + 1):
                out[padded[i : i + n]] += 1
    return out


@lru_cache(maxsize=1024)
def _grams_of_message(text: str) -> tuple[tuple[str, int], ...]:
    """``grams(text)`` of a message being read, kept for the next model: the danger model and the
    topic model read the same message one after the other (session 29: a third of their time)."""
    return tuple(grams(text).items())


def _sum(a: np.ndarray, axis: int | None = None) -> np.ndarray | float:
    """The sum of ``a`` (a product the caller made: ``_sum(v * v)`` for ``v @ v``) by numpy's own
    loop, never BLAS. OpenBLAS picks its kernel by the CPU (Haswell, SkylakeX, ...), and each kernel
    adds in its own order: the difference is in the last bits, but the 300 L-BFGS steps carry it on
    (a topic probability trained on one machine was 0.50014, on another 0.49996, and a test set's
    figure moved across the 0.5 threshold, session 21). numpy's elementwise products and sums are
    the same on every CPU, so the weights are too (tests/test_linear_model.py trains under three
    kernels and compares them bit for bit)."""
    return a.sum(axis=axis) if axis is not None else float(a.sum())


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """``a @ b`` of two long vectors without BLAS (see ``_sum``), for the L-BFGS steps: numpy's
    einsum loop, not switched by the CPU either, is as fast as BLAS here; ``_sum(a * b)`` was 3x
    slower (the topic model trained in 35 s, 33 s with BLAS, 40 s with ``_sum``; 2 cores, session 21)."""
    return float(np.einsum("i,i->", a, b))


class LinearModel:
    """Trained from ``examples[class] = messages``; ``probabilities(text)`` in ``classes`` order.

    ``kind`` names the cache files; ``c`` is the inverse L2 penalty (as scikit-learn's C).
    Subclasses say which examples make a usable model (``_usable``).
    """

    kind = "linear"
    c = 30.0

    def __init__(self, examples: Mapping[str, Sequence[str]], cache_dir: Path | None = None) -> None:
        self.classes: list[str] = sorted(k for k, v in examples.items() if v)
        self.vocab: dict[str, int] = {}
        self._idf = np.zeros(0)
        self._w = np.zeros((0, len(self.classes)))
        self._b = np.zeros(len(self.classes))
        if not self._usable():
            return
        path = self.cache_path(examples, cache_dir)
        if path is not None and self._load(path):
            return
        self._train(examples)
        if path is not None:
            self._save(path)

    def _usable(self) -> bool:
        return len(self.classes) >= 2

    def __bool__(self) -> bool:
        return bool(self.vocab)

    @classmethod
    def cache_path(cls, examples: Mapping[str, Sequence[str]], cache_dir: Path | None) -> Path | None:
        """Where the weights trained from ``examples`` are cached (None: no cache)."""
        return cache_dir / f"{cls.kind}-{cls._digest(examples)}.npz" if cache_dir is not None else None

    @classmethod
    def _digest(cls, examples: Mapping[str, Sequence[str]]) -> str:
        h = hashlib.sha256()
        h.update(json.dumps([_VERSION, SIZES, MIN_DF, cls.c, ITERATIONS]).encode())
        for node in sorted(examples):
            for text in sorted(examples[node]):
                h.update(f"{node}\t{text}\n".encode())
        return h.hexdigest()[:20]

    # --- features ----------------------------------------------------------------------------

    def _vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature numbers, TF-IDF weights, L2-normalised) of a message."""
        idx, val = [], []
        for g, c in _grams_of_message(text):
            j = self.vocab.get(g)
            if j is not None:
                idx.append(j)
                val.append((1.0 + math.log(c)) * self._idf[j])
        if not idx:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        v = np.array(val)
        return np.array(idx, dtype=np.int64), v / np.sqrt(_sum(v * v))

    # --- training ----------------------------------------------------------------------------

    def _train(self, examples: Mapping[str, Sequence[str]]) -> None:
        docs: list[Counter[str]] = []
        labels: list[int] = []
        for k, node in enumerate(self.classes):
            for text in examples[node]:
                docs.append(grams(text))
                labels.append(k)
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        kept = sorted(g for g, n in df.items() if n >= MIN_DF)
        self.vocab = {g: j for j, g in enumerate(kept)}
        n_docs = len(docs)
        self._idf = np.array([math.log((1 + n_docs) / (1 + df[g])) + 1.0 for g in kept])
        rows, cols, vals = [], [], []
        for i, d in enumerate(docs):
            idx, v = self._vector_of(d)
            rows.append(np.full(len(idx), i))
            cols.append(idx)
            vals.append(v)
        x = _Sparse(np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), n_docs, len(kept))
        self._w, self._b = _fit(x, np.array(labels), len(self.classes), self.c)

    def _vector_of(self, counts: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        idx = [self.vocab[g] for g in counts if g in self.vocab]
        if not idx:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        v = np.array([(1.0 + math.log(counts[g])) for g in counts if g in self.vocab]) * self._idf[idx]
        return np.array(idx, dtype=np.int64), v / np.sqrt(_sum(v * v))

    # --- cache -------------------------------------------------------------------------------

    def _load(self, path: Path) -> bool:
        try:
            with np.load(path, allow_pickle=False) as data:
                grams_ = [str(g) for g in data["grams"]]
                classes = [str(c) for c in data["classes"]]
                idf, w, b = data["idf"], data["w"], data["b"]
        except (OSError, KeyError, ValueError):
            return False
        if classes != self.classes or w.shape != (len(grams_), len(classes)):
            return False
        self.vocab = {g: j for j, g in enumerate(grams_)}
        self._idf, self._w, self._b = idf.astype(float), w.astype(float), b.astype(float)
        return True

    def _save(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            np.savez_compressed(
                tmp,
                grams=np.array(list(self.vocab)),
                classes=np.array(self.classes),
                idf=self._idf,
                w=self._w,
                b=self._b,
            )
            tmp.replace(path)
        except OSError:
            pass

    # --- use ---------------------------------------------------------------------------------

    def probabilities(self, text: str) -> np.ndarray:
        idx, v = self._vector(text)
        z = self._b + _sum(v[:, None] * self._w[idx], axis=0)
        z = np.exp(z - z.max())
        return z / z.sum()


def train_together(
    models: Sequence[tuple[type[LinearModel], Mapping[str, Sequence[str]]]], cache_dir: Path | None
) -> list[LinearModel]:
    """``[cls(examples, cache_dir) for cls, examples in models]``, but when two or more of them must
    be trained (their weights are not in ``cache_dir``) and the machine has two cores or more, all
    but the first train at the same time in processes of their own (session 25: on a cold cache, as
    in CI, the danger model took 85 s and the topic model 42 s one after the other, on two cores).

    Training is deterministic (``_sum``), so the weights are the same either way; a process that
    fails only costs the time: its model is trained here afterwards."""
    cold = [
        i
        for i, (cls, examples) in enumerate(models)
        if (path := cls.cache_path(examples, cache_dir)) is None or not path.exists()
    ]
    if len(cold) < 2 or (os.cpu_count() or 1) < 2:
        return [cls(examples, cache_dir) for cls, examples in models]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the bot may be running threads (a fork copies their locks, held or not).
    pool = ProcessPoolExecutor(len(cold) - 1, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = {i: pool.submit(_train, *models[i], cache_dir) for i in cold[1:]}
    except (OSError, RuntimeError):  # no process could start: train them all here
        pool.shutdown(cancel_futures=True)
        return [cls(examples, cache_dir) for cls, examples in models]
    with pool:
        out = [None if i in futures else cls(ex, cache_dir) for i, (cls, ex) in enumerate(models)]
        for i, future in futures.items():
            with contextlib.suppress(Exception):  # a lost process costs only the time
                out[i] = future.result()
    return [m if m is not None else cls(ex, cache_dir) for m, (cls, ex) in zip(out, models, strict=True)]


def _train(
    cls: type[LinearModel], examples: Mapping[str, Sequence[str]], cache_dir: Path | None
) -> LinearModel:
    """One model trained in a process of ``train_together``'s (a module-level function: picklable)."""
    return cls(examples, cache_dir)


class _Sparse:
    """A sparse matrix (CSR, scipy) with its transpose: ``dot`` is X @ W, ``tdot`` Xᵀ @ G.

    scipy's sparse products run in C without temporaries: 20-70x faster than numpy's
    ``add.reduceat`` over (row, column, value) triples, which was most of the 3 minutes the two
    models took to train (session 9). Imported here only: a bot whose weights are cached never
    loads scipy."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int, m: int) -> None:
        from scipy import sparse

        self.n, self.m = n, m
        self._x = sparse.csr_matrix((vals, (rows, cols)), shape=(n, m))
        self._xt = self._x.T.tocsr()

    def dot(self, w: np.ndarray) -> np.ndarray:  # X @ W, W: m × k
        return np.asarray(self._x @ w)

    def tdot(self, g: np.ndarray) -> np.ndarray:  # Xᵀ @ G, G: n × k
        return np.asarray(self._xt @ g)


def _fit(x: _Sparse, y: np.ndarray, k: int, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression: minimise C·Σ log-loss + ½‖W‖² (intercepts free), L-BFGS."""
    onehot = np.zeros((x.n, k))
    onehot[np.arange(x.n), y] = 1.0
    m = x.m

    def loss_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: m * k].reshape(m, k)
        b = theta[m * k :]
        z = x.dot(w) + b
        z -= z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        loss = -c * float((onehot * logp).sum()) + 0.5 * float((w * w).sum())
        g = c * (np.exp(logp) - onehot)
        gw = x.tdot(g) + w
        return loss, np.concatenate([gw.ravel(), g.sum(0)])

    theta = _lbfgs(loss_grad, np.zeros(m * k + k), ITERATIONS)
    return theta[: m * k].reshape(m, k), theta[m * k :]


def _lbfgs(f, x: np.ndarray, iterations: int, memory: int = 10, tol: float = 1e-4) -> np.ndarray:
    """Limited-memory BFGS with a backtracking (Armijo) line search; deterministic."""
    loss, g = f(x)
    s_list: list[np.ndarray] = []
    y_list: list[np.ndarray] = []
    for _ in range(iterations):
        if np.abs(g).max() < tol:
            break
        q = g.copy()
        alphas = []
        for s, yv in zip(reversed(s_list), reversed(y_list), strict=True):
            a = _dot(s, q) / _dot(yv, s)
            alphas.append(a)
            q -= a * yv
        if s_list:
            q *= _dot(s_list[-1], y_list[-1]) / _dot(y_list[-1], y_list[-1])
        else:
            q /= max(np.abs(g).max(), 1.0)
        for s, yv, a in zip(s_list, y_list, reversed(alphas), strict=True):
            q += s * (a - _dot(yv, q) / _dot(yv, s))
        d = -q
        slope = _dot(g, d)
        if slope >= 0:
            d, slope = -g, -_dot(g, g)
        step = 1.0
        while True:
            new = x + step * d
            new_loss, new_g = f(new)
            if new_loss <= loss + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s, yv = new - x, new_g - g
        if _dot(s, yv) > 1e-10:
            s_list.append(s)
            y_list.append(yv)
            if len(s_list) > memory:
                s_list.pop(0)
                y_list.pop(0)
        if loss - new_loss < 1e-9 * max(abs(loss), 1.0):
            x, loss, g = new, new_loss, new_g
            break
        x, loss, g = new, new_loss, new_g
    return x
