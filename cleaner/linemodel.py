"""The line model: two logistic regressions over a page's lines, and how to fit them.

Stage one weighs each line's own measures and its neighbours' (``cleaner.features``)
into a logit: how much the line reads like article text. Stage two sees the same
measures plus what stage one said of the lines around it (their logits, the share of
likely article lines near it, whether it lies in the page's densest run of them), so a
prose-like teaser far below the article reads differently from a short sentence in the
middle of it. A line is kept when stage two's probability reaches ``threshold``, and so
is a single line left out between two kept ones (a sub-heading between paragraphs).
Favouring precision (``main_runs``), a line must also lie in one of the page's main runs
of likely article lines.

Fitting is plain L2-regularised logistic regression by Newton's method (iteratively
reweighted least squares) on standardised features: deterministic, no random seed
involved, numpy only. Each page weighs ``page_weight``-th power of one over its
labelled lines, so long pages do not drown short ones. The weights are stored in raw
feature units (the standardisation folded in), by feature name, so the rule file says
what each measure is worth.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleaner.features import NAMES
from cleaner.kinds.content import best_run

#: what stage two adds to the line's own measures: stage one's view of its surroundings
CONTEXT = (
    "logit",
    "logit@-3",
    "logit@-2",
    "logit@-1",
    "logit@+1",
    "logit@+2",
    "logit@+3",
    "likely_share_5",
    "likely_share_15",
    "in_best_run",
    "log_distance_to_run",
    "likely_share_above",
    "likely_share_below",
)
BIAS = "bias"


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def context(z: np.ndarray) -> np.ndarray:
    """The ``CONTEXT`` columns of one page, from its stage-one logits ``z``."""
    n = len(z)
    p = _sigmoid(z)
    cols = [z]
    for offset in (-3, -2, -1, 1, 2, 3):
        shifted = np.zeros(n)
        if offset < 0 and n > -offset:
            shifted[-offset:] = z[:offset]
        elif offset > 0 and n > offset:
            shifted[:-offset] = z[offset:]
        cols.append(shifted)
    sums = np.concatenate([[0.0], np.cumsum(p)])
    idx = np.arange(n)
    for reach in (5, 15):
        lo, hi = np.maximum(idx - reach, 0), np.minimum(idx + reach + 1, n)
        cols.append((sums[hi] - sums[lo]) / (hi - lo))
    first, last = best_run((p - 0.5).tolist()) if n else (0, -1)
    inside = (idx >= first) & (idx <= last)
    distance = np.where(idx < first, first - idx, np.where(idx > last, idx - last, 0))
    total = max(float(sums[-1]), 1e-9)
    cols += [inside, np.log1p(distance), sums[idx] / total, (total - sums[idx + 1]) / total]
    return np.column_stack(cols).astype(float)


def _fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> np.ndarray:
    """Weights (last one the bias) of an L2-regularised logistic regression, by Newton."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    d = xb.shape[1]
    penalty = np.full(d, l2)
    penalty[-1] = 0.0
    beta = np.zeros(d)
    for _ in range(50):
        p = _sigmoid(xb @ beta)
        grad = xb.T @ (w * (p - y)) + penalty * beta
        hess = (xb * (w * p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale > 1e-9, scale, 1.0)


def _raw(beta: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Weights on standardised features turned into weights on raw ones."""
    w = beta[:-1] / scale
    return np.append(w, beta[-1] - float(w @ mean))


@dataclass
class LineModel:
    """Fit with ``fit``, use with ``predict_proba`` / ``keep``; ``to_spec`` / ``from_spec``
    turn it into the mapping a rule file holds."""

    l2: float = 1.0  # regularisation, on standardised features
    page_weight: float = 0.5  # each labelled line weighs (1 / labelled lines of its page) ** this
    # a line is kept when its probability reaches this; chosen out of fold by site on the
    # dev pages: the highest of 0.5, 0.55, 0.6 and 0.7 that keeps news recall >= 0.96
    threshold: float = 0.55
    stage1: np.ndarray = field(default_factory=lambda: np.zeros(0))  # NAMES + bias
    stage2: np.ndarray = field(default_factory=lambda: np.zeros(0))  # NAMES + CONTEXT + bias

    def fit(self, pages: Sequence[np.ndarray], labels: Sequence[Sequence[int]]) -> LineModel:
        """Fit on per-page feature matrices and line labels (1 article, 0 chrome, -1
        unknown: left out)."""
        x = np.vstack(pages)
        y = np.concatenate([np.asarray(lab, dtype=float) for lab in labels])
        known = y >= 0
        per_page = [np.asarray(lab) for lab in labels]
        weights = np.concatenate(
            [
                np.full(len(lab), max(int((lab >= 0).sum()), 1) ** -self.page_weight)
                for lab in per_page
            ]
        )
        w = (weights * known)[known]
        w = w / w.mean()
        target = y[known]
        mean, scale = _standardise(x[known])
        beta = _fit_logistic((x[known] - mean) / scale, target, w, self.l2)
        self.stage1 = _raw(beta, mean, scale)
        ctx = np.vstack([context(self._logit1(page)) for page in pages])
        x2 = np.hstack([x, ctx])[known]
        mean2, scale2 = _standardise(x2)
        beta2 = _fit_logistic((x2 - mean2) / scale2, target, w, self.l2)
        self.stage2 = _raw(beta2, mean2, scale2)
        return self

    def _logit1(self, x: np.ndarray) -> np.ndarray:
        return x @ self.stage1[:-1] + self.stage1[-1]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Per line of one page (rows of ``x``, columns ``NAMES``): P(article)."""
        if not len(x):
            return np.zeros(0)
        x2 = np.hstack([x, context(self._logit1(x))])
        return _sigmoid(x2 @ self.stage2[:-1] + self.stage2[-1])

    def keep(
        self, x: np.ndarray, proba: np.ndarray | None = None, within: np.ndarray | None = None
    ) -> np.ndarray:
        """Which lines stay: those at ``threshold`` or above (and, given ``within``, among
        those lines), and a single line left out between two kept ones (a sub-heading
        between paragraphs: recall first). ``proba``, when given, is ``predict_proba(x)``
        already worked out."""
        keep = (self.predict_proba(x) if proba is None else proba) >= self.threshold
        if within is not None:
            keep &= within
        gaps = np.zeros_like(keep)
        gaps[1:-1] = ~keep[1:-1] & keep[:-2] & keep[2:]
        return keep | gaps

    def to_spec(self, digits: int = 6) -> dict[str, Any]:
        def named(values: np.ndarray, names: Sequence[str]) -> dict[str, float]:
            keys = [*names, BIAS]
            return {k: float(f"{v:.{digits}g}") for k, v in zip(keys, values, strict=True)}

        return {
            "threshold": self.threshold,
            "stage1": named(self.stage1, NAMES),
            "stage2": named(self.stage2, (*NAMES, *CONTEXT)),
        }

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> LineModel:
        """The model a rule file describes; a feature it does not name weighs 0. Raises
        ValueError on an unknown feature or a weight that is not a number."""
        threshold = spec.get("threshold", 0.55)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            raise ValueError("'threshold' must be a number")
        return cls(
            threshold=float(threshold),
            stage1=_weights(spec.get("stage1"), NAMES, "stage1"),
            stage2=_weights(spec.get("stage2"), (*NAMES, *CONTEXT), "stage2"),
        )


def main_runs(proba: np.ndarray, cut: float, share: float, most: int = 8) -> np.ndarray:
    """The lines of a page's main runs of article text, for decoding that favours
    precision. Each line scores its log-odds against ``cut`` (positive where the model
    gives it more than ``cut``); the first run is the contiguous one with the highest
    sum (Kadane), and each next best run outside those taken joins while its sum reaches
    ``share`` of the first's, up to ``most`` runs. An article is one or a few such runs;
    a teaser list or a comment thread below it scores in short bursts that do not reach
    that share. No line when no run scores above zero (no article found: the caller keeps
    its usual decision)."""
    p = np.clip(proba, 1e-9, 1 - 1e-9)
    scores = np.log(p / (1 - p)) - np.log(cut / (1 - cut))
    inside = np.zeros(len(p), dtype=bool)
    first = 0.0
    for _ in range(most):
        start, end = best_run(scores.tolist())
        total = float(scores[start : end + 1].sum())
        if total <= 0 or total < share * first:
            break
        first = first or total
        inside[start : end + 1] = True
        scores[start : end + 1] = _TAKEN
    return inside


_TAKEN = -1e12  # a line already in a run: no later run may hold it


def _weights(given: Any, names: Sequence[str], key: str) -> np.ndarray:
    if not isinstance(given, Mapping):
        raise ValueError(f"'{key}' must map feature names to weights")
    index = {name: k for k, name in enumerate([*names, BIAS])}
    out = np.zeros(len(index))
    for name, value in given.items():
        if name not in index:
            raise ValueError(f"'{key}': unknown feature '{name}'")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"'{key}': the weight of '{name}' must be a number")
        out[index[name]] = float(value)
    return out
