-- pgRouting (Debian package postgresql-15-pgrouting) for the nearest resources by road.
CREATE EXTENSION IF NOT EXISTS pgrouting;
