"""The one kind of linear model both judgement models use over a timeline: the account's words and
named numbers, then a logistic regression. The column names ("words", "numbers", "logistic") are what
ratings/verdict.py reads its reasons from."""

from __future__ import annotations

from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def words_and_numbers(numbers: int, *, hashed_words: int, C: float) -> Pipeline:
    """Column 0 holds the words (hashed word 1-2-grams, tf-idf); columns 1..`numbers` the numbers.
    Balanced between the two labels."""
    words = Pipeline(
        [
            (
                "hash",
                HashingVectorizer(
                    ngram_range=(1, 2), n_features=hashed_words, alternate_sign=False, norm=None
                ),
            ),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ]
    )
    # An unmeasured number (no replies shown, no posts of its own) reads as the training average;
    # keep_empty_features: a view without replies has no reply numbers at all, and the column stays.
    filled = Pipeline([("fill", SimpleImputer(keep_empty_features=True)), ("scale", StandardScaler())])
    return Pipeline(
        [
            (
                "columns",
                ColumnTransformer([("words", words, 0), ("numbers", filled, list(range(1, numbers + 1)))]),
            ),
            ("logistic", LogisticRegression(C=C, max_iter=5000, class_weight="balanced")),
        ]
    )
