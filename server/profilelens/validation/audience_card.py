"""models/audience.md, written from the figures validation/audience.py just measured (no number typed
here but the rules the report states)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from profilelens.ratings import audience
from profilelens.training.data import GRAPH_FILES, GRAPHS_DIR

Figures = Mapping[str, Any]
MASS_COLUMNS = (
    "graph",
    "accounts",
    "mass_share_page",
    "mass_share_all",
    "mass_abs_error",
    "mass_interval_holds_all",
    "effective_range_holds_all",
)
SCALED_COLUMNS = (
    "graph",
    "past_200_share_page",
    "past_200_share_all",
    "past_200_abs_error",
    "past_200_interval_holds_all",
)
HARVEST_COLUMNS = (
    "graph",
    "ratio_below_1_accounts",
    "ratio_below_1_follow_back",
    "ratio_1_or_more_accounts",
    "ratio_1_or_more_follow_back",
)
COHORT_COLUMNS = (
    "graph",
    "tied_share_seen",
    "tied_share_page",
    "tied_abs_error",
    "tied_interval_holds_page",
    "pair_density_seen",
    "pair_density_page",
    "pair_density_abs_error",
    "group_found_from_seen",
    "group_jaccard",
)
FOLLOW_BACK_COLUMNS = (
    "test_graph",
    "followers_seen",
    "accounts",
    "strength_chosen_on_the_others",
    "brier_before",
    "brier_after",
    "brier_seen_rate_alone",
)


def _table(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> str:
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def card(m: Figures) -> str:
    s = m["settings"]
    fb = m["follow_back"]
    strength = fb["strength"]
    served = m["served_strength"]
    agreement = (
        f"`ratings/follow_back.PRIOR_STRENGTH` = {served:g}: the same."
        if served == strength
        else f"`ratings/follow_back.PRIOR_STRENGTH` = {served:g} DIFFERS from {strength:g}: set it and rerun."
    )
    graphs = ", ".join(GRAPH_FILES)
    none = ", ".join(r["graph"] for r in m["audience"] if not r["mass_share_all"]) or "no graph"
    ratios = [r["ratio_below_1_follow_back"] / r["ratio_1_or_more_follow_back"] for r in m["harvest_ratio"]]
    times = f"{min(ratios):.1f} to {max(ratios):.1f}"
    densities = [r["pair_density_page"] for r in m["audience"]]
    density = f"{min(densities):.2f} to {max(densities):.2f}"
    return f"""# Audience: the figures checked on real follow graphs (`models/audience.json`)

