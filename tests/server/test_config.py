"""Configuration: the environment, the pairing token file, the extension's Chrome id."""

from __future__ import annotations

import base64
import shutil
import stat
import subprocess
from pathlib import Path

import orjson
import pytest

from profilelens.config import (
    DEFAULT_X_API_PAGES,
    PROJECT_ROOT,
    ConfigError,
    cache_path,
    chrome_extension_id,
    from_env,
    manifest_extension_ids,
    read_or_create_token,
    user_config_dir,
    x_api_settings,
)


def test_the_token_is_created_once_readable_by_the_user_only(tmp_path: Path) -> None:
    config_dir = tmp_path / "profilelens"
    token = read_or_create_token(config_dir)
    path = config_dir / "token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(token) >= 32
    assert read_or_create_token(config_dir) == token


def test_config_comes_from_the_environment(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(orjson.dumps({"manifest_version": 3}))  # no key: no id from it
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "PROFILELENS_PORT": "9000",
        "PROFILELENS_EXTENSION_IDS": " abcdefghijklmnopabcdefghijklmnop , ,ponmlkjihgfedcbaponmlkjihgfedcba",
        "PROFILELENS_EXTENSION_MANIFEST": str(manifest),
        "PROFILELENS_X_BEARER_TOKEN": "x-token",
        "PROFILELENS_MAX_BODY": "1048576",
        "PROFILELENS_MAX_BATCH_BODY": "2097152",
    }
    config = from_env(env)
    assert config.config_dir == tmp_path / "xdg-config" / "profilelens"
    assert (config.config_dir / "token").read_text().strip() == config.token
    assert config.cache_path == tmp_path / "xdg-cache" / "profilelens" / "cache.sqlite3"
    assert config.port == 9000
    assert config.host == "127.0.0.1"
    assert config.extension_ids == {"abcdefghijklmnopabcdefghijklmnop", "ponmlkjihgfedcbaponmlkjihgfedcba"}
    assert config.x_bearer_token == "x-token"
    assert config.max_body == 1048576
    assert config.max_batch_body == 2097152


def test_defaults_live_under_home(tmp_path: Path) -> None:
    config = from_env(
        {"HOME": str(tmp_path), "PROFILELENS_EXTENSION_MANIFEST": str(tmp_path / "absent.json")}
    )
    assert config.config_dir == tmp_path / ".config" / "profilelens"
    assert config.cache_path == tmp_path / ".cache" / "profilelens" / "cache.sqlite3"
    assert config.port == 8642
    assert config.max_body == 8 * 1024 * 1024
    assert config.max_batch_body == 1024 * 1024 * 1024
    assert config.x_bearer_token is None
    assert config.extension_ids == frozenset()


def test_macos_folders_are_its_own_not_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # platformdirs reads the real environment
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}  # XDG is a Linux convention
    assert user_config_dir(env, "darwin") == tmp_path / "Library" / "Application Support" / "profilelens"
    assert cache_path(env, "darwin") == tmp_path / "Library" / "Caches" / "profilelens" / "cache.sqlite3"
    assert user_config_dir(env, "linux") == tmp_path / "xdg" / "profilelens"
    ours = {"PROFILELENS_CONFIG_DIR": str(tmp_path / "c"), "PROFILELENS_CACHE_PATH": str(tmp_path / "k.db")}
    for system in ("darwin", "win32", "linux"):  # our own settings win everywhere
        assert user_config_dir(ours, system) == tmp_path / "c"
        assert cache_path(ours, system) == tmp_path / "k.db"


def test_x_api_pages_come_from_the_environment_within_xs_limit() -> None:
    assert x_api_settings({}).pages == DEFAULT_X_API_PAGES
    assert x_api_settings({"PROFILELENS_X_API_PAGES": "10"}).pages == 10
    for refused in ("0", "33", "many"):
        with pytest.raises(ConfigError, match="PROFILELENS_X_API_PAGES"):
            x_api_settings({"PROFILELENS_X_API_PAGES": refused})


@pytest.mark.parametrize(("name", "value"), [("PROFILELENS_PORT", "http"), ("PROFILELENS_CACHE_TTL", "-5")])
def test_an_unusable_setting_is_named(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        from_env({"HOME": str(tmp_path), name: value})


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a key")
def test_the_chrome_id_is_the_one_chromes_documented_recipe_gives(tmp_path: Path) -> None:
    # Chrome's docs: openssl rsa -in key.pem -pubout -outform DER | sha256sum | head -c32 | tr 0-9a-f a-p
    key = tmp_path / "key.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    der = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"], check=True, capture_output=True
    ).stdout
    recipe = subprocess.run(
        "sha256sum | head -c32 | tr 0-9a-f a-p", shell=True, input=der, check=True, capture_output=True
    ).stdout.decode()
    manifest_key = base64.b64encode(der).decode()
    assert chrome_extension_id(manifest_key) == recipe
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(orjson.dumps({"manifest_version": 3, "key": manifest_key}))
    assert manifest_extension_ids(manifest) == {recipe}
    env = {"HOME": str(tmp_path), "PROFILELENS_EXTENSION_MANIFEST": str(manifest)}
    assert recipe in from_env(env).extension_ids


def test_a_broken_manifest_allows_no_id(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"key": "not base64 at all!"}')
    assert manifest_extension_ids(manifest) == frozenset()
    manifest.write_text("{broken")
    assert manifest_extension_ids(manifest) == frozenset()
    assert "manifest" in caplog.text


def test_an_empty_or_too_open_token_file_is_repaired(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "token"
    path.write_text("\n")
    token = read_or_create_token(tmp_path)
    assert token
    assert path.read_text().strip() == token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    assert read_or_create_token(tmp_path) == token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "empty" in caplog.text
    assert "readable by others" in caplog.text


def test_the_extension_in_this_repository_is_allowed(tmp_path: Path) -> None:
    manifest = PROJECT_ROOT / "extension" / "manifest.json"
    key = orjson.loads(manifest.read_bytes()).get("key") if manifest.exists() else None
    if not key:
        pytest.skip(f"{manifest} has no `key` yet")
    config = from_env({"HOME": str(tmp_path)})  # the default manifest path is this repository's
    assert chrome_extension_id(key) in config.extension_ids
