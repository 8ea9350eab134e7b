"""The read-model tables. Bump ``SCHEMA_VERSION`` when they change: the next catch-up rebuilds.

``facts`` holds every entry as amended (corrected in place); ``withdrawn_facts`` the
entries withdrawn, each with the entry number of its withdrawal, which the timeline and
the case still show and nothing else counts (``projections.amend``).
"""

from __future__ import annotations

#: 7: the search text is folded (width, kana, case); the desk's own topics.
#: 8: entries numbered and amended in place, ``withdrawn_facts`` (corrections, issue 10).
#: 9: the rule book's settings; a case's experts follow reassignments.
#: 10: a case's commitments, pending follow-ups and feedback request.
#: 11: ``quarantine``: stored events the read models could not apply, set aside (issue 10).
#: 12: a withdrawn visit takes the commitments it made along (``CommitmentMade.visit``);
#:     a reassignment hands the expert's open commitments over.
#:     indexes for ``stalled``: ``cases_open`` (the open cases' columns its rules read, so
#:     its filter reads neither the rows nor their commitments' JSON), ``contacts_ended``;
#:     for ``stats``, the JSON values it reads of a year's openings, ratings and closings
#:     (``facts_opened_topic``, ``facts_feedback_rating``, ``facts_closed_feedback``).
#: 13: ``decision_delays``: each decision paired with its application as it is written
#:     (``projections.decisions``), for ``stats``.
#: 14: the search index keeps no size of each text (``columnsize=0``): search ranks nothing,
#:     and a rebuild wrote 1.1 million rows of sizes (a fifth of the index's time).
SCHEMA_VERSION = 14

TABLES = (
    "tracking",
    "municipalities",
    "contacts",
    "experts",
    "topics",
    "rule_settings",
    "cases",
    "facts",
    "withdrawn_facts",
    "fact_experts",
    "decision_delays",
    "facts_fts",
    "quarantine",
)

DDL = """
CREATE TABLE IF NOT EXISTS tracking (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    schema_version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS quarantine (
    position INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS municipalities (
    code TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL,
    prefecture TEXT NOT NULL,
    kind TEXT NOT NULL,
    population INTEGER,
    it_staff INTEGER,
    registered_on TEXT NOT NULL,
    last_engagement_on TEXT
);
CREATE INDEX IF NOT EXISTS municipalities_name ON municipalities (name);
CREATE TABLE IF NOT EXISTS contacts (
    id INTEGER PRIMARY KEY,
    municipality TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    start_on TEXT NOT NULL,
    end_on TEXT,
    successor TEXT,
    predecessor TEXT,
    entry INTEGER NOT NULL,
    ended_by INTEGER
);
CREATE INDEX IF NOT EXISTS contacts_municipality ON contacts (municipality, start_on);
CREATE TABLE IF NOT EXISTS experts (
    expert_id TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    specialties TEXT NOT NULL,
    background TEXT,
    registered_on TEXT NOT NULL,
    retired_on TEXT
);
CREATE TABLE IF NOT EXISTS topics (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    registered_on TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rule_settings (
    position INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    municipality TEXT NOT NULL,
    topic TEXT NOT NULL,
    summary TEXT NOT NULL,
    channel TEXT NOT NULL,
    contact TEXT,
    opened_on TEXT NOT NULL,
    status TEXT NOT NULL,
    closed_on TEXT,
    resolution TEXT,
    last_activity_on TEXT NOT NULL,
    last_activity_kind TEXT NOT NULL,
    last_position INTEGER NOT NULL,
    last_visit_on TEXT,
    visits INTEGER NOT NULL,
    decisions INTEGER NOT NULL,
    application_pending_since TEXT,
    follow_up_due TEXT,
    follow_up_note TEXT,
    experts TEXT NOT NULL,
    latest_report TEXT,
    feedback_ratings TEXT NOT NULL,
    commitments TEXT NOT NULL,
    commitment_due TEXT,
    follow_ups TEXT NOT NULL,
    last_follow_up INTEGER NOT NULL,
    legacy_steps INTEGER NOT NULL,
    feedback_requested_on TEXT
);
CREATE TABLE IF NOT EXISTS facts (
    position INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    originator_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    municipality TEXT,
    case_id TEXT,
    case_number TEXT,
    text TEXT NOT NULL,
    data TEXT NOT NULL,
    corrected_by INTEGER
);
CREATE TABLE IF NOT EXISTS withdrawn_facts (
    position INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    originator_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    municipality TEXT,
    case_id TEXT,
    case_number TEXT,
    text TEXT NOT NULL,
    data TEXT NOT NULL,
    corrected_by INTEGER,
    withdrawn_by INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS withdrawn_facts_municipality ON withdrawn_facts (municipality);
CREATE INDEX IF NOT EXISTS withdrawn_facts_case ON withdrawn_facts (case_id);
CREATE TABLE IF NOT EXISTS fact_experts (
    expert_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (expert_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS decision_delays (
    position INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    days INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_delays_case ON decision_delays (case_id);
CREATE INDEX IF NOT EXISTS decision_delays_on ON decision_delays (decided_on, applied_on, days);
CREATE VIRTUAL TABLE IF NOT EXISTS facts_fts USING fts5 (
    text, content='facts', content_rowid='position', tokenize='trigram', detail='none',
    columnsize=0
);
"""

#: Indexes the projection itself reads through (a bulk rebuild builds them after the facts).
FACT_INDEXES = """
CREATE INDEX IF NOT EXISTS facts_municipality ON facts (municipality, occurred_on, position);
CREATE INDEX IF NOT EXISTS facts_case ON facts (case_id, occurred_on, position);
"""

#: Indexes only queries need: a bulk catch-up builds them once at the end, which is much
#: faster than keeping them up to date row by row (and ``_ensure_schema`` restores them if
#: a bulk catch-up was killed half-way).
QUERY_INDEXES = """
CREATE INDEX IF NOT EXISTS cases_municipality ON cases (municipality, opened_on);
CREATE INDEX IF NOT EXISTS cases_status ON cases (status, opened_on);
CREATE INDEX IF NOT EXISTS facts_kind ON facts (kind, occurred_on, municipality, case_id);
CREATE INDEX IF NOT EXISTS facts_case_kind ON facts (case_id, kind, occurred_on);
CREATE INDEX IF NOT EXISTS contacts_ended ON contacts (municipality, name, end_on, start_on);
CREATE INDEX IF NOT EXISTS cases_open ON cases (
    status, id, number, municipality, topic, summary, contact, last_activity_on,
    last_activity_kind, last_visit_on, application_pending_since, follow_up_due,
    commitment_due, experts
) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS facts_opened_topic ON facts (occurred_on, json_extract(data, '$.topic'))
    WHERE kind = 'CaseOpened';
CREATE INDEX IF NOT EXISTS facts_feedback_rating
    ON facts (occurred_on, json_extract(data, '$.rating')) WHERE kind = 'FeedbackReceived';
CREATE INDEX IF NOT EXISTS facts_closed_feedback
    ON facts (occurred_on, case_id, data ->> 'feedback_requested') WHERE kind = 'CaseClosed';
"""
#: Those a bulk catch-up drops until its end. Not the three of ``stats``' JSON values:
#: its queries name them (``INDEXED BY``), so they must exist in every committed state,
#: and being partial they cost little kept row by row.
QUERY_INDEX_NAMES = (
    "cases_municipality",
    "cases_status",
    "facts_kind",
    "facts_case_kind",
    "contacts_ended",
    "cases_open",
)
