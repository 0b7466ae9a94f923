"""The report page and the batch table: every section, hostile text kept as text, honest gaps."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiencekit import page_items, profile_item
from conftest import FIXTURES, shared_data
from profilelens import analysis, sources
from profilelens.reportpage import render_notice, render_report, render_table
from profilelens.reportpage.charts import MAX_BARS, binned
from profilelens.reportpage.table import report_row

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
SECTIONS = ("when", "daily", "mix", "follow", "identity", "verdict", "data")


class Page(HTMLParser):
    """What a browser would build: elements, their attributes, the text, inline scripts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if a.get("id")]

    def all_text(self) -> str:
        return "".join(self.text)


def fixture_report() -> dict[str, Any]:
    return json.loads((FIXTURES / "report" / "consultant.json").read_text(encoding="utf-8"))


def test_every_section_is_on_the_page_with_its_charts() -> None:
    page = Page(render_report(fixture_report()))
    ids = page.ids()
    for section in SECTIONS:
        assert section in ids
    charts = [a for t, a in page.tags if t == "svg" and "chart" in (a.get("class") or "")]
    kinds = sorted((a.get("class") or "").split()[1] for a in charts)
    assert kinds == ["chart-daily", "chart-heatmap", "chart-kinds", "chart-traits"]
    text = page.all_text()
    for title in ("Follow-back", "Posting volume", "Content mix", "Identity", "Verdict"):
        assert title.lower() in text.lower()
    assert "18\u00a0%" in text  # follow-back probability
    assert "Work hours: Mon–Fri 09:00–18:00 Europe/Paris." in text  # the report's own definition
    assert "12,873" in text and "1,490" in text  # follow metrics
    assert "20 % of posts are replies to 7 different people" in text  # a verdict reason
    assert "its name and bio read as a person's" in text  # an identity reason
    assert "2 unavailable posts skipped" in text  # data notes
    assert "40 posts over 14 days" in text  # the per-day counts add up to what the report holds
    summary = (
        "26 posts a day (recent posts), last post today; 31 % during work hours (Mon–Fri 09:00–18:00 "
        "Europe/Paris). Mostly originals (45 %"
    )
    assert summary.replace(" %", "\u00a0%") in text


def test_chart_ids_are_unique_on_the_page() -> None:
    # Four inline SVGs on one page: a shared clip-path id would make one chart clip another.
    page = Page(render_report(fixture_report()))
    ids = page.ids()
    assert len(ids) == len(set(ids))


def test_hostile_names_and_bios_stay_text() -> None:
    report = fixture_report()
    report["account"]["bio"] = '</p><script>alert("bio")</script><img src=x onerror=alert(1)>'
    report["account"]["name"] = "<svg onload=alert(2)>"
    report["account"]["location"] = '"><iframe src="javascript:alert(3)">'
    report["account"]["url"] = "javascript:alert(4)"
    report["data"]["notes"] = ["<b onclick=alert(5)>note</b>"]
    report["verdict"]["reasons"] = ["<a href='javascript:alert(6)'>x</a>"]
    report["volume"]["timezone"] = '$\\frac{"><script>alert(7)</script>'  # chart text and attributes too
    html = render_report(report)
    page = Page(html)
    assert page.count("script") == 0
    assert page.count("iframe") == 0
    assert page.count("img") == 0
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not (attrs.get("href") or "").lower().startswith("javascript:")
    text = page.all_text()
    assert '</p><script>alert("bio")</script><img src=x onerror=alert(1)>' in text
    assert "<svg onload=alert(2)>" in text
    assert "<b onclick=alert(5)>note</b>" in text
    # And nothing may run even if escaping ever failed: the page allows no script at all.
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv"))
    assert csp is not None and "default-src 'none'" in csp and "script-src" not in csp


def test_unavailable_sections_say_why_and_draw_nothing() -> None:
    report = fixture_report()
    why = "no dated posts and no lifetime post count in the input"
    report["volume"] = {"available": False, "reason": why}
    report["content_mix"] = {"available": False, "reason": "no posts in the input"}
    report["follow"] = {"available": False, "reason": "the input has no follower or following counts"}
    report["follow_back"] = {"available": False, "reason": "model not trained yet"}
    report["verdict"] = {"available": False, "reason": "not enough posts"}
    report["identity"] = {"available": False, "reason": "model not trained yet"}
    page = Page(render_report(report))
    text = page.all_text()
    assert page.count("svg") == 0
    assert "Posting volume not measured: no dated posts and no lifetime post count in the input." in text
    assert "Content mix not measured: no posts in the input." in text
    assert "Not measured: the input has no follower or following counts." in text
    assert "model not trained yet" in text
    assert "No verdict: not enough posts." in text
    assert text.count("not rated") == 5  # each of the five header cards
    assert 'class="summary"' not in render_report(report)  # nothing measured, nothing summed up


