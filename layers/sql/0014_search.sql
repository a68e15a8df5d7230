-- The map's search box (web_map.search): words are compared folded, as spatial.text.fold folds them
-- (lower case, no diacritics, đ → d), through trigram indexes on the folded text.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is STABLE (it reads its dictionary by search_path); naming the dictionary and the
-- schema makes the fold IMMUTABLE, as an index expression must be. NFC first: text written in
-- decomposed Unicode (Vietnamese 'tổ hợp' input) folds like precomposed text.
CREATE OR REPLACE FUNCTION ioc_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, normalize($1, NFC))) $$;

-- the fields the layers declare as searched by words (layers.catalog, Layer.search)
CREATE INDEX IF NOT EXISTS layers_adminunit_name_search ON layers_adminunit USING gin (ioc_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_adminunit_name_en_search ON layers_adminunit USING gin (ioc_fold(name_en) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_parcel_address_search ON layers_parcel USING gin (ioc_fold(address) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_parcelowner_full_name_search ON layers_parcelowner USING gin (ioc_fold(full_name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_road_name_search ON layers_road USING gin (ioc_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_waterbody_name_search ON layers_waterbody USING gin (ioc_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_school_name_search ON layers_school USING gin (ioc_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_healthfacility_name_search ON layers_healthfacility USING gin (ioc_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_lodging_name_search ON layers_lodging USING gin (ioc_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_servicepoint_name_search ON layers_servicepoint USING gin (ioc_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_envstation_name_search ON layers_envstation USING gin (ioc_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS layers_camera_name_search ON layers_camera USING gin (ioc_fold(name) gin_trgm_ops);

-- sheet and parcel numbers ('tờ 12 thửa 345') across wards: the unique key leads with the ward
CREATE INDEX IF NOT EXISTS layers_parcel_sheet_parcel ON layers_parcel (sheet_no, parcel_no);
