"""OGC API – Features and Tiles at /ogc: pygeoapi's API layer, configured from the layer registry."""
