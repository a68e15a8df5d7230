"""HTTP API of directives (mounted at /api/directives/)."""
