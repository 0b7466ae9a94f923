"""Model files with the same bytes for the same model, so that `make train` twice writes identical files.

skops names every object by its memory address (`__id__`, and `<id>.npy` for arrays) and zip entries
carry the time of writing; both change from run to run. Addresses are renumbered in order of first
appearance (references stay consistent: every occurrence of an id maps to the same number) and entries
get a fixed date. A text vectorizer also keeps the address of its stop-word list once it has analysed
text (`_stop_words_id`, only compared to warn about a changed list): it is left out of the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import skops.io as sio

_ID = re.compile(r'"__id__": (\d+)')
_FILE = re.compile(r'("file": ")(\d+)(\.\w+")')
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def reproducible(raw: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(raw)) as src:
        schema = src.read("schema.json").decode()
        numbers: dict[str, str] = {}
        for match in _ID.finditer(schema):
            numbers.setdefault(match.group(1), str(len(numbers) + 1))
        for name in src.namelist():
            stem = name.split(".", 1)[0]
            if stem.isdigit():
                numbers.setdefault(stem, str(len(numbers) + 1))
        schema = _ID.sub(lambda m: f'"__id__": {numbers[m.group(1)]}', schema)
        schema = _FILE.sub(lambda m: m.group(1) + numbers[m.group(2)] + m.group(3), schema)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            renamed = []
            for name in src.namelist():
                stem, _, ext = name.partition(".")
                renamed.append((numbers[stem] + "." + ext if stem.isdigit() else name, name))
            for new, old in sorted(renamed):
                info = zipfile.ZipInfo(new, date_time=FIXED_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, schema.encode() if old == "schema.json" else src.read(old))
    return out.getvalue()


def forget_addresses(obj: Any, seen: set[int] | None = None) -> None:
    """Drop every `_stop_words_id` in the model (sklearn sets it again when it next needs it)."""
    seen = set() if seen is None else seen
    if id(obj) in seen or isinstance(obj, str | bytes | int | float | bool | type(None)):
        return
    seen.add(id(obj))
    if isinstance(obj, dict):
        children: Any = obj.values()
    elif isinstance(obj, list | tuple):
        children = obj
    elif hasattr(obj, "__dict__") and type(obj).__module__.startswith(("sklearn", "profilelens")):
        obj.__dict__.pop("_stop_words_id", None)
        children = obj.__dict__.values()
    else:
        return
    for child in children:
        forget_addresses(child, seen)


def write_model(model: Any, path: Path) -> None:
    forget_addresses(model)
    path.write_bytes(reproducible(sio.dumps(model)))