The report's `audience` section (ratings/audience.py) reads the followers and following pages an input
holds: followers seen and their share of all; mass-followers ({audience.MASS_RULE}) and harvesters
({audience.HARVEST_RULE}); the effective audience ({audience.EFFECTIVE_RULE}); organisations (the
identity model's profile part, models/identity.md); the account's cohort (followers created within
{audience.COHORT_DAYS} days of it; followers that follow one another, and the densest group of them);
and, when its followers and its following were both seen, the follow-backs among the followers seen,
which update the follow-back rating. Every figure gives the accounts it rests on (`count` of `of`, with
a 95 % Wilson interval); a figure about all followers is an estimate, labelled as one.

## Data
`../shared/data/{GRAPHS_DIR}/` ({graphs}): anonymised directed follow edges among the followers of three
corporate careers accounts (Anwar, Saveski, Roy 2021). No names, no dates, no counts but the graph's own.

## How it is checked
What a person sees is played through the report's own code, and the figure set beside what the whole
graph says. For every account with {s["min_followers"]} in-graph followers or more: a random page of
{s["page"]} of its followers (all of them when fewer); the own followers and following pages of a
random {round(s["checked_share"] * 100)} % of that page; in-graph counts as the accounts' counts. Seed
{s["seed"]}; `make validate` (`python -m profilelens.validation.audience`) rewrites this card.

### Mass-followers and the effective audience
The share of the page following more than {s["mass_following"]:,} accounts, against the share among all
the account's followers; how often the page's 95 % interval holds the share among all; how often the
effective audience's estimated range for all followers holds the true number.
{_table(m["audience"], MASS_COLUMNS)}
In-graph counts are the follows inside a sample of the network, so they can only be lower than the real
ones: a follower past the line in the graph is past it on X. But few are past it ({none} has none), so
the intervals hold easily; the same check at 200 follows inside the graph, where a third of a page is
past the line, tests them on shares that are not near zero:
{_table(m["audience"], SCALED_COLUMNS)}
### Harvesters: what the graphs say of the followers-to-following ratio
The follow-back rate (followers followed back, over all followers) of accounts followed by fewer
accounts than they follow, against the others:
{_table(m["harvest_ratio"], HARVEST_COLUMNS)}
Accounts that follow more than follow them follow back {times} times as often as the others: they follow
to be followed back, the ratio the report marks harvesters by (past the {s["mass_following"]:,} line).

### Cohort: followers that follow one another
From the ties the seen pages show: the share of the followers whose pages were seen that are tied to
another follower seen, and the share of pairs that could be told that are tied (`pair_density`),
against the same figures with every edge of the page known; the densest group found from the ties seen
against the one every edge gives (Jaccard overlap of their members).
{_table(m["audience"], COHORT_COLUMNS)}
Nearly every follower is tied to another (`tied_share_all_followers`:
{", ".join(str(r["tied_share_all_followers"]) for r in m["audience"])} over all of an account's
followers): in a community that alone tells no cohort, so the tone reads the share of pairs, which
these graphs — each a company's own people — put at {density}. Creation dates are not in the graphs:
"created within {audience.COHORT_DAYS} days" is checked on real captures only
(tests/ratings/test_audience.py).

### The follow-back rating, updated on the follow-backs seen
When the input shows the account's followers and its whole following list (at least
{round(audience.FOLLOWING_SEEN_WHOLE * 100)} % of its following count: X leaves out accounts it still
counts), each follower seen is known to be followed back or not. The model's estimate p
(models/follow_back.md) is then a Beta prior worth κ followers, Beta(κ·p, κ·(1 − p)), and the k
followed back among the n followers seen are the evidence: the rating becomes the posterior mean
(κ·p + k) / (κ + n) (`ratings/follow_back.updated`), its basis saying so. With the following list seen in
part, a follower missing from it may still be followed: the count is a floor, shown as one, and the
rating keeps the model's estimate. The model file is unchanged: nothing is retrained.

Checked on held-out nodes: the model fitted on two graphs; on the third, half of each account's
followers (at random, {s["splits"]} times) are seen and the other half hidden; Brier score over the hidden
followers with the model's estimate (before), the update (after), and the seen half's rate alone. κ is
chosen among {", ".join(f"{x:g}" for x in s["strengths"])} on the two training graphs, each scored with a
model fitted on the other.
{_table(fb["cross_graph"], FOLLOW_BACK_COLUMNS)}
κ chosen over all three graphs, each scored with the model fitted on the other two: **{strength:g}**.
{agreement}

## Limits
- The graphs are the followers of careers accounts: a company's employees and job seekers, each graph
  one large cohort. They check that the figures read from a page hold for the whole; they cannot check
  where a cohort's tone starts (no audience is labelled): those lines are the seeds' picture.
- A page here is a random sample of the followers; X lists them in its own order, which nothing here
  measures. The report says so beside each estimate of all followers.
- The follow-back check assumes the whole following list seen, as the report requires for the update.
- Organisations among the followers are the identity model's reading of name and bio (models/identity.md);
  past {audience.MAX_IDENTITY_READS} followers with a name or bio it reads a random sample of that many,
  and says so.

## Provenance
- data sha256 (follow_graphs): `{m["data_sha256"]}`
- code: ratings/audience.py, ratings/follow_back.py, features/audience.py, validation/audience.py; the
  follow-back model is refitted here from training/follow_back.py's `fit`, the served file untouched
"""
