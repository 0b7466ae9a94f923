"""Real labelled timelines for the rating tests, read as a report would read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from conftest import shared_data
from profilelens.records import Post
from profilelens.training.labelling import SHOWN_POSTS
from profilelens.training.timelines import Timeline, load_timelines

# The 100 posts after the 40 the labellers read: never seen by them, nor by the models as labelled.
UNSEEN = slice(SHOWN_POSTS, SHOWN_POSTS + 100)


@cache
def timeline(uid: str) -> Timeline:
    shared_data("timelines")
    source = uid.split("/", 1)[0]
    return next(t for t in load_timelines(sources=(source,)) if t.uid == uid)


def now_of(posts: list[Post]) -> datetime:
    dated = [p.created_at for p in posts if p.created_at]
    return max(dated) + timedelta(days=1) if dated else datetime(2020, 1, 1, tzinfo=UTC)
