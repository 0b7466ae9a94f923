"""The error every layer can raise and the server answers as JSON: a status, a code and a message."""

from __future__ import annotations

from collections.abc import Mapping


class ApiError(Exception):
    """An error answered to the client as JSON `{"error": {"code", "message"}}` with `status`."""

    def __init__(self, status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
