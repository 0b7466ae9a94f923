"""The report page (one account) and the batch table (many), as self-contained HTML."""

from profilelens.reportpage.page import render_notice, render_report, render_table

__all__ = ["render_notice", "render_report", "render_table"]