def test_sections_missing_from_the_report_are_shown_as_missing() -> None:
    report = fixture_report()
    del report["follow_back"], report["verdict"]
    del report["volume"]["daily_counts"]
    text = Page(render_report(report)).all_text()
    assert text.count("not in this report") == 3  # two cards and the verdict section
    assert "This report carries no per-day counts." in text


def test_an_account_that_never_posted_gets_no_empty_charts() -> None:
    report = fixture_report()
    report["volume"]["hour_weekday"] = [[0] * 24 for _ in range(7)]
    report["volume"]["daily_counts"] = []
    report["content_mix"]["kinds"] = {}
    page = Page(render_report(report))
    assert page.count("svg") == 0
    assert "No post times to place on the week." in page.all_text()


def test_a_report_from_a_real_capture(tmp_path: Path) -> None:
    captures = []
    for name in ("raw_user_by_login.json", "raw_user_tweets.json"):
        captures += sources.parse(json.loads(shared_data(f"x-graphql/{name}").read_bytes()))
    (report,) = analysis.analyze(captures, now=NOW, tz="Europe/Paris")
    page = Page(render_report(report))
    text = page.all_text()
    assert "@XDevelopers" in text
    assert page.count("svg") >= 3
    assert f"{report['follow']['followers']:,}" in text
    assert f"{report['data']['posts_seen']}" in text
    verdict = report.get("verdict") or {}
    if verdict.get("available"):  # the trained models' verdict, with its reasons as they were given
        assert str(verdict["label"]) in text
        assert all(str(reason) in text for reason in verdict.get("reasons", []))
    else:
        assert "No verdict" in text


def test_the_about_this_account_facts_reach_the_report_and_its_page() -> None:
    captures = []
    for name in ("raw_user_by_login.json", "raw_user_about.json"):
        captures += sources.parse(json.loads(shared_data(f"x-graphql/{name}").read_bytes()))
    (report,) = analysis.analyze(captures, now=NOW)
    about = json.loads(shared_data("x-graphql/raw_user_about.json").read_bytes())
    facts = about["data"]["user_result_by_screen_name"]["result"]["about_profile"]
    account = report["account"]
    assert account["based_in"] == facts["account_based_in"]
    assert account["username_changes"] == int(facts["username_changes"]["count"])
    changed = datetime.fromisoformat(account["username_changed_at"])
    assert changed.timestamp() * 1000 == int(facts["username_changes"]["last_changed_at_msec"])
    assert account["followers"] is not None  # the profile capture still gives the counts
    text = Page(render_report(report)).all_text()
    assert f"based in {facts['account_based_in']}" in text
    assert f"handle changed 1 time, last on {changed:%d %b %Y}" in text


def test_an_account_whose_handle_never_changed_says_so() -> None:
    report = fixture_report()
    report["account"] |= {"username_changes": 0, "based_in": None}
    text = Page(render_report(report)).all_text()
    assert "handle never changed" in text and "based in" not in text


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "sources").glob("*.json")))
def test_every_project_fixture_renders(name: str) -> None:
    payload = json.loads((FIXTURES / "sources" / name).read_bytes())
    for report in analysis.analyze(sources.parse(payload), now=NOW):
        page = Page(render_report(report))
        assert set(SECTIONS) <= set(page.ids())
        handle = report["account"].get("handle")
        if handle:
            assert f"@{handle}" in page.all_text()


def test_the_table_lists_accounts_and_failures() -> None:
    good = report_row(fixture_report(), item="claire.json")
    hostile = copy.deepcopy(fixture_report())
    hostile["account"]["handle"] = "evil"
    hostile["account"]["name"] = "<script>alert(1)</script>"
    failure = {"handle": None, "item": "broken.json", "error": "not JSON: unexpected character"}
    html = render_table([good, hostile, failure])
    page = Page(html)
    assert page.count("tr") == 3  # header and two accounts
    text = page.all_text()
    assert "@claire_conseil" in text and "<script>alert(1)</script>" in text
    assert "broken.json" in text and "not JSON: unexpected character" in text
    assert "2 accounts vetted, 1 failed" in text
    # The only script is our sorting one, allowed by its hash and nothing else.
    assert page.count("script") == 1
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv"))
    assert csp is not None and "script-src 'sha256-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1]


