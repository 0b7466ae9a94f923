"""The extension without a browser: `web-ext lint` (Firefox's rules, offline) and node's own unit tests
for page detection, capture grouping, badge wording and the worker's requests."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from profilelens.config import chrome_extension_id

EXTENSION = ROOT / "extension"


@pytest.fixture(scope="module")
def npm_ready() -> None:
    if not (EXTENSION / "node_modules" / ".bin" / "web-ext").exists():
        pytest.fail("extension/node_modules is missing: run `make extension-deps` (make test does)")


@pytest.fixture(scope="module")
def packages(npm_ready: None) -> dict[str, Path]:
    """The store packages as `npm run build` stages them (dist/chrome/, dist/firefox/), before zipping."""
    subprocess.run(["node", "scripts/build.js", "--stage"], cwd=EXTENSION, check=True, timeout=180)
    return {browser: ROOT / "dist" / browser for browser in ("chrome", "firefox")}


def test_web_ext_lint_passes_the_firefox_package_without_a_warning(packages: dict[str, Path]) -> None:
    lint = ["web-ext", "lint", "--source-dir", str(packages["firefox"]), "--output", "json", "--no-input"]
    done = subprocess.run(
        ["npx", "--no-install", *lint],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(done.stdout[done.stdout.index("{") :])
    assert (result["errors"], result["warnings"], result["notices"]) == ([], [], []), result
    assert done.returncode == 0, done.stderr


def test_manifest_serves_both_browsers() -> None:
    manifest = json.loads((EXTENSION / "manifest.json").read_text())
    assert manifest["manifest_version"] == 3
    assert len(manifest["description"]) <= 132  # the Chrome Web Store's limit
    background = manifest["background"]
    assert background["service_worker"] == background["scripts"][0]
    gecko = manifest["browser_specific_settings"]["gecko"]
    # An id AMO takes for good: UUID-style (no domain of ours to name).
    assert re.fullmatch(r"\{[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\}", gecko["id"]), gecko["id"]
    # data_collection_permissions, which AMO requires, came with Firefox 140 (142 on Android).
    assert gecko["strict_min_version"] == "140.0"
    assert manifest["browser_specific_settings"]["gecko_android"]["strict_min_version"] == "142.0"
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
    # The key fixes the id of extension/ loaded unpacked, the one the server always allows.
    assert chrome_extension_id(manifest["key"]) == "nimghadoelchfebpnmbolfdhhchcnkip"
    assert not list(EXTENSION.glob("*.pem")), "the private key never goes in the repository"


def test_each_store_gets_its_own_manifest_and_the_privacy_policy(packages: dict[str, Path]) -> None:
    source = json.loads((EXTENSION / "manifest.json").read_text())
    chrome = json.loads((packages["chrome"] / "manifest.json").read_text())
    firefox = json.loads((packages["firefox"] / "manifest.json").read_text())
    # The Web Store refuses `key` (it gives the id); each browser gets its own background only.
    assert "key" not in chrome and "key" not in firefox
    assert chrome["background"] == {"service_worker": source["background"]["service_worker"]}
    assert "browser_specific_settings" not in chrome
    assert firefox["background"] == {"scripts": source["background"]["scripts"]}
    assert firefox["browser_specific_settings"] == source["browser_specific_settings"]

    def common(manifest: dict[str, object]) -> dict[str, object]:
        return {
            k: v for k, v in manifest.items() if k not in ("key", "background", "browser_specific_settings")
        }

    assert common(chrome) == common(firefox) == common(source)
    for package in packages.values():
        shipped = {str(path.relative_to(package)) for path in package.rglob("*") if path.is_file()}
        assert "src/privacy/privacy.html" in shipped
        assert not [name for name in shipped if name.startswith("src/") and name.endswith(".js")], shipped
        assert all(
            name == "manifest.json" or name.split("/")[0] in ("build", "icons", "src") for name in shipped
        )
    options = (EXTENSION / "src" / "options" / "options.html").read_text()
    assert 'href="../privacy/privacy.html"' in options


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
