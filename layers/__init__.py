"""Layers: one Django model per dataset and the one registry that declares them."""
