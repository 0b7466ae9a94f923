"""The analysis server: aiohttp app factory, routes, security, cache."""

from profilelens.web.app import create_app

__all__ = ["create_app"]
