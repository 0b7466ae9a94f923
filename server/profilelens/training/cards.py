"""Model cards in Markdown, written from the metrics `make train` just measured (no number typed here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from profilelens import ratings
from profilelens.training.data import (
    CROWDFLOWER_FILE,
    GRAPH_FILES,
    GRAPHS_DIR,
    HUMANIZR_COLLECTED_AT,
    HUMANIZR_DIR,
)

Metrics = Mapping[str, Any]


def _table(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "(none)\n"
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _provenance(context: Metrics, data_keys: Sequence[str]) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in context["versions"].items())
    data = "\n".join(f"- data sha256 ({key}): `{context['data_sha256'][key]}`" for key in data_keys)
    return (
        "## Provenance\n"
        f"- built by `make train` (`python -m profilelens.training`), fixed seeds, byte-identical files from "
        f"the same code and data; libraries: {versions}\n"
        f"{data}\n"
        "- code sha256 (training/, ratings.py, features identity/engagement/text): "
        f"`{context['code_sha256']}`\n"
        "- loading: `profilelens.ratings.load_model` refuses the file unless every type skops reports as "
        "untrusted is on `ratings.ALLOWED_TYPES`\n"
    )


def identity_card(m: Metrics, context: Metrics) -> str:
    cv, ext = m["cross_validation"], m["crowdflower_brand_check"]
    return f"""# Model card: institutional identity (`models/{ratings.IDENTITY_FILE}`)

Probability that an account is run by an organisation rather than an individual, from its profile only.
Used by the verdict (as one input among post-based ones) and available for the report.

## Data
- `../shared/data/{HUMANIZR_DIR}/`: Humanizr labels (McCorriston, Jurgens, Ruths, ICWSM 2015),
  profile metadata re-collected in 2022 (Cetinkaya et al. 2022). Both csv files, deduplicated by account
  id: {m["data"]["accounts"]} accounts, {m["data"]["organisations"]} organisations,
  {m["data"]["individuals"]} individuals. No label conflicts (the loader checks).
- Account age is measured at the metadata's collection time, taken as {HUMANIZR_COLLECTED_AT.date()}
  (the exact day is not published), not today. At serving time it is measured at the report's `now`.

## Features (`profilelens.features.identity`, the function serving calls)
- Text: display name and bio (`profile_text`), character 1-4-grams hashed into 2^18 columns, TF-IDF
  weighted (sublinear), read by a logistic model.
- Numbers ({len(ratings.IDENTITY_NUMBERS)}): {", ".join(ratings.IDENTITY_NUMBERS)}.
- Left out on purpose: the handle (renaming must not change the result) and follower counts (fame must
  not decide). Profile/banner images are in the csv but not in ProfileLens' account model.
- Model: the text model's score stacked (5-fold, `StackingClassifier`) under gradient-boosted trees that
  also read the numbers (missing numbers handled natively).

## Metrics: stratified {cv["folds"]}-fold cross-validation (seed {cv["seed"]}), whole stack refitted per fold
| metric | value | bar |
|---|---|---|
| ROC-AUC | {cv["roc_auc"]} | >= {m["bar"]["roc_auc"]} |
| organisation F1 (threshold 0.5) | {cv["organisation_f1"]} | >= {m["bar"]["organisation_f1"]} |
| organisation precision | {cv["organisation_precision"]} | |
| organisation recall | {cv["organisation_recall"]} | |
| accuracy | {cv["accuracy"]} | |

Meets the bar: **{m["meets_bar"]}**. Anchors: Humanizr reports F1 95.5 with posts; a profile-metadata
classifier on these accounts (with profile images) reports 97.4 % accuracy.

Per fold:
{_table(cv["per_fold"])}
## Check on other data (never fitted on)
CrowdFlower "Twitter User Gender Classification" (`{CROWDFLOWER_FILE}`, truncated copy, 2015): brand vs
male/female rows with confidence >= 0.9, {ext["accounts"]} accounts ({ext["brands"]} brands). Only name
(the handle there), bio, lifetime posts, likes and creation date exist; no follower/following counts.
ROC-AUC {ext["roc_auc"]}, brand F1 {ext["organisation_f1"]} (precision {ext["organisation_precision"]},
recall {ext["organisation_recall"]}). "Brand" is not Humanizr's "organisation" (it includes bots and
fan pages), and fields are missing, so this measures transfer, not accuracy.

## Limits
- Labels from 2015 accounts created 2006-2012, English-dominant; newer account styles (X's "Business"
  verification, square avatars) are not in the training data and not read by the model.
