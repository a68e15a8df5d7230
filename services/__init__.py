"""Services: the OGC APIs (features, tiles) built on pygeoapi, and the editing API."""
