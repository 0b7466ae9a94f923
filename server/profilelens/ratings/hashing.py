"""Text into hashed columns, exactly as the models' scikit-learn HashingVectorizer puts it.

Training fits scikit-learn's vectorizer; serving reads the same settings from the model file and does the
same steps without importing scikit-learn: lowercase, split into word n-grams (the vectorizer's token
pattern) or into character n-grams within words (`char_wb`), then each term's signed 32-bit MurmurHash3
of its UTF-8 bytes, its absolute value modulo the width, counted. tests/models/test_hashing.py holds it
to scikit-learn's own on real posts and on any text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import mmh3
import numpy as np

from profilelens.ratings.modelfile import Fitted, UnreadableModel


@dataclass(frozen=True, slots=True)
class Rows:
    """A sparse matrix, row by row (CSR): row i's columns are indices[indptr[i]:indptr[i+1]]."""

    indptr: np.ndarray[Any, Any]
    indices: np.ndarray[Any, Any]
    data: np.ndarray[Any, Any]
    width: int

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.width

    def row_of_entries(self) -> np.ndarray[Any, Any]:
        return np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))


@dataclass(frozen=True, slots=True)
class Hashing:
    """A fitted HashingVectorizer's settings, the ones our models use."""

    chars: bool  # character n-grams within words (`char_wb`); else word n-grams
    low: int
    high: int
    lowercase: bool
    token: re.Pattern[str]
    width: int

    def terms(self, text: str) -> list[str]:
        """The text's terms, in order, repeats kept: what scikit-learn's `build_analyzer()` gives."""
        text = encodable(text)
        if self.lowercase:
            text = text.lower()
        return self._char_ngrams(text) if self.chars else self._word_ngrams(self.token.findall(text))

    def columns(self, terms: list[str]) -> np.ndarray[Any, Any]:
        """Each term's column."""
        signed = np.fromiter(map(mmh3.hash, terms), dtype=np.int64, count=len(terms))
        return np.abs(signed) % self.width

    def rows(self, texts: Any) -> Rows:
        """One row of term counts per text, columns in increasing order. Every text's distinct terms are
        hashed and sorted together, in one pass for the whole batch (a pass per row cost more than the
        hashing for a page of followers' profiles)."""
        terms: list[str] = []
        counts: list[int] = []
        per_row: list[int] = []
        for text in texts:
            counted = Counter(self.terms(text))
            terms.extend(counted)
            counts.extend(counted.values())
            per_row.append(len(counted))
        row = np.repeat(np.arange(len(per_row), dtype=np.int64), per_row)
        # Sorted by row, then column; two terms of a row may share a column: their counts add up.
        cells, where = np.unique(row * self.width + self.columns(terms), return_inverse=True)
        data = np.bincount(where, weights=np.asarray(counts, dtype=np.float64), minlength=len(cells))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(cells // self.width, minlength=len(per_row)))])
        return Rows(indptr.astype(np.int64), cells % self.width, data, self.width)

    def _word_ngrams(self, tokens: list[str]) -> list[str]:
        if self.high == 1:
            return tokens
        terms = list(tokens) if self.low == 1 else []
        join = " ".join
        for n in range(max(self.low, 2), min(self.high, len(tokens)) + 1):
            terms.extend(join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return terms

    def _char_ngrams(self, text: str) -> list[str]:
        terms: list[str] = []
        append = terms.append
        for word in text.split():  # scikit-learn first turns runs of white space into one: split does too
            padded = f" {word} "
            length = len(padded)
            for n in range(self.low, self.high + 1):
                if length <= n:  # a word shorter than n counts once, whole, and ends its n-grams
                    append(padded)
                    break
                for start in range(length - n + 1):
                    append(padded[start : start + n])
        return terms


def encodable(text: str) -> str:
    """The text with any half of a surrogate pair as "?": JSON decoders other than orjson (the X API
    client's) let one through where a post was cut inside an emoji, scikit-learn cannot encode it, and
    MurmurHash3's binding crashes the process on it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def of(vectorizer: Fitted) -> Hashing:
    """The settings of a HashingVectorizer record; UnreadableModel for settings our models never use."""
    vectorizer.require(
        input="content",
        preprocessor=None,
        tokenizer=None,
        stop_words=None,
        strip_accents=None,
        binary=False,
        norm=None,
        alternate_sign=False,
        dtype="numpy.float64",
    )
    settings = vectorizer.attrs
    if settings.get("analyzer") not in ("word", "char_wb"):
        raise UnreadableModel(
            f"its HashingVectorizer reads text as {settings.get('analyzer')!r}: ProfileLens never trains that"
        )
    low, high = settings["ngram_range"]
    return Hashing(
        chars=settings["analyzer"] == "char_wb",
        low=int(low),
        high=int(high),
        lowercase=bool(settings["lowercase"]),
        token=re.compile(settings["token_pattern"]),
        width=int(settings["n_features"]),
    )
