"""eventsourcing's own recorder contract tests (``eventsourcing.tests.persistence``, shipped
in its wheel) run against banso's guarded, chained recorders, as the library's own suite
subclasses them for its recorders: the guards and the chain change nothing the library
relies on (ids, conflicts as IntegrityError, atomic batches, concurrent writers), and the
chain those tests leave behind verifies."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

import pytest
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteDatastore
from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    tmpfile_uris,
)

from tracker.application.audit import audit
from tracker.application.eventsourcing_compat import (
    ChainedPOPORecorder,
    ChainedSQLiteRecorder,
    chained,
    postgres_recorder_class,
)

POSTGRES_URL = os.environ.get("BANSO_TEST_POSTGRES_URL")


def assert_chain_verifies(recorder: ApplicationRecorder) -> None:
    log = chained(recorder)
    with log.audit_scan() as (rows, links):
        found = audit(rows, links, event_at=log.event_at)
    assert found.findings == []
    assert found.events == found.chained == (recorder.max_notification_id() or 0)


class ChainVerifiesAfterEachTest:
    """After each contract test, the chain of every recorder it made still verifies."""

    made: list[ApplicationRecorder]

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.made = []

    def keep(self, recorder: Any) -> Any:
        self.made.append(recorder)
        return recorder

    def tearDown(self) -> None:
        for recorder in self.made:
            assert_chain_verifies(recorder)
        super().tearDown()  # type: ignore[misc]


class TestGuardedSQLiteRecorder(ChainVerifiesAfterEachTest, ApplicationRecorderTestCase):
    """In memory and in a file; ten threads writing at once, into a file and into a shared
    in-memory database."""

    db_uri = ":memory:"

    def create_recorder(self) -> ChainedSQLiteRecorder:
        recorder = ChainedSQLiteRecorder(SQLiteDatastore(db_name=self.db_uri, pool_size=100))
        recorder.create_table()
        return self.keep(recorder)

    def test_insert_select_in_a_file(self) -> None:
        self.db_uri = next(tmpfile_uris())
        super().test_insert_select()

    def test_concurrent_no_conflicts(self, initial_position: int = 0) -> None:
        self.db_uri = next(tmpfile_uris())
        super().test_concurrent_no_conflicts()

    def test_concurrent_no_conflicts_in_memory_db(self) -> None:
        self.db_uri = "file::memory:?cache=shared"
        super().test_concurrent_no_conflicts()

    def test_concurrent_throughput(self) -> None:
        self.db_uri = next(tmpfile_uris())
        super().test_concurrent_throughput()


class TestSnapshotsBesideTheGuardedLog(AggregateRecorderTestCase):
    """The library's snapshot recorder (its own table, in the same file) is untouched by the
    log's guards: snapshots are still written and read back."""

    def create_recorder(self) -> SQLiteAggregateRecorder:
        datastore = SQLiteDatastore(db_name=next(tmpfile_uris()))
        ChainedSQLiteRecorder(datastore).create_table()  # the guarded log, in the same file
        snapshots = SQLiteAggregateRecorder(datastore, events_table_name="stored_snapshots")
        snapshots.create_table()
        return snapshots


class TestChainedInMemoryRecorder(ChainVerifiesAfterEachTest, ApplicationRecorderTestCase):
    def create_recorder(self) -> ChainedPOPORecorder:
        return self.keep(ChainedPOPORecorder())


@contextmanager
def postgres_database() -> Iterator[dict[str, Any]]:
    """A database of its own on the test server: the datastore's connection arguments."""
    import psycopg

    assert POSTGRES_URL
    name = f"banso_contract_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlparse(POSTGRES_URL)
    try:
        yield {
            "dbname": name,
            "host": url.hostname or "localhost",
            "port": url.port or 5432,
            "user": url.username or "",
            "password": url.password or "",
        }
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="run under scripts/with-postgres")
class TestGuardedPostgresRecorder(ChainVerifiesAfterEachTest, ApplicationRecorderTestCase):
    def setUp(self) -> None:
        super().setUp()
        self._database = postgres_database()
        self.connection = self._database.__enter__()
        from eventsourcing.postgres import PostgresDatastore

        self.datastore = PostgresDatastore(**self.connection, pool_size=20, max_overflow=20)

    def tearDown(self) -> None:
        try:
            super().tearDown()
        finally:
            self.datastore.close()
            self._database.__exit__(None, None, None)

    def create_recorder(self) -> ApplicationRecorder:
        recorder = postgres_recorder_class()(self.datastore, events_table_name="banso_events")
        recorder.create_table()
        return self.keep(recorder)
