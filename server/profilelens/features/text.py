"""Text traits of one post, shared by every feature that reads post text."""

from __future__ import annotations

import re

# What is not prose: links, @mentions, #hashtags, $cashtags — a figure inside them is not "a number".
_NOT_PROSE = re.compile(r"https?://\S+|[@#$]\w+")
_NUMBER = re.compile(r"\d")
# Quoted words: “…”, «…», "…" (at least two characters inside, so a lone inch mark does not count).
_QUOTATION = re.compile(r"“[^”]{2,}”|«[^»]{2,}»|\"[^\"]{2,}\"")


def prose(text: str) -> str:
    return _NOT_PROSE.sub(" ", text)


def has_number(text: str) -> bool:
    # The cheap test first: most posts have no digit at all, and then no prose to strip.
    return _NUMBER.search(text) is not None and _NUMBER.search(prose(text)) is not None


def has_quotation(text: str) -> bool:
    return _QUOTATION.search(text) is not None


def has_question(text: str) -> bool:
    if "?" not in text and "？" not in text:
        return False
    cleaned = prose(text)
    return "?" in cleaned or "？" in cleaned


# A link to a post on X itself: what a quote carries as its "link". It is the quoted post, not a link out.
_POST_PERMALINK = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/\d+", re.I)


def links_out(urls: tuple[str, ...]) -> bool:
    """Whether any of a post's links leads off X (a quoted post's permalink does not)."""
    return any(_POST_PERMALINK.match(url) is None for url in urls)
