"""The verdict: an institutional account posting by obligation, or one that genuinely engages.

Learned from people's judgement: a logistic model over the account's own words and how its posts
speak and to whom (ratings/inputs.py), fitted on the hand-labelled corpus (models/labels/). Judged by
the posts alone: the profile, its fame and whether it is an organisation take no part — a person can
post by obligation and a brand can converse (models/verdict.md says how well it does on each).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from profilelens.ratings.inputs import (
    REPLY_NUMBERS,
    VERDICT_COLUMNS,
    VERDICT_NUMBERS,
    PostNumbers,
    matrix,
    numbers_of,
    verdict_row,
)
from profilelens.ratings.linear import Reading
from profilelens.ratings.models import VERDICT_FILE, Timeline, loaded, unavailable
from profilelens.records import Account, Capture, Post

# Bands on the obligation probability; "mixed" only where the model is unsure.
OBLIGATION_AT = 0.65
ENGAGING_AT = 0.35
# Below this many posts the posts say too little (the labellers' "unclear").
MIN_POSTS = 10
TOP_REASONS = 3
TOP_WORDS = 4
TONES = {"engaging": "good", "mixed": "warn", "obligation": "bad", "not enough data": "none"}
# The model file holds one model per view of a timeline: with the account's replies, and without them
# as X's default tab shows it (models/verdict.md).
WITH_REPLIES = "with_replies"
WITHOUT_REPLIES = "without_replies"
# Timelines that carry the account's replies when it has any. X's default profile tab (UserTweets)
# and the page's main tab leave replies out: there, "no replies" means "not shown", not "never".
REPLY_SOURCES = frozenset({"x-graphql:UserTweetsAndReplies", "x-api-v1.1", "x-api-v2"})


def replies_visible(captures: Sequence[Capture], posts: Sequence[Post]) -> bool:
    """Whether the input could show the account's replies to others (see REPLY_SOURCES). Replies in its
    own threads do not tell: X shows those on the default tab too."""
    if any(c.source in REPLY_SOURCES for c in captures):
        return True
    return any(
        p.kind == "reply" and (p.reply_to_handle or "").lower() != (p.author_handle or "").lower()
        for p in posts
    )


def label_of(probability: float) -> str:
    if probability >= OBLIGATION_AT:
        return "obligation"
    if probability <= ENGAGING_AT:
        return "engaging"
    return "mixed"


# One timeline read: the row the verdict's model took, and its reading of it.
Scored = tuple[list[object], Reading]


def readings(
    model: dict[str, Any], timelines: Sequence[Timeline], replies_shown: Sequence[bool], now: datetime
) -> list[Scored | None]:
    """Each timeline of at least MIN_POSTS posts read by the model of its view (with or without
    replies), each view's rows as one matrix; None for the shorter ones."""
    out: list[Scored | None] = [None] * len(timelines)
    for view, shown in ((WITH_REPLIES, True), (WITHOUT_REPLIES, False)):
        chosen = [i for i, t in enumerate(timelines) if replies_shown[i] == shown and len(t[1]) >= MIN_POSTS]
        if not chosen:
            continue
        rows = [verdict_input(*timelines[i], now, replies_visible=shown) for i in chosen]
        found = Reading.each(model[view], matrix(rows))
        for i, row, reading in zip(chosen, rows, found, strict=True):
            out[i] = (row, reading)
    return out


def verdict_input(
    account: Account,
    posts: Sequence[Post],
    numbers: PostNumbers | None,
    now: datetime,
    *,
    replies_visible: bool,
) -> list[object]:
    """The verdict's row; without visible replies, the reply inputs unmeasured."""
    row = verdict_row(account, posts, now, numbers)
    if not replies_visible:
        for name in REPLY_NUMBERS:
            row[VERDICT_COLUMNS.index(name)] = math.nan
    return row


