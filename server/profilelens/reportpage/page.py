"""The report page and the batch table as complete, self-contained HTML pages.

Templates and CSS are package files (templates/); Jinja2 autoescapes every value, so names, bios and
notes (attacker-controlled text) are always text, never markup. Charts come from charts.py as SVG that
we draw ourselves from numbers only.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from profilelens.reportpage import view
from profilelens.reportpage.table import COLUMNS, NUMERIC, TONE_OF, Row, display, report_row

KIND_ORDER = ("original", "retweet", "reply", "quote")


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("profilelens.reportpage", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        number=view.number,
        compact=view.compact,
        percent=view.percent,
        rate=view.rate,
        gap=view.gap,
        when=view.when,
        day=view.day,
    )
    env.globals["cell"] = display
    return env


def _package_text(name: str) -> str:
    return files("profilelens.reportpage").joinpath("templates", name).read_text("utf-8")


@cache
def _css() -> Markup:
    # Our own stylesheet, inlined so that the page stands alone (saved file, PDF).
    return Markup(_package_text("report.css"))


@cache
def _table_script() -> Markup:
    return Markup(_package_text("table.js"))


# What a page may load or run, also when opened from a file: our inline styles, and on the table page
# our one sorting script (by its hash). No other script, so a name or bio can never run as code.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def report_csp() -> str:
    return _CSP


@cache
def table_csp() -> str:
    digest = base64.b64encode(hashlib.sha256(str(_table_script()).encode()).digest()).decode()
    return f"{_CSP}; script-src 'sha256-{digest}'"


def render_report(report: Mapping[str, Any]) -> str:
    """One account's report (API.md, profilelens.report/2) as a complete HTML page."""
    # matplotlib costs ~50 MB and a second to import: only a process that draws a page pays for it.
    # What it logs (a temporary cache folder when the home is read-only, its font cache being built) is
    # for its developers, not for someone reading a report: only its errors reach stderr.
    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    from profilelens.reportpage import charts

    account = view.mapping(report.get("account"))
    data = view.mapping(report.get("data"))
    volume = view.section(report, "volume")
    mix = view.section(report, "content_mix")
    follow = view.section(report, "follow")
    verdict = view.section(report, "verdict")
    identity = view.section(report, "identity")
    audience = view.section(report, "audience")
    bins = view.following_bins(audience) if view.is_available(audience) else []
    line = view.real(view.mapping(audience.get("following_counts")).get("line"))

    timezone = str(volume.get("timezone") or "UTC")
    grid = view.hour_weekday(volume) if view.is_available(volume) else None
    days = view.daily_counts(volume) if view.is_available(volume) else []
    kinds = view.shares(mix.get("kinds"))
    traits = view.shares(mix.get("traits"))
    reasons = view.listing(verdict.get("reasons"))
    sources = view.listing(data.get("sources"))
    notes = view.listing(data.get("notes"))

    page = {
        "title": f"@{account.get('handle') or 'unknown'} — ProfileLens report",
        "css": _css(),
        "csp": report_csp(),
        "account": account,
        "profile_url": view.profile_url(account.get("handle")),
        "link": view.safe_link(account.get("url")),
        "cards": view.cards(report),
        "summary": view.summary(report),
        "volume": volume,
        "volume_ok": view.is_available(volume),
        "volume_reason": view.unavailable_reason(volume),
        "timezone": timezone,
        "heatmap": Markup(charts.heatmap_svg(grid, timezone)) if grid and any(map(any, grid)) else None,
        "daily": Markup(charts.daily_svg(days)) if days else None,
        "daily_total": sum(n for _, n in days),
        "days_spanned": (days[-1][0] - days[0][0]).days + 1 if days else 0,
        "mix": mix,
        "mix_ok": view.is_available(mix) and bool(kinds),
        "mix_reason": view.unavailable_reason(mix) if not view.is_available(mix) else "no posts to classify",
        "kinds_chart": Markup(charts.kinds_svg(kinds)) if kinds and sum(kinds.values()) > 0 else None,
        "kinds": [(k, kinds.get(k)) for k in KIND_ORDER],
        "plural": view.PLURAL,
        "traits_chart": Markup(charts.traits_svg(traits)) if traits else None,
        "appeal": view.mapping(mix.get("retweet_appeal")),
        "appeal_index": view.real(view.mapping(mix.get("retweet_appeal")).get("index")),
        "follow": follow,
        "follow_ok": view.is_available(follow),
        "follow_reason": view.unavailable_reason(follow),
        "follow_back": view.section(report, "follow_back"),
        "follows_you": view.follows_you(follow.get("follows_you", account.get("follows_you"))),
        "identity": identity,
        "identity_ok": view.is_available(identity),
        "identity_reason": view.unavailable_reason(identity),
        "identity_reasons": [str(r) for r in view.listing(identity.get("reasons"))],
        "verdict": verdict,
        "verdict_ok": view.is_available(verdict),
        "obligation": view.real(verdict.get("obligation_probability")),
        "verdict_reason": view.unavailable_reason(verdict),
        "reasons": [str(r) for r in reasons],
        "audience": audience,
        "audience_ok": view.is_available(audience),
        "audience_reason": view.unavailable_reason(audience),
        "audience_reasons": [str(r) for r in view.listing(audience.get("reasons"))],
        "audience_figures": view.audience_figures(audience) if view.is_available(audience) else [],
        "following_chart": Markup(charts.following_svg(bins, f"{view.number(line)} followed"))
        if bins and line is not None
        else None,
        "data": data,
        "sources": [str(s) for s in sources],
        "notes": [str(n) for n in notes],
        "generated_at": report.get("generated_at"),
    }
    return _env().get_template("report.html").render(page)


def render_table(rows: Iterable[Row | Mapping[str, Any]], *, title: str = "ProfileLens batch vetting") -> str:
    """Batch results as one sortable HTML table; each item is a table row (table.report_row or
    table.failure_row) or a report dict. Failures are listed with their reason below the table."""
    flat = [dict(r) if "schema" not in r else report_row(r) for r in rows]
    done = [r for r in flat if not r.get("error")]
    failed = [r for r in flat if r.get("error")]
    return (
        _env()
        .get_template("table.html")
        .render(
            title=title,
            css=_css(),
            csp=table_csp(),
            script=_table_script(),
            # The name goes under the handle; the input and error columns belong to the failures list;
            # the tones colour the cells they name.
            columns=[c for c in COLUMNS if c[0] not in ("name", "item", "error", *TONE_OF.values())],
            numeric=NUMERIC,
            tone_of=TONE_OF,
            rows=done,
            failed=failed,
        )
    )


def render_notice(
    title: str, message: str, hints: Iterable[str] = (), *, retry_after: int | None = None
) -> str:
    """A page saying why there is no report, and what to do about it; with `retry_after` (seconds, as
    after X's rate limit) it reloads itself then."""
    return (
        _env()
        .get_template("notice.html")
        .render(
            title=title,
            message=message,
            hints=list(hints),
            retry_after=retry_after,
            css=_css(),
            csp=report_csp(),
        )
    )
