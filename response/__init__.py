"""Incident response: standard operating procedures (SOPs) per incident category, the steps of each
incident with who does what by when, its log, and the nearest resources by road (pgRouting)."""
