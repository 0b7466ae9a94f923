"""Many inputs at once, the one way `vet` and POST /v1/batch take: a chunk of inputs is reported with the
models scoring all its accounts as one matrix each, and each input fails alone.

A report is the one `analysis.analyze` gives for that input alone (a test checks it on real captures);
the batch only saves each model's fixed cost per call (array set-up, the vectorizers' own), which is
several times its arithmetic for one row (bench_batch: reports one by one cost 1.5x vet's).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from profilelens import analysis, collector
from profilelens.features.audience import Pages, pages_of
from profilelens.records import Capture, InputError

log = logging.getLogger(__name__)

# Inputs reported together: enough that a model's fixed cost per call is spread thin, few enough that a
# chunk's captures stay small beside the largest input.
CHUNK = 32

Reports = list[dict[str, Any]]
T = TypeVar("T")


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@collector.paused()
def analyze_each(
    inputs: Sequence[tuple[Sequence[Capture], str]],
    *,
    now: datetime,
    models: Path | None = None,
    pages: Pages | None = None,
) -> list[Reports | Exception]:
    """Each input's reports (its captures in its time zone, as `analysis.analyze` reports them), or the
    exception that stopped that input alone. `pages`: the followers and following pages of a larger
    input these are part of (`vet`'s files); None: each input's own."""
    outcomes: list[Reports | Exception] = []
    groups: list[Sequence[Capture]] = []
    zones: list[str] = []
    seen: list[Pages] = []
    owners: list[int] = []  # the input each group came from
    inputs_pages: list[Pages | None] = []
    for index, (captures, tz) in enumerate(inputs):
        try:
            analysis.time_zone(tz)
            found = analysis.group_by_account(list(captures))
            if not found:
                raise InputError(analysis.NO_ACCOUNT)
            own = pages_of(list(captures)) if pages is None else pages
        except Exception as exc:
            outcomes.append(exc)
            inputs_pages.append(None)
            continue
        inputs_pages.append(own)
        outcomes.append([])
        groups += found
        zones += [tz] * len(found)
        seen += [own] * len(found)
        owners += [index] * len(found)
    try:
        reports = analysis.build_reports(groups, now=now, tz_names=zones, models=models, pages=seen)
    except Exception:  # one input broke the chunk: report each alone, so that only that one fails
        log.debug("a batch chunk failed as a whole; reporting its inputs one by one", exc_info=True)
        return [
            outcome if isinstance(outcome, Exception) else _alone(captures, tz, now, models, pages)
            for outcome, (captures, tz) in zip(outcomes, inputs, strict=True)
        ]
    for owner, report in zip(owners, reports, strict=True):
        done = outcomes[owner]
        assert not isinstance(done, Exception)
        done.append(report)
    if pages is None:  # each input whole: say which of its pages had no profile to report on
        for outcome, whose in zip(outcomes, inputs_pages, strict=True):
            if whose is not None and not isinstance(outcome, Exception) and outcome:
                outcome[0]["data"]["notes"].extend(analysis.ownerless_pages(whose, outcome))
    return outcomes


def _alone(
    captures: Sequence[Capture], tz: str, now: datetime, models: Path | None, pages: Pages | None
) -> Reports | Exception:
    try:
        return analysis.analyze(captures, now=now, tz=tz, models=models, pages=pages)
    except Exception as exc:
        return exc
