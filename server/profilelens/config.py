"""Server configuration: environment variables, then command-line flags, over safe defaults.

Everything the server reads from its surroundings is gathered here once, so the rest of the code takes a
`Config` and never looks at `os.environ` itself.
"""

from __future__ import annotations

import base64
import binascii
import errno
import functools
import hashlib
import ipaddress
import logging
import os
import secrets
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import orjson
from platformdirs.api import PlatformDirsABC
from platformdirs.macos import MacOS
from platformdirs.windows import Windows

log = logging.getLogger(__name__)

APP_NAME = "profilelens"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SOURCE_MODELS_DIR = PROJECT_ROOT / "models"  # in a checkout: where `make train` writes the models
DEFAULT_PORT = 8642
DEFAULT_MAX_BODY = 8 * 1024 * 1024
# An NDJSON batch is read as it arrives, so its size costs time, not memory: this bounds how long one
# request can keep the analysis busy (each of its lines is a body, within max_body).
DEFAULT_MAX_BATCH_BODY = 1024 * 1024 * 1024
DEFAULT_CACHE_TTL = 6 * 3600
DEFAULT_BODY_TIMEOUT = 30.0  # seconds a request body may take to arrive: a trickling one holds a connection
TOKEN_FILE = "token"
MIN_TOKEN_LENGTH = 16  # ours are 43 characters; a short one could be guessed by any page
MAX_TOKEN_FILE = 4096
ROTATE_HINT = "run `profilelens token --rotate` to make a new token"
DEFAULT_X_API_BASE = "https://api.twitter.com"
DEFAULT_X_API_PAGES = 3  # pages of 100 posts fetched per account: each costs a request of X's quota
MAX_X_API_PAGES = 32  # X serves an account's latest 3,200 posts, no more
# Where the config and cache folders follow the system's own convention rather than XDG's.
NATIVE_DIRS: dict[str, type[PlatformDirsABC]] = {"darwin": MacOS, "win32": Windows}


class ConfigError(ValueError):
    """A setting is missing or unusable; the message says which and how to fix it."""


@dataclass(frozen=True, slots=True)
class Config:
    token: str  # the pairing token the extension sends as `Authorization: Bearer <token>`
    config_dir: Path
    cache_path: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    force_public: bool = False
    max_body: int = DEFAULT_MAX_BODY
    max_batch_body: int = DEFAULT_MAX_BATCH_BODY
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    cache_ttl: float = DEFAULT_CACHE_TTL
    extension_ids: frozenset[str] = field(default_factory=frozenset)  # allowed chrome-extension:// ids
    allow_firefox: bool = True  # moz-extension:// ids are random per install; the token protects
    x_bearer_token: str | None = None
    x_api_base: str = DEFAULT_X_API_BASE
    x_api_timeout: float = 15.0
    x_api_pages: int = DEFAULT_X_API_PAGES
    models_dir: Path = field(default_factory=lambda: models_dir())
    token_file: Path | None = None  # where `token` was read; a running server follows its changes
    analysis_workers: int = 2
    batch_concurrency: int = 4


def models_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the trained models are read, by everything: PROFILELENS_MODELS_DIR when set; else the copy
    an installed package carries (profilelens/models); else a checkout's models/."""
    env = os.environ if env is None else env
    if env.get("PROFILELENS_MODELS_DIR"):
        return Path(env["PROFILELENS_MODELS_DIR"])
    return _packaged_models() or SOURCE_MODELS_DIR


@functools.cache
def _packaged_models() -> Path | None:
    """The installed package's models folder (asked once: every rating of every report asks)."""
    packaged = resources.files("profilelens") / "models"
    return packaged if isinstance(packaged, Path) and packaged.is_dir() else None


def extension_manifest(env: Mapping[str, str] | None = None) -> Path:
    """The extension's manifest, whose `key` fixes the Chrome id the server lets in:
    PROFILELENS_EXTENSION_MANIFEST when set; else the copy an installed package carries
    (profilelens/extension/manifest.json); else a checkout's extension/manifest.json."""
    env = os.environ if env is None else env
    if env.get("PROFILELENS_EXTENSION_MANIFEST"):
        return Path(env["PROFILELENS_EXTENSION_MANIFEST"])
    packaged = resources.files("profilelens") / "extension" / "manifest.json"
    if isinstance(packaged, Path) and packaged.is_file():
        return packaged
    return PROJECT_ROOT / "extension" / "manifest.json"


def _native_dirs(system: str) -> PlatformDirsABC | None:
    """platformdirs' folders on a system (a sys.platform) with places of its own; None where the XDG
    rules apply (Linux, the BSDs): those are read from the environment given, not only os.environ."""
    native = NATIVE_DIRS.get(system)
    return native(APP_NAME, appauthor=False) if native else None


