"""HTTP API of response (mounted at /api/response/)."""
