"""Model files are read as plain records, and only when they name nothing but the classes and settings our
training writes; a missing or refused model is a reason, never a failed report."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import skops.io as sio
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from modelkit import NOW, built_by_skops, chatty_timeline, person_account
from profilelens.config import SOURCE_MODELS_DIR
from profilelens.ratings import follow_back, identity, models, verdict


class Payload:
    """A type no ProfileLens model is built from."""

    def __init__(self) -> None:
        self.command = "echo owned"


def test_committed_models_load_without_scikit_learn_scipy_or_skops() -> None:
    """Serving reads the files' numbers: none of the libraries that built them is imported (most of a
    second at start)."""
    for name in models.MODEL_FILES:
        path = SOURCE_MODELS_DIR / name
        assert path.exists(), f"{path} missing: run `make train` and commit models/"
    script = (
        "import sys; from profilelens.ratings import models; "
        "assert models.problems() == [], models.problems(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'skops'}))"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def fitted_words_model(vectorizer: HashingVectorizer) -> Pipeline:
    model = Pipeline([("hash", vectorizer), ("logistic", LogisticRegression())])
    return model.fit(["we are hiring", "lol same", "press release today", "ha ha no way"], [1, 0, 1, 0])


def test_a_step_serving_does_not_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "follow_back.skops"
    sio.dump(
        Pipeline([("scale", MinMaxScaler()), ("logistic", LogisticRegression())]).fit([[1], [2]], [0, 1]),
        path,
    )
    with pytest.raises(models.ModelFileError, match=r"refused: .*MinMaxScaler"):
        models.load_model(path)


def test_a_setting_serving_does_not_apply_is_refused(tmp_path: Path) -> None:
    """Counting a term once per text (`binary`) is a setting our training never uses: read as counts, the
    file would score differently from the model it holds."""
    path = tmp_path / "follow_back.skops"
    sio.dump(fitted_words_model(HashingVectorizer(binary=True, norm=None, alternate_sign=False)), path)
    with pytest.raises(models.ModelFileError, match="settings ProfileLens never uses: binary"):
        models.load_model(path)
    sio.dump(fitted_words_model(HashingVectorizer(norm=None, alternate_sign=False)), path)
    assert models.load_model(path).named("hash").hashing.width == 2**20


def test_unknown_type_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "verdict.skops"
    sio.dump({"model": LogisticRegression(), "extra": Payload()}, path)
    with pytest.raises(models.ModelFileError, match=r"refused: .*Payload"):
        models.load_model(path)


def test_tampered_committed_file_is_refused(tmp_path: Path) -> None:
    """Swap the type name of one object inside the real identity model for an unknown one."""
    source = SOURCE_MODELS_DIR / models.IDENTITY_FILE
    tampered = tmp_path / models.IDENTITY_FILE
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "schema.json":
                data = data.replace(b'"StratifiedKFold"', b'"Popen"').replace(
                    b'"sklearn.model_selection._split"', b'"subprocess"'
                )
            dst.writestr(item, data)
    with pytest.raises(models.ModelFileError, match=r"subprocess\.Popen"):
        models.load_model(tampered)


def test_not_a_skops_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "follow_back.skops"
    path.write_bytes(b"\x80\x04pickle, not skops")
    with pytest.raises(models.ModelFileError, match="not a readable skops model file"):
        models.load_model(path)


def test_missing_models_make_sections_unavailable_with_a_reason(tmp_path: Path) -> None:
    account = person_account()
    fb = follow_back.section(account, tmp_path)
    reading = verdict.section(account, chatty_timeline(), NOW, tmp_path)
    who = identity.section(account, chatty_timeline(), NOW, tmp_path)
    for section in (fb, reading, who):
        assert section["available"] is False and section["tone"] == "none"
        assert "make train" in section["reason"]
    assert reading["posts_seen"] == 30


def test_refused_model_makes_the_section_unavailable_not_the_report(tmp_path: Path) -> None:
    shutil.copy(SOURCE_MODELS_DIR / models.IDENTITY_FILE, tmp_path / models.IDENTITY_FILE)
    sio.dump({"extra": Payload()}, tmp_path / models.VERDICT_FILE)
    section = verdict.section(person_account(), chatty_timeline(), NOW, tmp_path)
    assert section["available"] is False
    assert "refused" in section["reason"] and "Payload" in section["reason"]


def test_the_same_model_is_written_as_the_same_bytes(tmp_path: Path) -> None:
    from profilelens.training.files import write_model

    model = built_by_skops(models.VERDICT_FILE)
    path = SOURCE_MODELS_DIR / models.VERDICT_FILE
    again = sio.load(path, trusted=sio.get_untrusted_types(file=path))  # other objects, other addresses
    write_model(model, tmp_path / "a.skops")
    write_model(again, tmp_path / "b.skops")
    assert (tmp_path / "a.skops").read_bytes() == (tmp_path / "b.skops").read_bytes()
    assert (tmp_path / "a.skops").read_bytes() == path.read_bytes()
    reloaded = models.load_model(tmp_path / "a.skops")
    for view in (verdict.WITH_REPLIES, verdict.WITHOUT_REPLIES):
        assert (reloaded[view].named("logistic").coef == model[view].named_steps["logistic"].coef_[0]).all()


def test_a_vectorizers_memory_address_never_reaches_the_file(tmp_path: Path) -> None:
    from sklearn.feature_extraction.text import HashingVectorizer

    from profilelens.training.files import write_model

    first, second = HashingVectorizer(n_features=8), HashingVectorizer(n_features=8)
    for vectorizer, address in ((first, 140077731003360), (second, 140046307277792)):
        vectorizer.transform(["some words"])  # analysing text records the stop-word list's address
        vectorizer._stop_words_id = address
    write_model(first, tmp_path / "a.skops")
    write_model(second, tmp_path / "b.skops")
    assert (tmp_path / "a.skops").read_bytes() == (tmp_path / "b.skops").read_bytes()


def test_a_file_unpacking_to_more_than_any_model_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from profilelens.ratings import modelfile

    monkeypatch.setattr(modelfile, "MAX_UNPACKED", 2**20)  # the real identity model unpacks to 7 MB
    with pytest.raises(models.ModelFileError, match="unpacks to more than any model"):
        models.load_model(SOURCE_MODELS_DIR / models.IDENTITY_FILE)


def test_a_schema_nested_past_any_model_is_refused(tmp_path: Path) -> None:
    """Nesting within orjson's depth limit (1,024) could still run the reader out of stack."""
    opening = '{"__class__": "list", "__module__": "builtins", "__loader__": "ListNode", "content": ['
    leaf = '{"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode", "content": "1"}'
    path = tmp_path / "verdict.skops"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("schema.json", opening * 500 + leaf + "]}" * 500)
    with pytest.raises(models.ModelFileError, match=r"not a readable skops model file \(RecursionError\)"):
        models.load_model(path)
