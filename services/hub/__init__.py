"""The indicator hub's API (mounted at /api/hub/): the catalogue and the figures."""
