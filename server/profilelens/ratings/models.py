"""Model files: where they are, which types they may build, and loading them once per process.

Models are the skops files `make train` writes into models/ (an installed package carries a copy;
config.models_dir says which folder is read). A file loads only after skops lists the types it would
build and every one of them is on ALLOWED_TYPES: a file asking for anything else is refused with
ModelFileError. A missing or refused model leaves its rating `available: false` with the reason, never
the whole report failing; `problems` lists them for whoever starts up (the server logs them, the
command line exits non-zero).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from profilelens.config import models_dir
from profilelens.records import Account, Post

# What the judgement models read of one account: its profile, its posts, and their numbers
# (ratings/inputs.py post_numbers; None: not computed yet). Batches score many at once.
Timeline = tuple[Account, Sequence[Post], Mapping[str, float] | None]

IDENTITY_FILE = "identity.skops"
FOLLOW_BACK_FILE = "follow_back.skops"
VERDICT_FILE = "verdict.skops"
MODEL_FILES = (IDENTITY_FILE, FOLLOW_BACK_FILE, VERDICT_FILE)

# Every type our three models are built from that skops does not trust by default. A model file that
# needs a type outside this list is refused: it is not a file `make train` wrote.
ALLOWED_TYPES = frozenset(
    {
        # identity: gradient-boosted trees, the stack's fold splitter, a dict-like holder of fitted parts
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.model_selection._split.StratifiedKFold",
        "sklearn.utils._bunch.Bunch",
        # verdict: the imputer remembers the dtype it was fitted on
        "numpy.dtype",
        # follow-back: the spline's basis and the array function scipy keeps beside it
        "scipy.interpolate._bsplines.BSpline",
        "scipy._lib.array_api_compat.numpy._aliases.asarray",
    }
)


class ModelFileError(RuntimeError):
    """A model file exists but will not be loaded (unexpected types, or not a skops file)."""


def load_model(path: Path) -> Any:
    """A skops file, after checking that it builds only allowed types. (Messages name the file, not
    where it sits: they reach reports and answers.)"""
    import skops.io as sio  # a second and a half of imports: paid by the first model, not by every command

    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # skops raises zipfile/json/key errors for a file that is not its format
        raise ModelFileError(
            f"{path.name} is not a readable skops model file ({type(exc).__name__})"
        ) from exc
    unexpected = sorted(set(untrusted) - ALLOWED_TYPES)
    if unexpected:
        raise ModelFileError(
            f"{path.name} asks to build types that ProfileLens never saves, refused: {', '.join(unexpected)}"
        )
    return sio.load(path, trusted=list(untrusted))


@dataclass(frozen=True, slots=True)
class Loaded:
    model: Any | None
    reason: str | None  # why model is None


REBUILD = "reinstall ProfileLens, or run `make train` in a checkout"


def loaded(directory: Path | None, file_name: str) -> Loaded:
    """One model from `directory` (None: config.models_dir's), loaded at first use and kept for the life
    of the process."""
    return _loaded(directory or models_dir(), file_name)


@functools.cache
def _loaded(directory: Path, file_name: str) -> Loaded:
    path = directory / file_name
    if not path.is_file():
        return Loaded(None, f"the model file {file_name} is missing: {REBUILD}")
    try:
        return Loaded(load_model(path), None)
    except ModelFileError as exc:
        return Loaded(None, f"{exc}: {REBUILD}")
    except OSError as exc:
        return Loaded(None, f"the model file {file_name} cannot be read ({exc.strerror or exc}): {REBUILD}")


def forget_loaded() -> None:
    """Drop every loaded model, so that the next use reads the files again (after `make train`)."""
    _loaded.cache_clear()


def problems(directory: Path | None = None) -> list[str]:
    """Why each model that cannot be used cannot; [] when all load. Loads them all (a server calls this
    at start, so the first profile does not wait)."""
    return [str(state.reason) for state in (loaded(directory, name) for name in MODEL_FILES) if state.reason]


def unavailable(reason: str, **extra: Any) -> dict[str, Any]:
    """A section that cannot be rated, saying why."""
    return {"available": False, "reason": reason, "tone": "none", **extra}