- Missing fields at serving time (a DOM capture without likes or media counts) are handled by the trees
  but such profiles were rare in training: expect lower accuracy there.
- A person who runs a brand-like bio will read as an organisation; the verdict judges posts first.

{_provenance(context, ["humanizr", "crowdflower"])}"""


def follow_back_card(m: Metrics, context: Metrics) -> str:
    rotations = [
        {
            "test graph": r["test_graph"],
            "nodes": r["nodes"],
            "pairs": r["pairs"],
            "observed rate": r["observed_rate"],
            "Brier": r["brier"],
            "Brier, constant": r["brier_constant_baseline"],
            "Spearman (all nodes)": r["spearman_all_nodes"],
            "Spearman (5+ followers)": r["spearman_nodes_with_5_plus_followers"],
        }
        for r in m["cross_graph"]
    ]
    reliability = "\n".join(
        f"### tested on {r['test_graph']}\n{_table(r['reliability'])}" for r in m["cross_graph"]
    )
    data = [{"graph": k, **v} for k, v in m["data"].items()]
    curve = ", ".join(f"{k}: {v}" for k, v in m["curve"].items())
    return f"""# Model card: follow-back likelihood (`models/{ratings.FOLLOW_BACK_FILE}`)

Probability that the account follows back one more ordinary follower. "Follows you", when the page says
so, overrides the estimate (probability 1, basis stated).

## Data
`../shared/data/{GRAPHS_DIR}/` ({", ".join(GRAPH_FILES)}): anonymised directed follow edges among the
followers of three corporate careers accounts (Anwar, Saveski, Roy 2021). For each node with at least
one in-graph follower: followers, following, and followed-back = followers it follows too.
{_table(data)}
## Target and features
- Target: each (node, follower) pair is one trial, followed back or not; a node's follow-back rate is
  its share of followed-back followers. Fitted as a binomial logistic model (pairs as weights).
- Input: `{ratings.FOLLOW_BACK_INPUTS[0]}` = log(1 + followers) - log(1 + following), through a cubic
  spline (5 knots, constant beyond the training range).
- Why only the ratio: in-graph counts are counts inside a sampled network, far smaller than the global
  counts a profile shows at serving time; a model on raw counts would read every real account as a huge
  node. The ratio keeps its meaning across scales (approximately: the +1 matters for tiny counts).
- Identity is not an input: the graph nodes are anonymised, so no profile exists to learn it from.

## Metrics: fit on two graphs, test on the third (all three rotations)
{_table(rotations)}
Mean Brier {m["mean_brier"]} (constant baseline {m["mean_brier_constant_baseline"]}); mean Spearman (all
nodes) {m["mean_spearman_all_nodes"]}.

Reliability (predicted bins, pairs-weighted):
{reliability}
Fitted curve (final model, all three graphs): {curve}

## Limits
- Counts inside a sampled graph are not global counts; the ratio is assumed to transfer. Unverified on
  global counts (no such labels exist here).
- The graphs are followers of careers accounts (job seekers, employees): their follow-back habits may
  differ from those of the accounts users look at.
- Following 0 in-graph means the rate is 0 by construction; many nodes follow nobody inside the graph.

{_provenance(context, ["follow_graphs"])}"""


def verdict_card(m: Metrics, context: Metrics) -> str:
    from profilelens.training.verdict import __doc__ as method

    lfs = [{"label function": k, **v} for k, v in m["label_functions"].items()]
    coefs = [
        {"input": k, "coefficient per s.d.": v} for k, v in m["coefficients_per_standard_deviation"].items()
    ]
    held = m["held_out"]
    readings = [
        {
            "account": r["handle"],
            "posts": r["posts_seen"],
            "organisation p": r["organisation_probability"],
            "verdict": r["verdict"],
            "obligation p": r["obligation_probability"],
            "reasons": "; ".join(r["reasons"] or []),
        }
        for r in m["real_timelines"]
    ]
    cf = m["crowdflower_brand_check"]
    return f"""# Model card: obligation vs engaging verdict (`models/{ratings.VERDICT_FILE}`)

Probability that an account is an "obligation" account (one-way institutional broadcasts, relays of its
own circle, little real conversation with outsiders) rather than an engaging one, with a label:
obligation (p >= {ratings.OBLIGATION_AT}), engaging (p <= {ratings.ENGAGING_AT}), mixed in between, and "not
enough data" below {ratings.MIN_POSTS} posts unless the identity model reads the profile as an organisation
with p >= {ratings.DECISIVE_ORGANISATION} (then only an obligation verdict is given; no profile can show that
someone converses; a "not enough data" verdict carries no probability). A label also needs evidence of
its own kind (`ratings.evidenced_label`): "engaging" needs conversation or voice inputs pushing that way,
"obligation" needs profile, circle, announcement or quietness inputs pushing that way; else "mixed".
Reasons: the inputs that pushed hardest toward the label (coefficient x standardised value), in plain
words with their numbers, then how many posts were seen when fewer than {ratings.MIN_POSTS}, and whether
replies were shown.

