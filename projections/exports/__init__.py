"""Tables for Excel: ``banso export-csv`` writes one as CSV, ``banso export-xlsx`` all of them
as the sheets of one workbook.

A table is its columns and its rows. A column knows its key (the English heading, the same
name scripts read since the first CSV), its Japanese heading (``sheet.col.KEY``) and what its
cells hold (text, a date, a whole number, a number), so the CSV can write a date as
``2025-04-01`` and the workbook as a real date cell from the same rows. Values arrive in the
reader's language: a status as 対応中, a yes/no as はい/いいえ, a topic with its name.

The tables, in the order the workbook shows them, are ``TABLES``; each builder is a function
of the read models and the ``Options``.
"""

from __future__ import annotations

import sqlite3

from projections.exports import figures, records
from projections.exports.table import Builder, Column, Options, Table

__all__ = ["TABLES", "Column", "Options", "Table", "build"]

#: Every table, in the workbook's order.
TABLES: dict[str, Builder] = {
    "cases": records.cases,
    "visits": records.visits,
    "commitments": records.commitments,
    "follow-ups": records.follow_ups,
    "feedback": records.feedback,
    "outreach": records.outreach,
    "municipalities": records.municipalities,
    "contacts": records.contacts,
    "figures": figures.summary,
    "figures-month": figures.by_month,
    "figures-topic": figures.by_topic,
    "figures-channel": figures.by_channel,
    "figures-size": figures.by_size,
    "figures-expert": figures.by_expert,
}


def build(conn: sqlite3.Connection, name: str, options: Options) -> Table:
    """The table ``name`` as ``options`` ask for it."""
    found = TABLES[name](conn, options)
    found = found if options.include_personal else found.without_personal()
    return found if options.with_ids else found.without_ids()
