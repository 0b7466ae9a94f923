"""Reading a skops model file as plain data: names and numbers, nothing imported, nothing built.

A skops file is a zip of `schema.json` (a tree of typed nodes) and one `.npy` file per array. skops's own
loader imports every class the tree names and builds it, which means importing scikit-learn and scipy
(most of a second before the first report). Serving only needs each fitted object's attributes, so here
an object becomes a `Fitted` record: its class's name and its attributes. Arrays are read with numpy,
pickle refused. A file naming any class outside KNOWN_CLASSES is refused, as is any node kind this reader
does not know: only what `make train` writes is read.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson

# Every class a ProfileLens model file holds an object of (skops writes them as `ObjectNode`s, or as
# nodes of their own for a random generator and a loss). Records only: none of them is imported.
KNOWN_CLASSES = frozenset(
    {
        "sklearn.pipeline.Pipeline",
        "sklearn.compose._column_transformer.ColumnTransformer",
        "sklearn.preprocessing._function_transformer.FunctionTransformer",
        "sklearn.feature_extraction.text.HashingVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.impute._base.SimpleImputer",
        "sklearn.preprocessing._data.StandardScaler",
        "sklearn.preprocessing._polynomial.SplineTransformer",
        "scipy.interpolate._bsplines.BSpline",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.ensemble._stacking.StackingClassifier",
        "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
        "sklearn.preprocessing._label.LabelEncoder",
        "sklearn.model_selection._split.StratifiedKFold",
        "sklearn.utils._bunch.Bunch",
        "sklearn._loss.loss.HalfBinomialLoss",
        "sklearn._loss._loss.CyHalfBinomialLoss",
        "sklearn._loss.link.LogitLink",
        "sklearn._loss.link.Interval",
        "numpy.random._generator.Generator",
        # the array function scipy keeps beside a spline: recorded by name, never called
        "scipy._lib.array_api_compat.numpy._aliases.asarray",
    }
)
# Types named as values (a dtype, a dict's key type) and arrays' own classes: numbers and text only.
PLAIN_MODULES = frozenset({"builtins", "numpy"})
MAX_UNPACKED = 256 * 2**20  # a file unpacking to more is not one of ours (ours: under 10 MB)


class UnreadableModel(ValueError):
    """Not a skops file, or not one of ours (names an unknown class, or a node kind this reader lacks)."""


@dataclass(
    frozen=True, slots=True, eq=False
)  # compared and hashed as itself: derived forms are cached per record
class Fitted:
    """One fitted object of a model file: the module-qualified name of its class and its attributes
    (`record.coef_` reads `attrs["coef_"]`, as on the object scikit-learn would build)."""

    kind: str
    attrs: Mapping[str, Any]

    @property
    def name(self) -> str:
        """The class's own name: "LogisticRegression"."""
        return self.kind.rpartition(".")[2]

    def require(self, **settings: Any) -> None:
        """UnreadableModel unless each named attribute holds the given value (any other is a setting our
        training never uses, which serving does not apply)."""
        odd = [name for name, value in settings.items() if self.attrs.get(name) != value]
        if odd:
            raise UnreadableModel(f"its {self.name} has settings ProfileLens never uses: {', '.join(odd)}")

    def __getattr__(self, attribute: str) -> Any:
        try:
            return self.attrs[attribute]
        except KeyError:
            raise AttributeError(f"{self.name} has no {attribute}") from None


def read(path: Path) -> Any:
    """The file's object tree: dicts, lists, tuples, text and numbers, numpy arrays, and `Fitted` records."""
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(entry.file_size for entry in archive.infolist()) > MAX_UNPACKED:
                raise UnreadableModel("it unpacks to more than any model ProfileLens writes")
            schema = orjson.loads(archive.read("schema.json"))
            unknown = sorted(_unknown_classes(schema))
            if unknown:
                raise UnreadableModel(
                    f"asks to build types that ProfileLens never saves, refused: {', '.join(unknown)}"
                )
            return _Reader(archive).node(schema)
    except UnreadableModel:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, RecursionError) as exc:
        raise UnreadableModel(f"not a readable skops model file ({type(exc).__name__})") from exc


def _unknown_classes(node: Any) -> set[str]:
    """Every class the tree names that is neither a known model part nor a plain builtin/numpy type."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "__loader__" in item:
                kind = f"{item['__module__']}.{item['__class__']}"
                if item["__module__"] not in PLAIN_MODULES and kind not in KNOWN_CLASSES:
                    found.add(kind)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


class _Reader:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def node(self, state: Mapping[str, Any]) -> Any:
        loader = state["__loader__"]
        kind = f"{state['__module__']}.{state['__class__']}"
        if loader == "JsonNode":
            return json.loads(state["content"])  # Python's json: skops writes NaN as `NaN`
        if loader == "DictNode":
            key_types = self.node(state["key_types"])
            content = state["content"]
            return {
                _key(t, key): self.node(value)
                for t, (key, value) in zip(key_types, content.items(), strict=True)
            }
        if loader == "ListNode":
            return [self.node(item) for item in state["content"]]
        if loader == "TupleNode":
            return tuple(self.node(item) for item in state["content"])
        if loader == "TypeNode":
            return kind  # a type named as a value (a dtype, a key type): its name is all that is read
        if loader == "SliceNode":
            content = state["content"]
            return slice(content["start"], content["stop"], content["step"])
        if loader == "NdArrayNode":
            return self.array(state)
        if loader == "DTypeNode":
            return self.array(state["content"]).dtype
        if loader == "ObjectNode":
            attrs = state.get("content")
            read = self.node(attrs) if attrs is not None else None
            return Fitted(kind, read if isinstance(read, dict) else {})
        if loader in ("FunctionNode", "LossNode", "RandomGeneratorNode"):
            return Fitted(kind, {})  # parts that only fitting uses: named, not read
        raise UnreadableModel(f"holds a {loader} that ProfileLens never saves")

    def array(self, state: Mapping[str, Any]) -> Any:
        if state.get("type") != "numpy":
            raise UnreadableModel("holds an array of objects, which ProfileLens never saves")
        array = np.load(io.BytesIO(self.archive.read(state["file"])), allow_pickle=False)
        return array if state["__class__"] == "ndarray" else array[()]  # a numpy scalar: stored 0-d


def _key(key_type: str, key: str) -> Any:
    return int(key) if key_type == "builtins.int" else key