def test_a_notice_page_escapes_its_message() -> None:
    page = Page(render_notice("No report for @x", "X says <b>no</b>", ["set the token"]))
    assert page.count("b") == 0
    assert "X says <b>no</b>" in page.all_text()


ODD_VALUES = [None, "text <blink>", -1, 0, 1e308, float("nan"), True, [], {}, [[1, "x"]], {"a": None}]


def _paths(value: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    if isinstance(value, dict):
        for key, child in value.items():
            out.append((*prefix, key))
            if len(prefix) < 2:
                out += _paths(child, (*prefix, key))
    return out


PATHS = _paths(fixture_report())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.lists(st.tuples(st.sampled_from(PATHS), st.sampled_from(ODD_VALUES)), min_size=1, max_size=6)
)
def test_a_report_with_odd_values_still_renders(changes: list[tuple[tuple[str, ...], Any]]) -> None:
    report = fixture_report()
    for path, value in changes:
        target = report
        for key in path[:-1]:
            target = target.get(key) if isinstance(target, dict) else None
        if isinstance(target, dict):
            target[path[-1]] = copy.deepcopy(value)
    html = render_report(report)
    assert html.startswith("<!doctype html>")
    assert all(tag != "blink" for tag, _ in Page(html).tags)  # odd text stays text
    render_table([report])


def test_the_table_paints_the_tone_the_report_gives_and_rounds_for_people() -> None:
    report = fixture_report()
    report["volume"].update(band="dormant", tone="warn", days_since_last_post=406.70894447252317)
    row = report_row(report, item="capture.json")
    assert row["volume_tone"] == "warn" and row["verdict_tone"] == report["verdict"]["tone"]
    assert row["days_since_last_post"] == 406.7
    html = render_table([row])
    assert 'class="pill pill-warn">dormant</td>' in html
    assert "Volume tone" not in html  # a colour, not a column, on the page


@pytest.mark.parametrize(
    ("span_days", "bin_name"), [(10, "day"), (399, "day"), (3 * 365, "week"), (20 * 365, "month")]
)
def test_long_spans_are_drawn_per_week_or_month_in_few_bars(span_days: int, bin_name: str) -> None:
    first = date(2006, 3, 21)
    days = [(first, 2), (first + timedelta(days=span_days // 2), 1), (first + timedelta(days=span_days), 4)]
    name, _, starts, counts = binned(days)
    assert name == bin_name
    assert len(starts) <= MAX_BARS and sum(counts) == 7
    assert starts == sorted(starts) and starts[0] <= first


def audience_report() -> dict[str, Any]:
    items = [profile_item(), *page_items("Followers", "BlueVerifiedFollowers", "Following")]
    reports = analysis.analyze_bytes(orjson.dumps({"captures": items}), now=NOW)
    return next(r for r in reports if r["account"]["handle"] == "XDevelopers")


def test_the_audience_block_shows_its_figures_and_the_mass_following_line() -> None:
    report = audience_report()
    html = render_report(report)
    page = Page(html)
    text = page.all_text()
    assert "audience" in page.ids()
    charts = [a for t, a in page.tags if t == "svg" and "chart-following" in (a.get("class") or "")]
    assert len(charts) == 1 and "2,000 followed" in text
    for reason in report["audience"]["reasons"]:
        assert reason in text
    seen = report["audience"]
    assert f"mass-followers, {seen['mass_followers']['count']} of {seen['mass_followers']['of']}" in text
    assert len(card_titles(page)) == 6 and seen["summary"] in text  # the five ratings, then the audience
    row = report_row(report)
    assert row["audience_followers_seen"] == seen["followers_seen"]
    assert row["audience_organisation_share"] == seen["organisations"]["share"]


def test_a_report_without_followers_pages_says_what_to_send_and_shows_no_audience_card() -> None:
    page = Page(render_report(fixture_report()))
    assert "Not measured: no followers page of this account in the input" in page.all_text()
    assert len(card_titles(page)) == 5


def card_titles(page: Page) -> list[dict[str, str | None]]:
    return [a for t, a in page.tags if t == "p" and a.get("class") == "card-title"]


def test_a_broken_audience_section_draws_no_chart_and_no_error() -> None:
    report = audience_report()
    report["audience"]["following_counts"]["bins"] = [{"up_to": "x", "count": -1}, None]
    report["audience"]["mass_followers"] = "broken"
    page = Page(render_report(report))
    assert not [a for t, a in page.tags if t == "svg" and "chart-following" in (a.get("class") or "")]
    assert report_row(report)["mass_follower_share"] is None