def _xdg_home(env: Mapping[str, str], variable: str, default: str) -> Path:
    return Path(env.get(variable) or Path(env.get("HOME") or Path.home()) / default)


def user_config_dir(env: Mapping[str, str], system: str = sys.platform) -> Path:
    """PROFILELENS_CONFIG_DIR; else $XDG_CONFIG_HOME/profilelens (~/.config/profilelens) on Linux,
    ~/Library/Application Support/profilelens on macOS, %LOCALAPPDATA%\\profilelens on Windows."""
    if env.get("PROFILELENS_CONFIG_DIR"):
        return Path(env["PROFILELENS_CONFIG_DIR"])
    native = _native_dirs(system)
    if native is not None:
        return native.user_config_path
    return _xdg_home(env, "XDG_CONFIG_HOME", ".config") / APP_NAME


def cache_path(env: Mapping[str, str], system: str = sys.platform) -> Path:
    """PROFILELENS_CACHE_PATH; else cache.sqlite3 in $XDG_CACHE_HOME/profilelens (~/.cache/profilelens)
    on Linux, ~/Library/Caches/profilelens on macOS, %LOCALAPPDATA%\\profilelens\\Cache on Windows."""
    if env.get("PROFILELENS_CACHE_PATH"):
        return Path(env["PROFILELENS_CACHE_PATH"])
    native = _native_dirs(system)
    folder = native.user_cache_path if native else _xdg_home(env, "XDG_CACHE_HOME", ".cache") / APP_NAME
    return folder / "cache.sqlite3"


def read_token_file(path: Path) -> str | None:
    """The token kept in `path`: None when there is no such file, "" when it is empty.

    The file is read only when it is the user's own regular file: a symbolic link (it could point at
    any file, which we would then chmod and trust), a file that is not UTF-8, or a token short enough to
    guess is a ConfigError saying to rotate it.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise ConfigError(f"{path} is a symbolic link, refused: {ROTATE_HINT}") from None
        raise
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{path} is not a regular file, refused: {ROTATE_HINT}")
        if info.st_mode & 0o077 and hasattr(os, "fchmod"):
            log.warning("%s was readable by others: now 0600", path)
            os.fchmod(file.fileno(), 0o600)
        raw = file.read(MAX_TOKEN_FILE)
    try:
        token = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text: {ROTATE_HINT}") from None
    if token and len(token) < MIN_TOKEN_LENGTH:
        raise ConfigError(
            f"the token in {path} is {len(token)} characters, too short to be safe: {ROTATE_HINT}"
        )
    return token


def read_or_create_token(config_dir: Path) -> str:
    """The pairing token, created on first use in a file only the user can read (0600), in a folder only
    the user can open (0700)."""
    path = config_dir / TOKEN_FILE
    config_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if stat.S_IMODE(config_dir.stat().st_mode) & 0o077 and os.name == "posix":
        log.warning("%s was open to others: now 0700", config_dir)
        config_dir.chmod(0o700)
    token = read_token_file(path)
    if token:
        return token
    if token is not None:  # the file exists but is empty: replace it
        log.warning("%s was empty: a new pairing token is in it", path)
        path.unlink(missing_ok=True)
    token = secrets.token_urlsafe(32)
    # O_EXCL: two first starts at once must not both write; the loser reads the winner's token.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_token_file(path) or token
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(token + "\n")
    log.info("created the pairing token in %s", path)
    return token


class PairingToken:
    """The token a running server accepts, read again whenever its file changes: after
    `profilelens token --rotate` the old token stops working at once and the new one works, no restart.

    Without a file (tests, an embedding program) it is the token it was given. A file that changes into
    something unusable (half-written, a link) keeps the last good token in force, with a warning.
    """

    def __init__(self, token: str, path: Path | None = None) -> None:
        self._token = token
        self._path = path
        self._seen = self._signature()

    def _signature(self) -> tuple[int, int, int] | None:
        if self._path is None:
            return None
        try:
            info = os.stat(self._path, follow_symlinks=False)
        except OSError:
            return None
        return info.st_ino, info.st_mtime_ns, info.st_size

    def current(self) -> str:
        signature = self._signature()
        if signature is None or signature == self._seen or self._path is None:
            return self._token
        try:
            token = read_token_file(self._path)
        except (ConfigError, OSError) as exc:
            log.warning(
                "the pairing token file changed but cannot be used (%s): the previous token stays", exc
            )
            self._seen = signature
            return self._token
        if token:  # empty: `token --rotate` is between creating the file and writing it; look again
            self._token, self._seen = token, signature
        return self._token


def chrome_extension_id(manifest_key: str) -> str:
    """Chrome's id for an extension whose manifest carries `key` (base64 of the DER public key).

    Chrome hashes the key with SHA-256 and spells the first 32 hex digits with the letters a-p.
    """
    try:
        der = base64.b64decode(manifest_key, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError(f"the manifest `key` is not base64: {exc}") from exc
    digest = hashlib.sha256(der).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def manifest_extension_ids(manifest_path: Path) -> frozenset[str]:
    """The Chrome id fixed by the extension manifest's `key`, when the manifest exists and has one."""
    try:
        manifest = orjson.loads(manifest_path.read_bytes())
    except FileNotFoundError:
        return frozenset()
    except (OSError, orjson.JSONDecodeError) as exc:
        log.warning("cannot read %s (%s): its extension id is not allowed", manifest_path, exc)
        return frozenset()
    key = manifest.get("key") if isinstance(manifest, dict) else None
    if not isinstance(key, str):
        return frozenset()
    try:
        return frozenset({chrome_extension_id(key)})
    except ConfigError as exc:
        log.warning("%s: %s", manifest_path, exc)
        return frozenset()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _number(
    env: Mapping[str, str], name: str, default: float, *, minimum: float, maximum: float | None = None
) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum:g}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={raw!r} must be at most {maximum:g}")
    return value


