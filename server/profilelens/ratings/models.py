"""Model files: where they are, what they may hold, and loading them once per process.

Models are the skops files `make train` writes into models/ (an installed package carries a copy;
config.models_dir says which folder is read). A file is read as plain records, never as the objects it
names (ratings/modelfile.py): a file naming a class our training never writes is refused with
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


class ModelFileError(RuntimeError):
    """A model file exists but will not be loaded (unexpected types, or not a skops file)."""


def load_model(path: Path) -> Any:
    """A skops file as the scorers of ratings/fitted.py, refused unless it names only the classes our
    training writes, with the settings it uses. (Messages name the file, not where it sits: they reach
    reports and answers.)"""
    from profilelens.ratings import fitted  # numpy: paid by the first model, not by every command
    from profilelens.ratings.modelfile import UnreadableModel

    try:
        return fitted.read_model(path)
    except UnreadableModel as exc:
        raise ModelFileError(f"{path.name}: {exc}") from exc


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
