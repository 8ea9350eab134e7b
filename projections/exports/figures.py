"""The fiscal year's figures as a ministry report asks for them: the year's totals, and the
same counts by month, by topic, by channel, by size of municipality and by expert.

Every count is of facts dated in the fiscal year (April to March, by business date), as
``banso stats`` counts them; the totals sheet is ``stats`` itself.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from events.case import CHANNELS
from projections.exports.table import Column, Options, Table
from projections.queries.stats import FIGURES, stats
from projections.queries.topics import list_topics
from tracker.domain.fiscal import fiscal_year_bounds
from tracker.domain.topics import topic_label
from tracker.language import say

#: What each breakdown counts, by column key, and the kind of fact it counts.
CASE_COUNTS = {
    "consultations": "CaseOpened",
    "applications": "DispatchApplied",
    "dispatches": "DispatchDecided",
    "visits": "VisitReported",
    "follow_ups_done": "FollowUpDone",
}
COUNTS = {**CASE_COUNTS, "outreach": "OutreachRecorded"}
#: Population bands (upper bounds, exclusive), as the programme sizes its municipalities:
#: under 10,000 usually one person does all of IT; 50,000-100,000 have three to five.
BANDS: tuple[tuple[int | None, str], ...] = (
    (10_000, "under_10k"),
    (50_000, "under_50k"),
    (100_000, "under_100k"),
    (300_000, "under_300k"),
    (None, "over_300k"),
)


def _year(options: Options) -> tuple[str, str]:
    first, last = fiscal_year_bounds(options.year)
    return first.isoformat(), last.isoformat()


def summary(conn: sqlite3.Connection, options: Options) -> Table:
    """The year's figures (``banso stats``), one per row."""
    figures = stats(conn, options.year)
    lang = options.lang
    found: list[tuple[Any, ...]] = [(say("sheet.col.fiscal_year", lang), options.year)]
    found += [(say(f"cli.stats.figures.{key}", lang), figures[key]) for key in FIGURES]
    found.append((say("sheet.feedback_count", lang), figures["feedback"]["count"]))
    found.append((say("sheet.feedback_mean", lang), figures["feedback"]["mean_rating"]))
    return Table("figures", (Column("figure"), Column("value", "number")), found)


def _counted(conn: sqlite3.Connection, options: Options, by: str) -> Counter[tuple[str, Any]]:
    """The year's facts counted by (column key, ``by``): a month, a case's topic or channel,
    a municipality's code. One pass over the year's range of the kind index."""
    start, end = _year(options)
    kinds = {kind: key for key, kind in COUNTS.items()}
    group = {
        "month": "substr(f.occurred_on, 1, 7)",
        "topic": "c.topic",
        "channel": "c.channel",
        "municipality": "f.municipality",
    }[by]
    marks = ",".join("?" * len(kinds))
    found = conn.execute(
        f"SELECT f.kind, {group}, COUNT(*) FROM facts f LEFT JOIN cases c ON c.id = f.case_id"
        f" WHERE f.kind IN ({marks}) AND f.occurred_on BETWEEN ? AND ?"
        f" GROUP BY f.kind, {group}",
        (*kinds, start, end),
    )
    return Counter({(kinds[kind], value): n for kind, value, n in found})


def _with_total(
    rows: list[tuple[Any, ...]], lang: str, first_columns: int = 1
) -> list[tuple[Any, ...]]:
    """The rows and a last row of their column sums."""
    if not rows:
        return rows
    sums = [sum(r[i] or 0 for r in rows) for i in range(first_columns, len(rows[0]))]
    blank = (None,) * (first_columns - 1)
    return [*rows, (say("sheet.total", lang), *blank, *sums)]


def _counts(keys: Iterable[str]) -> tuple[Column, ...]:
    return tuple(Column(key, "int") for key in keys)


def by_month(conn: sqlite3.Connection, options: Options) -> Table:
    """The year's counts month by month, April first."""
    counted = _counted(conn, options, "month")
    months = []
    for i in range(12):
        y, m = divmod(3 + i, 12)
        months.append(f"{options.year + y}-{m + 1:02d}")
    found = [(month, *(counted[key, month] for key in COUNTS)) for month in months]
    return Table(
        "figures-month",
        (Column("month"), *_counts(COUNTS)),
        _with_total(found, options.lang),
    )


