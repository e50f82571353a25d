"""Benchmark of supplier identity matching on generated regional registers.

Run it with ``python -m bench.supplier_matching``; see README.md in this directory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = ["PairwiseScores", "pairwise_scores"]


@dataclass(frozen=True, slots=True)
class PairwiseScores:
    """Pairwise precision and recall of a clustering against the truth."""

    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        """Return the share of predicted same-supplier pairs that are truly the same."""
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        """Return the share of true same-supplier pairs that the clustering found."""
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise_scores(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> PairwiseScores:
    """Score a clustering over pairs of rows, from cluster sizes rather than pair lists.

    ``truth[i]`` and ``predicted[i]`` are the true and predicted cluster of row ``i``. The
    correct pairs are counted per cell of the (predicted, true) contingency table, so the cost
    is linear in the number of rows.
    """
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted must label the same rows")
    true_sizes = Counter(truth)
    predicted_sizes = Counter(predicted)
    cells = Counter(zip(predicted, truth, strict=True))
    return PairwiseScores(
        true_pairs=sum(map(_pairs, true_sizes.values())),
        predicted_pairs=sum(map(_pairs, predicted_sizes.values())),
        correct_pairs=sum(map(_pairs, cells.values())),
    )