def section(
    account: Account,
    posts: Sequence[Post],
    now: datetime,
    directory: Path | None = None,
    *,
    replies_visible: bool = True,
    numbers: PostNumbers | None = None,
    scored: Scored | None = None,
) -> dict[str, Any]:
    """With `replies_visible` False the model learned on timelines without replies reads it, and the
    reply inputs count as unmeasured. `numbers`: the timeline's post numbers when the caller has them
    already (see build_report); `scored`: its reading, when the caller read many at once (`readings`)."""
    n = len(posts)
    state = loaded(directory, VERDICT_FILE)
    if state.model is None:
        return unavailable(str(state.reason), posts_seen=n)
    if n < MIN_POSTS:
        return {
            "available": True,
            "reason": None,
            "label": "not enough data",
            "tone": TONES["not enough data"],
            "summary": f"only {n} posts seen: at least {MIN_POSTS} are needed",
            "obligation_probability": None,
            "reasons": [f"only {n} posts seen: at least {MIN_POSTS} are needed" if n else "no posts seen"],
            "posts_seen": n,
        }
    if scored is None:
        (scored,) = readings(state.model, [(account, posts, numbers)], [replies_visible], now)
    assert scored is not None  # enough posts: checked above
    row, reading = scored
    probability = reading.probability
    label = label_of(probability)
    pushes = reading.number_pushes(VERDICT_NUMBERS)
    if not replies_visible:
        pushes = {k: v for k, v in pushes.items() if k not in REPLY_NUMBERS}
    reasons = explain(pushes, numbers_of(row, VERDICT_COLUMNS), label)
    lean = words_reason(reading.word_pushes(str(row[0])), label)
    if lean:
        reasons.append(lean)
    if not replies_visible:
        reasons.append("replies not shown in this capture (the Replies tab shows them): left out")
    return {
        "available": True,
        "reason": None,
        "label": label,
        "tone": TONES[label],
        "summary": f"{label}: {round(probability * 100)} % likely to post by obligation",
        "obligation_probability": round(probability, 3),
        "reasons": reasons,
        "posts_seen": n,
    }


def _percent(value: float) -> str:
    return f"{round(value * 100)} %"


def describe(name: str, numbers: Mapping[str, float]) -> str:
    """One input in plain words, with its number."""
    value = numbers.get(name, math.nan)
    if math.isnan(value):
        return {
            "mention_top3_share": "mentions no one",
            "length_spread": "too few posts of its own to compare their lengths",
        }.get(name, f"{name.replace('_', ' ')} not measured")
    words = {
        "reply_others_share": "replies to others in {}" + " of posts",
        "distinct_replied_rate": "replies to a different account in {} of posts",
        "question_share": "asks questions in {} of its own posts",
        "first_person_share": "speaks in the first person in {} of its own posts",
        "second_person_share": 'addresses its reader as "you" in {} of its own posts',
        "first_plural_share": 'speaks as "we" in {} of its own posts',
        "plural_in_replies_share": 'answers as "we" in {} of its replies',
        "ends_with_link_share": "{} of its posts end with a link",
        "templated_share": "{} of its posts open with the same words as another",
        "institutional_share": "{} of posts read as announcements, events or calls to act",
        "circle_relay_share": "{} of posts relay the 3 accounts it relays most",
        "retweet_share": "{} of posts are retweets",
        "quote_share": "{} of posts quote others",
        "link_share": "{} of posts link off X",
        "hashtag_share": "{} of posts carry hashtags",
        "exclamation_share": "{} of its own posts exclaim",
        "mention_top3_share": "{} of its mentions go to its 3 most mentioned accounts",
        "headline_case_share": "{} of its own posts are written as headlines (most words capitalised)",
        "length_spread": "its own posts vary in length by {} around their average",
    }
    return words[name].format(_percent(value))


def explain(pushes: Mapping[str, float], numbers: Mapping[str, float], label: str) -> list[str]:
    """The inputs that pushed hardest toward the label (both ways for "mixed"), in plain words."""
    if label == "obligation":
        ranked = sorted(((c, n) for n, c in pushes.items() if c > 0), reverse=True)
    elif label == "engaging":
        ranked = sorted(((-c, n) for n, c in pushes.items() if c < 0), reverse=True)
    else:
        ranked = sorted(((abs(c), n) for n, c in pushes.items()), reverse=True)
    return [describe(name, numbers) for _, name in ranked[:TOP_REASONS]]


def words_reason(pushes: Mapping[str, float], label: str) -> str | None:
    """The account's own words that lean most toward the label, quoted."""
    sign = -1.0 if label == "engaging" else 1.0
    if label == "mixed":
        return None
    top = sorted(((sign * c, t) for t, c in pushes.items() if sign * c > 0), reverse=True)[:TOP_WORDS]
    if not top:
        return None
    quoted = ", ".join(f"“{t}”" for _, t in top)
    return f"its own words read as {'conversation' if label == 'engaging' else 'broadcast'}: {quoted}"
