-- The functions the registry's triggers and the services call (installed by migration
-- layers/0008_sql_functions). Frozen: change a function in a new file loaded by a new migration.
--
-- ioc_row_payload, ioc_bump_version: the version/updated_at of every versioned layer row (ETags);
-- ioc_compute_area: area_m2 on the ellipsoid; ioc_tile_boxes, ioc_notify_tiles, ioc_tiles_*: one
-- NOTIFY ioc_tiles per edit statement; ioc_nth_key: deep offset pages; ioc_actor: who edits.
-- The triggers calling them are derived from the layer registry (layers.db_hooks).

CREATE OR REPLACE FUNCTION ioc_row_payload(r jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$ SELECT r - 'version' - 'updated_at' $$;

CREATE OR REPLACE FUNCTION ioc_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version;
  NEW.updated_at := OLD.updated_at;
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION ioc_compute_area() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.area_m2 := round(ST_Area(NEW.geom::geography)::numeric, 2);
  RETURN NEW;
END $$;

-- Tile invalidation: one NOTIFY per edit statement with the boxes of the rows it touched
-- (old and new shapes); many rows are summarised by their extent. Listeners: tiles.invalidation.
CREATE OR REPLACE FUNCTION ioc_tile_boxes(geoms geometry[]) RETURNS json LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN cardinality(geoms) <= 60
    THEN (SELECT json_agg(json_build_array(ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g)))
          FROM unnest(geoms) g WHERE g IS NOT NULL)
    ELSE (SELECT json_build_array(json_build_array(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)))
          FROM (SELECT ST_Extent(g) e FROM unnest(geoms) g) s)
  END
$$;

CREATE OR REPLACE FUNCTION ioc_notify_tiles(tbl text, geoms geometry[]) RETURNS void LANGUAGE sql AS $$
  SELECT pg_notify('ioc_tiles', json_build_object('table', tbl, 'boxes', ioc_tile_boxes(geoms))::text)
  WHERE cardinality(geoms) > 0
$$;

CREATE OR REPLACE FUNCTION ioc_tiles_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ioc_notify_tiles(TG_TABLE_NAME, (SELECT array_agg(geom) FROM ioc_new));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ioc_tiles_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ioc_notify_tiles(TG_TABLE_NAME, (SELECT array_agg(geom) FROM ioc_old));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ioc_tiles_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ioc_notify_tiles(TG_TABLE_NAME, (SELECT array_agg(g) FROM (
    SELECT geom g FROM ioc_old UNION ALL SELECT geom FROM ioc_new) s));
  RETURN NULL;
END $$;

-- The n-th value (from 0) of `key` in ascending order: what
-- SELECT key FROM tbl ORDER BY key OFFSET n LIMIT 1 answers, for deep offset pages. On a partitioned
-- table whose partitions hold disjoint key ranges (detections: ids grow with time, one partition per
-- month) whole partitions before the n-th row are counted instead of merged in key order (a count
-- costs about half as much per row), and the offset is taken inside the one partition that holds it.
-- Overlapping ranges, sub-partitions or a plain table: the plain statement. STABLE: every statement
-- here sees the caller's snapshot, so the counts and the offset agree.
CREATE OR REPLACE FUNCTION ioc_nth_key(tbl regclass, key text, n bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  bounds text;
  leaves boolean;
  parts regclass[];
  estimates float8[];
  previous_high bigint;
  part record;
  rows_in bigint;
  found bigint;
BEGIN
  SELECT string_agg(format('SELECT %L::regclass AS rel, %s::float8 AS estimate, '
                           '(SELECT min(%I) FROM %1$s) AS low, (SELECT max(%3$I) FROM %1$s) AS high',
                           c.oid::regclass, c.reltuples, key), ' UNION ALL '),
         bool_and(c.relkind = 'r')
    INTO bounds, leaves
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = tbl;
  IF leaves THEN
    parts := '{}';
    FOR part IN EXECUTE 'SELECT * FROM (' || bounds || ') b WHERE low IS NOT NULL ORDER BY low' LOOP
      IF part.low <= previous_high THEN
        parts := NULL;
        EXIT;
      END IF;
      parts := parts || part.rel;
      estimates := estimates || part.estimate;
      previous_high := part.high;
    END LOOP;
  END IF;
  IF parts IS NULL THEN
    EXECUTE format('SELECT %I FROM %s ORDER BY 1 OFFSET $1 LIMIT 1', key, tbl) INTO found USING n;
    RETURN found;
  END IF;
  FOR i IN 1 .. cardinality(parts) LOOP
    IF estimates[i] <= n THEN  -- likely before the n-th row: count it first
      EXECUTE format('SELECT count(*) FROM %s', parts[i]) INTO rows_in;
      IF n >= rows_in THEN
        n := n - rows_in;
        CONTINUE;
      END IF;
    END IF;
    EXECUTE format('SELECT %I FROM %s ORDER BY 1 OFFSET $1 LIMIT 1', key, parts[i]) INTO found USING n;
    IF found IS NOT NULL THEN
      RETURN found;
    END IF;
    EXECUTE format('SELECT count(*) FROM %s', parts[i]) INTO rows_in;  -- fewer rows than estimated
    n := n - rows_in;
  END LOOP;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ioc_actor() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('ioc.actor', true), ''), 'db:' || session_user)
$$;