@dataclass(frozen=True, slots=True)
class XApiSettings:
    bearer_token: str | None  # PROFILELENS_X_BEARER_TOKEN; None turns account lookups off
    base: str  # PROFILELENS_X_API_BASE (a test double's address), else X's
    pages: int  # PROFILELENS_X_API_PAGES: pages of 100 posts read per account


def x_api_settings(env: Mapping[str, str] | None = None) -> XApiSettings:
    """The X API settings the environment gives (the server and `vet` read them here, once)."""
    env = os.environ if env is None else env
    token = (env.get("PROFILELENS_X_BEARER_TOKEN") or "").strip() or None
    return XApiSettings(
        token,
        (env.get("PROFILELENS_X_API_BASE") or DEFAULT_X_API_BASE).rstrip("/"),
        int(_number(env, "PROFILELENS_X_API_PAGES", DEFAULT_X_API_PAGES, minimum=1, maximum=MAX_X_API_PAGES)),
    )


def from_env(env: Mapping[str, str] | None = None) -> Config:
    """The configuration the environment describes; creates the pairing token on first start."""
    env = os.environ if env is None else env
    config_dir = user_config_dir(env)
    ids = {part.strip() for part in env.get("PROFILELENS_EXTENSION_IDS", "").split(",") if part.strip()}
    x_api = x_api_settings(env)
    return Config(
        token=read_or_create_token(config_dir),
        token_file=config_dir / TOKEN_FILE,
        config_dir=config_dir,
        cache_path=cache_path(env),
        host=env.get("PROFILELENS_HOST") or "127.0.0.1",
        port=int(_number(env, "PROFILELENS_PORT", DEFAULT_PORT, minimum=0)),
        max_body=int(_number(env, "PROFILELENS_MAX_BODY", DEFAULT_MAX_BODY, minimum=1024)),
        max_batch_body=int(_number(env, "PROFILELENS_MAX_BATCH_BODY", DEFAULT_MAX_BATCH_BODY, minimum=1024)),
        cache_ttl=_number(env, "PROFILELENS_CACHE_TTL", DEFAULT_CACHE_TTL, minimum=0),
        extension_ids=frozenset(ids) | manifest_extension_ids(extension_manifest(env)),
        allow_firefox=env.get("PROFILELENS_ALLOW_FIREFOX", "1") not in {"0", "false", "no"},
        x_bearer_token=x_api.bearer_token,
        x_api_base=x_api.base,
        x_api_pages=x_api.pages,
        models_dir=models_dir(env),
        analysis_workers=int(_number(env, "PROFILELENS_ANALYSIS_WORKERS", 2, minimum=1)),
        batch_concurrency=int(_number(env, "PROFILELENS_BATCH_CONCURRENCY", 4, minimum=1)),
    )


def with_flags(config: Config, **flags: object) -> Config:
    """`config` with the command-line flags that were given (None means not given) applied on top."""
    given = {name: value for name, value in flags.items() if value is not None}
    return replace(config, **given)  # type: ignore[arg-type]


def check_bind(config: Config) -> None:
    """Refuse to listen beyond this machine unless the user forced it."""
    if not is_loopback(config.host) and not config.force_public:
        raise ConfigError(
            f"refusing to listen on {config.host}: the server only binds to 127.0.0.1 "
            "(anyone who can reach it could use it); pass --force-public to override"
        )
