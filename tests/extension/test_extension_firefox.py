"""The extension in Firefox ESR, against the real server: the core scenario of the Chromium test.

Playwright drives Firefox only through its own patched build, and its WebDriver BiDi mode needs a newer
Firefox than Debian's ESR (it calls emulation.setMediaFeaturesOverride, unknown to ESR 153). So Debian's
firefox-esr is driven over its own WebDriver BiDi endpoint (`--remote-debugging-port`) by the small
client below: the Firefox package (dist/profilelens-firefox.zip, unzipped) is installed as a temporary
add-on (webExtension.install), requests to x.com are answered by network interception
(network.addIntercept, network.provideResponse) from the same look-alike and real captures as the
Chromium test, and the badges must say what `profilelens analyze` says of the same captures.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import subprocess
import time
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from conftest import ROOT
from extensionkit import (
    ARTIFACTS,
    EXTENSION,
    READ_ROWS,
    TIME_ZONE,
    WAIT_MS,
    Server,
    Site,
    assert_badges_match,
    bundle,
    free_port,
    graphql_profiles,
    profilelens,
)

pytestmark = pytest.mark.browser

FIREFOX = Path(os.environ.get("PROFILELENS_FIREFOX") or "/usr/lib/firefox-esr/firefox-esr")
# The extension's pages' origin, fixed for this profile (Firefox draws one at random per install).
EXTENSION_UUID = "5c0f3e2a-8d41-4b7e-9a36-1f2e4d6c8b90"


class Bidi:
    """One WebDriver BiDi session: commands and their answers by id, events to their handlers."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.last_id = 0
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.handlers: dict[str, Callable[[dict[str, Any]], Awaitable[None]]] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.reader = asyncio.create_task(self._read())

    async def command(self, method: str, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        answer = self.waiting[self.last_id] = asyncio.get_running_loop().create_future()
        await self.socket.send_str(json.dumps({"id": self.last_id, "method": method, "params": params}))
        message = await asyncio.wait_for(answer, WAIT_MS / 1000)
        if message.get("type") == "error":
            raise AssertionError(f"{method}: {message.get('error')}: {message.get('message')}")
        return dict(message["result"])

    async def _read(self) -> None:
        async for frame in self.socket:
            message = json.loads(frame.data)
            if message.get("id") in self.waiting:
                self.waiting.pop(message["id"]).set_result(message)
            elif message.get("type") == "event" and message.get("method") in self.handlers:
                task = asyncio.create_task(self.handlers[message["method"]](message["params"]))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)

    async def evaluate(self, context: str, expression: str) -> Any:
        """The JSON value of a script run in a page (awaited when it is a promise)."""
        done = await self.command(
            "script.evaluate",
            expression=f"(async () => JSON.stringify(await ({expression})))()",
            target={"context": context},
            awaitPromise=True,
        )
        if done["type"] != "success":
            raise AssertionError(f"script failed: {done.get('exceptionDetails')}")
        return json.loads(done["result"].get("value") or "null")

    async def wait_for(self, context: str, expression: str, what: str) -> Any:
        deadline = time.monotonic() + WAIT_MS / 1000
        while time.monotonic() < deadline:
            value = await self.evaluate(context, expression)
            if value:
                return value
            await asyncio.sleep(0.1)
        rows = await self.evaluate(context, f"({READ_ROWS})()")
        pytest.fail(f"Firefox: {what} did not happen in {WAIT_MS} ms; rows: {rows}")


@contextlib.asynccontextmanager
async def firefox(profile: Path) -> AsyncIterator[Bidi]:
    """Debian's Firefox ESR, headless, with a WebDriver BiDi session on a free loopback port."""
    prefs = {
        "extensions.webextensions.uuids": json.dumps({gecko_id(): EXTENSION_UUID}),
        "browser.shell.checkDefaultBrowser": False,
        "browser.startup.homepage_override.mstone": "ignore",
        "datareporting.policy.dataSubmissionEnabled": False,
        "app.update.disabledForTesting": True,
    }
    profile.joinpath("user.js").write_text(
        "".join(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n" for name, value in prefs.items())
    )
    port = free_port()
    # System access lets the session open the extension's own pages (its options).
    command = [str(FIREFOX), "--headless", "--no-remote", "--profile", str(profile)]
    command += ["--remote-debugging-port", str(port), "--remote-allow-system-access"]
    with (profile / "firefox.log").open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=os.environ | {"MOZ_CRASHREPORTER_DISABLE": "1"}
        )
    try:
        async with aiohttp.ClientSession() as http:
            socket = None
            deadline = time.monotonic() + 60
            while socket is None:
                try:
                    socket = await http.ws_connect(f"ws://127.0.0.1:{port}/session", max_msg_size=0)
                except aiohttp.ClientError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log_tail = (profile / "firefox.log").read_text(errors="replace")[-2000:]
                        pytest.fail(f"Firefox did not open WebDriver BiDi: {log_tail}")
                    await asyncio.sleep(0.2)
            session = Bidi(socket)
            try:
                await session.command("session.new", capabilities={})
                yield session
            finally:
                with contextlib.suppress(Exception):
                    await session.command("session.end")
                await socket.close()
                session.reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await session.reader
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def gecko_id() -> str:
    manifest = json.loads((EXTENSION / "manifest.json").read_text())
    return str(manifest["browser_specific_settings"]["gecko"]["id"])


