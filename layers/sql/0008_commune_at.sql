-- Which commune contains this place on this day: the one definition, asked by every caller (the
-- camera AI for detections and incidents, the importer and editing for a ward left blank; Python
-- reaches it through layers.communes). Installed by migration layers/0008_sql_functions. Frozen:
-- change it in a new file loaded by a new migration.
--
-- The commune-level administrative unit in force on `day` (valid_from <= day < valid_to; no
-- valid_to: still in force) that covers the place: a point with its border included, any other
-- shape by its ST_PointOnSurface (so a parcel on a border belongs to one commune, as the map's
-- figures count it). On the border of two communes: the smaller id. Outside every commune: NULL.
-- `place` is in EPSG:4326, like every layer. Example: the inner point of the old Đồng Tâm ward
-- answers Đồng Tâm on 2025-06-30 and the new Yên Bái ward on 2025-07-01.
CREATE OR REPLACE FUNCTION ioc_commune_at(place geometry, day date) RETURNS bigint
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
  SELECT u.id
    FROM layers_adminunit u
   WHERE u.level = 'commune'
     AND u.valid_from <= day AND (u.valid_to IS NULL OR u.valid_to > day)
     AND ST_Intersects(u.geom, ST_PointOnSurface(place))
   ORDER BY u.id
   LIMIT 1
$$;
