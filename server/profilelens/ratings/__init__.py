"""The report's ratings, one module each: volume, content_mix, follow_back, identity, verdict, audience.

Each owns its rule, thresholds, tone and wording and exposes one `section()` that analysis.build_report
lists. Every section carries `available`, `reason`, `tone` (good | warn | bad | none) and, when
available, a one-line `summary`: consumers (report page, CSV, text output, badges) render these and
never decide. Model inputs shared with training live in `inputs`; model files and their allow-list in
`models`.
"""