def by_topic(conn: sqlite3.Connection, options: Options) -> Table:
    """The year's case counts by the topic of the case, most consulted first."""
    counted = _counted(conn, options, "topic")
    topics = sorted(
        {topic for _, topic in counted if topic is not None},
        key=lambda t: (-counted["consultations", t], t),
    )
    known = {t["code"]: t for t in list_topics(conn)}
    found = [
        (topic_label(t, options.lang, known.get(t)), *(counted[key, t] for key in CASE_COUNTS))
        for t in topics
    ]
    return Table(
        "figures-topic",
        (Column("topic"), *_counts(CASE_COUNTS)),
        _with_total(found, options.lang),
    )


def by_channel(conn: sqlite3.Connection, options: Options) -> Table:
    """The year's case counts by how the consultation came in, every channel listed."""
    counted = _counted(conn, options, "channel")
    found = [
        (say(f"channel.{c}", options.lang), *(counted[key, c] for key in CASE_COUNTS))
        for c in CHANNELS
    ]
    return Table(
        "figures-channel",
        (Column("channel"), *_counts(CASE_COUNTS)),
        _with_total(found, options.lang),
    )


def band(population: int | None) -> str:
    """The size band of a population (``unknown`` when none is recorded)."""
    if population is None:
        return "unknown"
    return next(name for bound, name in BANDS if bound is None or population < bound)


def by_size(conn: sqlite3.Connection, options: Options) -> Table:
    """The year's counts by size of municipality: how many there are in each band, how many
    the desk reached, and what it did there."""
    counted = _counted(conn, options, "municipality")
    bands = {
        code: band(p) for code, p in conn.execute("SELECT code, population FROM municipalities")
    }
    registered = Counter(bands.values())
    engaged = {code for (_, code) in counted if code in bands}
    sums: Counter[tuple[str, str]] = Counter()
    for (key, code), n in counted.items():
        sums[key, bands.get(code, "unknown")] += n
    names = [name for _, name in BANDS] + ["unknown"]
    found = [
        (
            say(f"sheet.band.{name}", options.lang),
            registered[name],
            sum(1 for code in engaged if bands[code] == name),
            *(sums[key, name] for key in COUNTS),
        )
        for name in names
        if registered[name] or name != "unknown"
    ]
    return Table(
        "figures-size",
        (
            Column("size_band"),
            Column("municipalities_total", "int"),
            Column("municipalities_engaged", "int"),
            *_counts(COUNTS),
        ),
        _with_total(found, options.lang),
    )


def by_expert(conn: sqlite3.Connection, options: Options) -> Table:
    """Each expert's year: dispatches decided and visits naming them, and the cases and
    municipalities those were for."""
    start, end = _year(options)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    cases: dict[str, set[str]] = defaultdict(set)
    munis: dict[str, set[str]] = defaultdict(set)
    found = conn.execute(
        "SELECT fe.expert_id, f.kind, f.case_id, f.municipality FROM fact_experts fe"
        " JOIN facts f ON f.position = fe.position"
        " WHERE f.kind IN ('DispatchDecided', 'VisitReported') AND f.occurred_on BETWEEN ? AND ?",
        (start, end),
    )
    for expert, kind, case, muni in found:
        counts[expert][kind] += 1
        cases[expert].add(case)
        munis[expert].add(muni)
    experts = conn.execute("SELECT expert_id, name FROM experts ORDER BY expert_id").fetchall()
    return Table(
        "figures-expert",
        (
            Column("expert"),
            Column("name", words="person"),
            Column("dispatches", "int"),
            Column("visits", "int"),
            Column("cases", "int"),
            Column("municipalities", "int"),
        ),
        [
            (
                e,
                name,
                counts[e]["DispatchDecided"],
                counts[e]["VisitReported"],
                len(cases[e]),
                len(munis[e]),
            )
            for e, name in experts
        ],
    )
