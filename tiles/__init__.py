"""Tiles: vector tiles from PostGIS (ST_AsMVT) with a cache that edits invalidate, and rasters."""