async def answer_from(site: Site, session: Bidi, params: dict[str, Any]) -> None:
    """Answers a request to x.com the page made, from the look-alike."""
    if not params.get("isBlocked"):
        return
    status, body, content_type = site.respond(params["request"]["url"])
    await session.command(
        "network.provideResponse",
        request=params["request"]["request"],
        statusCode=status,
        reasonPhrase="OK" if status == 200 else "Not Found",
        headers=[{"name": "content-type", "value": {"type": "string", "value": content_type}}],
        body={"type": "base64", "value": base64.b64encode(body).decode()},
    )


@pytest.fixture
def firefox_package(tmp_path: Path) -> Path:
    """`npm run build`'s Firefox package, unzipped: what users install."""
    if not FIREFOX.exists():
        pytest.fail(
            f"{FIREFOX} is missing: `make browser` installs Debian's firefox-esr (or set PROFILELENS_FIREFOX)"
        )
    if not (EXTENSION / "node_modules" / ".bin" / "esbuild").exists():
        pytest.fail("extension/node_modules is missing: run `make extension-deps` (make test does)")
    subprocess.run(["npm", "run", "--silent", "build"], cwd=EXTENSION, check=True, timeout=180)
    target = tmp_path / "firefox-package"
    with zipfile.ZipFile(ROOT / "dist" / "profilelens-firefox.zip") as package:
        package.extractall(target)
    return target


async def test_firefox_badges_say_what_profilelens_analyze_says(
    firefox_package: Path, tmp_path: Path
) -> None:
    home = tmp_path / "server-home"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROFILELENS_")}
    env |= {"XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache")}
    newest, legacy = graphql_profiles()
    # What the command line says of the captures the page will load, before the browser sees them.
    expected = {}
    for schema, profile in (("newest", newest), ("legacy", legacy)):
        capture = tmp_path / f"{schema}.json"
        capture.write_bytes(bundle(profile.bodies(1)))
        done = profilelens(env, "analyze", "--json", str(capture))
        assert done.returncode == 0, done.stderr
        (expected[schema],) = json.loads(done.stdout)
    server = Server(env, tmp_path / "serve.log").start()
    try:
        token = server.token()
        site = Site()
        (tmp_path / "profile").mkdir()
        async with firefox(tmp_path / "profile") as session:
            installed = await session.command(
                "webExtension.install", extensionData={"type": "path", "path": str(firefox_package)}
            )
            assert installed["extension"] == gecko_id()
            session.handlers["network.beforeRequestSent"] = lambda params: answer_from(site, session, params)
            await session.command(
                "network.addIntercept",
                phases=["beforeRequestSent"],
                urlPatterns=[
                    {"type": "pattern", "protocol": "https", "hostname": host}
                    for host in ("x.com", "twitter.com")
                ],
            )
            await session.command("session.subscribe", events=["network.beforeRequestSent"])
            # Paired as a user pairs it: the server URL, the token and the time zone, in its storage.
            options = (await session.command("browsingContext.create", type="tab"))["context"]
            await session.command(
                "browsingContext.navigate",
                context=options,
                url=f"moz-extension://{EXTENSION_UUID}/src/options/options.html",
                wait="complete",
            )
            settings = {"serverUrl": server.url, "token": token, "timeZone": TIME_ZONE}
            await session.evaluate(
                options, f"browser.storage.local.set({json.dumps(settings)}).then(() => true)"
            )
            await session.command("browsingContext.close", context=options)

            tab = (await session.command("browsingContext.getTree"))["contexts"][0]["context"]
            for (schema, report), profile in zip(expected.items(), (newest, legacy), strict=True):
                site.use([profile], [])
                await session.command(
                    "browsingContext.navigate",
                    context=tab,
                    url=f"https://x.com/{profile.handle}",
                    wait="complete",
                )
                seen = f"Based on {report['data']['posts_seen']} post"
                await session.wait_for(
                    tab,
                    f"""(() => {{ const rows = document.querySelectorAll('.profilelens-row');
                        return rows.length === 1 && rows[0].dataset.state === 'ok'
                            && rows[0].textContent.includes({json.dumps(seen)}); }})()""",
                    f"badges for @{profile.handle} on {report['data']['posts_seen']} posts",
                )
                (row,) = await session.evaluate(tab, f"({READ_ROWS})()")
                assert row["handle"].lower() == profile.handle.lower()
                assert_badges_match(row, report)
                shot = await session.command("browsingContext.captureScreenshot", context=tab)
                ARTIFACTS.mkdir(exist_ok=True)
                (ARTIFACTS / f"extension-firefox-{schema}.png").write_bytes(base64.b64decode(shot["data"]))
    finally:
        server.stop()