## No labels exist for this concept: how the training signal is built
{(method or "").split(chr(10), 2)[2].strip()}

Synthetic accounts: {m["synthetic_accounts"]} (seed {m["seed"]}); text pools:
{m["text_pools"]["brand_posts"]} brand, {m["text_pools"]["person_posts"]} person and
{m["text_pools"]["announcement_posts"]} announcement posts (CrowdFlower, originals only). Weak obligation rate
{m["weak_obligation_rate"]}; accounts where every label function abstained: {m["all_abstained_share"]}.

{_table(lfs)}
## Inputs and fitted coefficients (logistic regression on standardised inputs)
{_table(coefs)}
Followers are computed (`followers_log` in `features.engagement`) but are not an input: fame must not
decide. The handle is not an input anywhere. Training stops if a coefficient takes the wrong direction.

## Metrics (held-out synthetic rows; they measure agreement with the weak labels, not truth)
| metric | value |
|---|---|
| rows | {held["rows"]} |
| Brier vs drawn weak labels | {held["brier_vs_drawn_labels"]} |
| Brier of the weak probability itself (floor) | {held["brier_of_the_weak_probability_itself"]} |
| log loss | {held["log_loss"]} |
| ROC-AUC vs drawn weak labels | {held["roc_auc_vs_drawn_labels"]} |
| mean abs gap to the weak probability | {held["mean_abs_gap_to_weak_probability"]} |

Reliability on held-out rows:
{_table(held["reliability"])}
## Proxy check on real accounts (not fitted on)
CrowdFlower brand vs person, one profile and one post each ({cf["accounts"]} accounts, {cf["brands"]}
brands): ROC-AUC of the obligation probability {cf["roc_auc_brand_vs_person"]}; mean probability
{cf["mean_probability_brands"]} for brands, {cf["mean_probability_people"]} for people. A brand is not
necessarily an obligation account, and one post is far below the verdict's minimum: a direction check only.

## Readings of the real timelines beside the project (no labels; shown for inspection)
{_table(readings)}
## Limits
- The probability is calibrated to the label functions, which encode the product's definition as
  rules; it has not been measured against human judgement. That check is still to be done on real
  accounts outside ../shared/data.
- The synthetic timelines draw their structure independently of identity; real organisations and people
  mix behaviours in ways the generator does not model.
- The voice markers and first-person words cover English and French; other languages read as "no
  personal voice" and "no announcements".
- A timeline captured without replies (X's default tab, UserTweets, or the page's main tab) cannot show
  conversation: the reply inputs are then set to their training mean, so they push neither way, and the
  reasons say replies were not shown. The verdict is weaker for it; the Replies tab fixes it.

{_provenance(context, ["humanizr", "crowdflower"])}"""


def summary(m: Metrics) -> str:
    cv = m["identity"]["cross_validation"]
    fb = m["follow_back"]
    lines = [
        f"identity: {cv['folds']}-fold CV ROC-AUC {cv['roc_auc']}, organisation F1 {cv['organisation_f1']} "
        f"(bar AUC >= 0.95, F1 >= 0.90: {'met' if m['identity']['meets_bar'] else 'NOT MET'})",
        "identity on CrowdFlower brands (never fitted): ROC-AUC "
        f"{m['identity']['crowdflower_brand_check']['roc_auc']}",
    ]
    for r in fb["cross_graph"]:
        lines.append(
            f"follow-back tested on {r['test_graph']}: Brier {r['brier']} "
            f"(constant {r['brier_constant_baseline']}), "
            f"Spearman {r['spearman_all_nodes']}"
        )
    held = m["verdict"]["held_out"]
    lines.append(
        f"verdict (weak labels, held out): Brier {held['brier_vs_drawn_labels']} "
        f"(floor {held['brier_of_the_weak_probability_itself']}), AUC {held['roc_auc_vs_drawn_labels']}; "
        "CrowdFlower brand-vs-person AUC "
        f"{m['verdict']['crowdflower_brand_check']['roc_auc_brand_vs_person']}"
    )
    for r in m["verdict"]["real_timelines"]:
        lines.append(
            f"  @{r['handle']}: {r['verdict']} (p={r['obligation_probability']}, {r['posts_seen']} posts)"
        )
    return "\n".join(lines)
