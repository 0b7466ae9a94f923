"""The analysis server: aiohttp app factory, routes, security, cache."""

from profilelens.web.app import SERVER_OPTIONS, create_app

__all__ = ["SERVER_OPTIONS", "create_app"]
