"""Tile sessions run each tile's prepared statement on libpq and give what the raw SQL gives.

Tile sessions are connections of their own: they read the test database as loaded (the test's
own transaction, empty, is not theirs to see).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import psycopg
import pytest
from django.utils import timezone

from layers.models import AdminUnit
from layers.registry import registry
from spatial.access import ANONYMOUS
from spatial.config import DatabaseConfig
from spatial.errors import ServiceUnavailable
from tiles import database
from tiles.database import TileSession, _Sessions
from tiles.grid import tiles_covering
from tiles.mvt import TileFilter, tile_query
from tiles.service import tile_fields


@pytest.fixture
def url(db) -> str:
    return DatabaseConfig.of_django().as_url()


@pytest.fixture
def session(url):
    session = TileSession(url)
    yield session
    session.close()


def raw(url: str, query: str, params: list[object]) -> bytes:
    """The query with its values bound into the text, as psql would run it."""
    with psycopg.connect(url, cursor_factory=psycopg.ClientCursor) as connection:
        return bytes(connection.execute(query, params).fetchone()[0])


def test_every_kind_of_bound_value_is_typed_as_the_raw_sql_types_it(url, session):
    ward = AdminUnit.objects.filter(level="commune", valid_to__isnull=False).order_by("pk").first()
    extent = ward.geom.extent
    end = timezone.now()
    window = TileFilter(start=end - timedelta(days=30), end=end, ward_id=ward.pk)
    # text (layer names), integers (z/x/y, ward), a float (margin), time stamps, the layers' own filters
    names = ("parcels", "incidents", "wards", "detection_density", "detections", "roads")
    parts = [(registry.get(name), tile_fields(registry.get(name), ANONYMOUS, 14)) for name in names]
    for tile in list(tiles_covering(extent, 14))[:6]:
        for where in (TileFilter(), window):
            query, params = tile_query(parts, tile, where)
            assert session.fetch(query, params) == raw(url, query, params)


def test_percent_signs_and_nulls_reach_the_database_as_written(session):
    assert session.fetch("SELECT ('100%%' || %s)::bytea", ["x"]) == b"100%x"
    assert session.fetch("SELECT coalesce(%s::text, 'null')::bytea", [None]) == b"null"
    assert session.fetch("SELECT (%s::boolean)::text::bytea", [True]) == b"true"


def test_a_database_error_is_raised_and_the_session_serves_the_next_tile(session):
    with pytest.raises(psycopg.errors.DivisionByZero):
        session.fetch("SELECT (1 / %s)::text::bytea", [0])
    assert session.fetch("SELECT (1 / %s)::text::bytea", [1]) == b"1"


def test_a_connection_the_server_dropped_is_replaced_without_failing_the_request(url):
    sessions = _Sessions(url, size=2)
    try:
        backend = sessions.fetch("SELECT pg_backend_pid()::text::bytea", [])
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s::int)", [backend.decode()])
        assert sessions.fetch("SELECT pg_backend_pid()::text::bytea", []) != backend
    finally:
        sessions.close()


def test_past_the_statement_limit_a_session_deallocates_and_prepares_again(session, monkeypatch):
    monkeypatch.setattr(database, "MAX_STATEMENTS", 2)
    queries = {n: f"SELECT ({n} + %s)::text::bytea" for n in range(3)}
    for n in (0, 1, 2, 0):  # three shapes with room for two, then the first again
        assert session.fetch(queries[n], [1]) == str(n + 1).encode()
    prepared = session.connection.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]
    assert prepared <= 2


def test_a_database_that_does_not_answer_is_a_503_to_retry_not_a_server_error(url):
    nothing_listens = dataclasses.replace(DatabaseConfig.from_url(url), port=1)
    sessions = _Sessions(nothing_listens.as_url(), size=1)
    with pytest.raises(ServiceUnavailable, match="ask again"):
        sessions.fetch("SELECT ''::bytea", [])
