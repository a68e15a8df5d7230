-- Buildings and line water (#21 item 4). Installed by migration layers/0017_buildings_waterways.
-- Frozen: change it in a new file loaded by a new migration.
--
-- A building's parcel, when it is not given, is the parcel under its footprint (its
-- ST_PointOnSurface, as ioc_commune_at places a shape in a commune; on a shared edge the smaller
-- id), whoever writes the row: an import, the editing API, the demo city. A building moved without
-- naming another parcel follows its footprint; one whose footprint lies on no parcel has none.
-- Only a statement that writes the footprint runs it (an import's upsert and Django's save() do), so
-- clearing the links to a deleted parcel (Django's SET_NULL writes the parcel only) leaves them cleared.
CREATE OR REPLACE FUNCTION ioc_building_parcel() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.parcel_id IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NOT (NEW.geom IS DISTINCT FROM OLD.geom AND NEW.parcel_id IS NOT DISTINCT FROM OLD.parcel_id)
     AND NEW.parcel_id IS NOT NULL THEN
    RETURN NEW;
  END IF;
  NEW.parcel_id := (SELECT p.id FROM layers_parcel p
                     WHERE ST_Intersects(p.geom, ST_PointOnSurface(NEW.geom))
                     ORDER BY p.id LIMIT 1);
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS ioc_building_parcel ON layers_building;
CREATE TRIGGER ioc_building_parcel BEFORE INSERT OR UPDATE OF geom ON layers_building
  FOR EACH ROW EXECUTE FUNCTION ioc_building_parcel();

-- the fields the layers declare as searched by words (layers.catalog, Layer.search)
CREATE INDEX IF NOT EXISTS layers_building_address_search ON layers_building USING gin (ioc_fold(address) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_building_name_search ON layers_building USING gin (ioc_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_waterway_name_search ON layers_waterway USING gin (ioc_fold(name) gin_trgm_ops);
