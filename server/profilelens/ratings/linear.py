"""Reading a words-and-numbers logistic model (training/linear.py) for one account, fast and explained.

The row is transformed once (ratings/fitted.py) and the probability and each input's push are read off
it (a test checks the probability is the model's own).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from profilelens.ratings import fitted
from profilelens.ratings.hashing import Hashing


@dataclass(frozen=True, slots=True)
class Reading:
    """One timeline as the fitted model sees it: its input row transformed once, then the probability
    and every input's push on the log-odds read off the same numbers (the logistic model's probability
    is the sigmoid of this row times its coefficients, plus its intercept)."""

    columns: np.ndarray[Any, Any]  # the transformed row's nonzero entries: hashed words (tf-idf),
    values: np.ndarray[Any, Any]  # then the standardised numbers
    coef: np.ndarray[Any, Any]
    intercept: float
    hashing: Hashing  # the model's own word vectorizer, to find each term's column

    @classmethod
    def of(cls, model: Any, x: np.ndarray[Any, Any]) -> Reading:
        (reading,) = cls.each(model, x)
        return reading

    @classmethod
    def each(cls, model: Any, x: np.ndarray[Any, Any]) -> list[Reading]:
        """One reading per row of `x`, the rows transformed together (once per batch, not once per row:
        every step works row by row, so each reading is the one its row alone would give)."""
        columns, logistic = model.named("columns"), model.named("logistic")
        hashing = columns.named("words").named("hash").hashing
        rows = columns.transform(x)
        coef, intercept = logistic.coef, logistic.intercept
        return [
            cls(rows.indices[start:end], rows.data[start:end], coef, intercept, hashing)
            for start, end in zip(rows.indptr[:-1].tolist(), rows.indptr[1:].tolist(), strict=True)
        ]

    @property
    def probability(self) -> float:
        logit = float(self.values @ self.coef[self.columns]) + self.intercept
        return float(fitted.sigmoid(logit))

    def number_pushes(self, names: Sequence[str]) -> dict[str, float]:
        """Each number's push, from the training average, by the names of the model's number columns."""
        width = self.hashing.width
        numbers = np.zeros(len(names))
        numbered = self.columns >= width
        numbers[self.columns[numbered] - width] = self.values[numbered]
        return {name: float(c * v) for name, c, v in zip(names, self.coef[width:], numbers, strict=True)}

    def word_pushes(self, words: str) -> dict[str, float]:
        """Each of the account's own words' push: a term's column is where the vectorizer hashes the
        term alone (not re-split into n-grams)."""
        terms = sorted(set(self.hashing.terms(words)))
        if not terms or not len(self.columns):
            return dict.fromkeys(terms, 0.0)
        index = self.hashing.columns(terms)
        order = np.argsort(self.columns)  # where each term's column sits in the row, if it is there
        at = order[np.minimum(np.searchsorted(self.columns, index, sorter=order), len(order) - 1)]
        weight = np.where(self.columns[at] == index, self.values[at], 0.0)
        return dict(zip(terms, (self.coef[index] * weight).tolist(), strict=True))
