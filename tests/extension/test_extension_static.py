"""The extension without a browser: `web-ext lint` (Firefox's rules, offline) and node's own unit tests
for page detection, capture grouping, badge wording and the worker's requests."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from conftest import ROOT

EXTENSION = ROOT / "extension"


@pytest.fixture(scope="module")
def npm_ready() -> None:
    if not (EXTENSION / "node_modules" / ".bin" / "web-ext").exists():
        pytest.fail("extension/node_modules is missing: run `make extension-deps` (make test does)")


def test_web_ext_lint_finds_no_errors(npm_ready: None) -> None:
    subprocess.run(["npm", "run", "--silent", "bundle"], cwd=EXTENSION, check=True, timeout=180)
    done = subprocess.run(
        ["npx", "--no-install", "web-ext", "lint", "--source-dir", ".", "--output", "json", "--no-input"],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(done.stdout[done.stdout.index("{") :])
    assert result["errors"] == [], result["errors"]
    assert result["summary"]["errors"] == 0
    assert done.returncode == 0, done.stderr
    # The warnings left are known and harmless: Firefox ignoring `service_worker` (Chrome's half of the
    # shared manifest) and data_collection_permissions being newer than strict_min_version 128.
    codes = {warning["code"] for warning in result["warnings"]}
    assert codes <= {
        "BACKGROUND_SERVICE_WORKER_IGNORED",
        "KEY_FIREFOX_UNSUPPORTED_BY_MIN_VERSION",
        "KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION",
    }, result["warnings"]


def test_manifest_serves_both_browsers() -> None:
    manifest = json.loads((EXTENSION / "manifest.json").read_text())
    assert manifest["manifest_version"] == 3
    background = manifest["background"]
    assert background["service_worker"] == background["scripts"][0]
    gecko = manifest["browser_specific_settings"]["gecko"]
    assert gecko["id"] and gecko["strict_min_version"] == "128.0"
    assert gecko["data_collection_permissions"]["required"] == ["none"]
    assert manifest["permissions"] == ["storage", "downloads"]  # downloads: "Save capture"
    assert set(manifest["host_permissions"]) == {
        "https://x.com/*",
        "https://twitter.com/*",
        "http://127.0.0.1/*",
        "http://localhost/*",
    }
    main_world = [script for script in manifest["content_scripts"] if script.get("world") == "MAIN"]
    assert len(main_world) == 1 and main_world[0]["run_at"] == "document_start"
    assert not list(EXTENSION.glob("*.pem")), "the private key never goes in the repository"


def test_node_unit_tests_pass(npm_ready: None) -> None:
    done = subprocess.run(
        ["node", "--test", "test/"], cwd=EXTENSION, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout
    passed = int(done.stdout.split("# pass ")[1].split()[0])
    assert passed >= 40, done.stdout[-2000:]


def test_the_extension_and_the_server_share_one_handle_rule() -> None:
    from profilelens.xapi import HANDLE

    source = (ROOT / "extension" / "src" / "content" / "selectors.js").read_text(encoding="utf-8")
    (rule,) = re.findall(r"export const HANDLE = '([^']+)';", source)
    assert HANDLE.pattern == f"^@?({rule})$"
