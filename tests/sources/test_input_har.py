"""A browser's HAR of x.com, and the `{"url", "body"}` bundle items its entries become.

The HARs are built here around the real x.com answers of ../shared/data/x-graphql/ (a HAR is only a
container: its entries hold the bodies as the browser received them), with the request URLs X uses
(`/i/api/graphql/<query id>/<operation>`, ids from the folder's __meta.json) and the noise a real
recording has: the page itself, a CORS preflight, another site, X's other GraphQL calls.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from audiencekit import OWNER, page_url, users_in_answer
from conftest import shared_data
from profilelens import analysis
from profilelens.records import InputError
from profilelens.sources import parse

NOW = datetime(2026, 8, 20, 12, tzinfo=UTC)
FILES = {  # operation -> the real answer
    "UserByScreenName": "raw_user_by_login.json",
    "UserTweets": "raw_user_tweets.json",
    "Followers": "raw_followers.json",
    "SearchTimeline": "raw_search.json",
    "TweetDetail": "raw_tweet_details.json",
}


def graphql_url(operation: str) -> str:
    ids = {
        path.split("/")[1]: path
        for path, _ in orjson.loads(shared_data("x-graphql/__meta.json").read_bytes()).values()
    }
    return (
        f"https://x.com/i/api/graphql/{ids[operation]}?variables=%7B%22screen_name%22%3A%22XDevelopers%22%7D"
    )


def body(operation: str) -> bytes:
    return shared_data(f"x-graphql/{FILES[operation]}").read_bytes()


def entry(url: str, text: str | None, *, method: str = "GET", base64_encoded: bool = False) -> dict[str, Any]:
    content: dict[str, Any] = {"size": len(text or ""), "mimeType": "application/json"}
    if text is not None:
        content["text"] = text
    if base64_encoded:
        content["encoding"] = "base64"
    return {
        "startedDateTime": "2026-08-20T10:00:00.000Z",
        "request": {"method": method, "url": url, "headers": []},
        "response": {"status": 200, "headers": [], "content": content},
    }


def har(*entries: dict[str, Any]) -> dict[str, Any]:
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "WebInspector", "version": "537.36"},
            "entries": list(entries),
        }
    }


def recorded_session() -> dict[str, Any]:
    """A profile visit as Chrome records it: the answers, one of them base64, among the noise."""
    return har(
        entry("https://x.com/XDevelopers", "<!DOCTYPE html><html></html>"),
        entry(graphql_url("UserTweets"), None, method="OPTIONS"),
        entry("https://abs.twimg.com/responsive-web/client-web/main.js", "window.x = 1"),
        entry("https://example.com/api/graphql/abc/UserTweets", body("UserTweets").decode()),
        entry(graphql_url("UserByScreenName"), body("UserByScreenName").decode()),
        entry(graphql_url("UserTweets"), base64.b64encode(body("UserTweets")).decode(), base64_encoded=True),
        entry(graphql_url("SearchTimeline"), body("SearchTimeline").decode()),
        entry(graphql_url("TweetDetail"), body("TweetDetail").decode()),
    )


def test_a_recorded_profile_visit_reads_as_its_answers_would() -> None:
    from_har = parse(recorded_session())
    plain = parse(orjson.loads(body("UserByScreenName"))) + parse(orjson.loads(body("UserTweets")))
    assert [(c.source, c.operation) for c in from_har] == [
        ("x-graphql:UserByScreenName", "UserByScreenName"),
        ("x-graphql:UserTweets", "UserTweets"),
    ]
    assert [(c.account, c.posts) for c in from_har] == [(c.account, c.posts) for c in plain]
    # X's other calls are said once, not one note each; the page, the preflight and the other site not at all.
    assert from_har[0].notes == [
        "X GraphQL answers that are not a profile's left out: SearchTimeline, TweetDetail"
    ]
    (report,) = analysis.analyze(from_har, now=NOW)
    (expected,) = analysis.analyze(plain, now=NOW)
    assert report["data"]["notes"] == from_har[0].notes
    report["data"]["notes"] = expected["data"]["notes"]
    assert report == expected


def test_a_followers_page_keeps_the_operation_its_url_named() -> None:
    captures = parse(har(entry(graphql_url("Followers"), body("Followers").decode())))
    users = orjson.loads(body("Followers"))  # every user of the page, read here with a walk of its own
    expected = [u for u in users_in_answer(users) if u.get("__typename") == "User"]
    assert len(captures) == len(expected) > 10
    assert {c.operation for c in captures} == {"Followers"}
    assert [c.account.id for c in captures if c.account] == [u["rest_id"] for u in expected]


HARS_WITHOUT_A_PROFILE = {
    "nothing recorded": (lambda: [], "no X GraphQL answer (x.com/i/api/graphql/...) among its 0 entries"),
    "only the page": (
        lambda: [entry("https://x.com/home", "<html></html>")],
        "no X GraphQL answer (x.com/i/api/graphql/...) among its 1 entries",
    ),
    "other calls of X": (
        lambda: [entry(graphql_url(op), body(op).decode()) for op in ("SearchTimeline", "TweetDetail")],
        "answers (SearchTimeline, TweetDetail) are not a profile's: expected AboutAccountQuery",
    ),
    "no bodies saved": (  # Chrome keeps no body for some requests
        lambda: [entry(graphql_url("UserTweets"), None), entry(graphql_url("UserTweets"), "  ")],
        "the HAR holds X's profile answers (UserTweets ×2) but not their bodies",
    ),
}


@pytest.mark.parametrize("case", HARS_WITHOUT_A_PROFILE)
def test_a_har_without_a_profile_answer_says_what_it_holds(case: str) -> None:
    entries, says = HARS_WITHOUT_A_PROFILE[case]
    with pytest.raises(InputError) as error:
        parse(har(*entries()))
    assert says in str(error.value)


def test_an_unreadable_answer_is_a_note_and_the_others_are_read() -> None:
    captures = parse(
        har(
            entry(graphql_url("UserByScreenName"), '{"data": {"user": '),
            entry(graphql_url("UserTweets"), body("UserTweets").decode()),
        )
    )
    assert [c.operation for c in captures] == ["UserTweets"]
    assert captures[0].notes[0].startswith("entry 1 (UserByScreenName) skipped: not JSON")


def test_url_and_body_bundle_items_read_as_the_plain_bodies_and_keep_the_operation() -> None:
    items = [
        {"url": graphql_url(op), "body": orjson.loads(body(op))} for op in ("UserByScreenName", "UserTweets")
    ]
    with_urls = parse({"captures": items})
    plain = parse({"captures": [item["body"] for item in items]})
    assert [c.operation for c in with_urls] == ["UserByScreenName", "UserTweets"]
    assert [c.operation for c in plain] == [None, None]
    assert analysis.analyze(with_urls, now=NOW) == analysis.analyze(plain, now=NOW)  # the report is unchanged
    # Beside plain bodies, and with the body as its JSON text (as a HAR holds it).
    mixed = parse(
        {"captures": [items[0]["body"], {"url": items[1]["url"], "body": body("UserTweets").decode()}]}
    )
    assert [c.operation for c in mixed] == [None, "UserTweets"]


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/i/api/graphql/eoJ5zbv51Z_KVl81v9PmLQ/UserTweets?variables=%7B%7D",
        "https://api.x.com/graphql/eoJ5zbv51Z_KVl81v9PmLQ/UserTweets",
        "https://twitter.com/i/api/graphql/eoJ5zbv51Z_KVl81v9PmLQ/UserTweets#x",
    ],
)
def test_the_operation_is_read_from_every_form_of_xs_graphql_url(url: str) -> None:
    (capture,) = parse({"url": url, "body": orjson.loads(body("UserTweets"))})
    assert capture.operation == "UserTweets"


@pytest.mark.parametrize(
    "url",
    ["https://x.com/XDevelopers", "https://notx.com/i/api/graphql/a/UserTweets", "http://[broken", ""],
)
def test_a_url_that_is_not_xs_graphql_names_no_operation(url: str) -> None:
    (capture,) = parse({"url": url, "body": orjson.loads(body("UserTweets"))})
    assert capture.operation is None and capture.posts


def test_containers_do_not_nest() -> None:
    inner = recorded_session()
    for outer in (
        {"captures": [inner]},
        {"captures": [{"url": graphql_url("UserTweets"), "body": {"captures": [1]}}]},
    ):
        with pytest.raises(InputError, match="cannot be one"):
            parse(outer)


def test_a_followers_page_says_whose_it_is_by_the_user_id_its_url_names() -> None:
    url = page_url("Followers")  # as X's page asks: variables={"userId": "2244994945", "count": 20, ...}
    from_har = parse(har(entry(url, body("Followers").decode())))
    from_item = parse({"url": url, "body": orjson.loads(body("Followers"))})
    assert {(c.operation, c.page_owner) for c in from_har + from_item} == {("Followers", OWNER)}
    assert [c.account for c in from_har] == [c.account for c in from_item]
    # The profile's own request names a screen name, not a user id: it is no one's page.
    (profile,) = parse(
        {"url": graphql_url("UserByScreenName"), "body": orjson.loads(body("UserByScreenName"))}
    )
    assert profile.page_owner is None


@pytest.mark.parametrize(
    ("variables", "owner"),
    [
        ("%7B%22userId%22%3A2244994945%7D", OWNER),  # the id as a JSON number
        ("%7B%22userId%22%3A%22%22%7D", None),
        ("%7B%22userId%22%3A%22abc%22%7D", None),
        ("%7B%22userId%22%3A%7B%7D%7D", None),
        ("%7B%22userId%22%3A%22" + "1" * 100 + "%22%7D", None),
        ("%5B1%5D", None),  # a JSON list
        ("%7B", None),  # not JSON
        ("", None),
    ],
)
def test_a_broken_user_id_names_no_one_and_stops_nothing(variables: str, owner: str | None) -> None:
    url = graphql_url("UserTweets").split("?")[0] + f"?variables={variables}"
    (capture,) = parse({"url": url, "body": orjson.loads(body("UserTweets"))})
    assert capture.operation == "UserTweets" and capture.page_owner == owner and capture.posts


def test_a_url_that_is_not_xs_graphql_names_no_page_owner() -> None:
    url = "https://example.com/i/api/graphql/a/Followers?variables=%7B%22userId%22%3A%22123%22%7D"
    captures = parse({"url": url, "body": orjson.loads(body("Followers"))})
    assert {(c.operation, c.page_owner) for c in captures} == {(None, None)}
