"""Importers: files of every common GIS format into the layer tables, all-or-nothing per file."""
