"""HTTP API of alerts (mounted at /api/alerts/)."""
