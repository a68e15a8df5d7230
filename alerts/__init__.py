"""Alerts: declared rules evaluated on the job queue over any registry layer, the alerts they raise
(deduplicated, cleared, cooled down), CAP 1.2 documents and feed, and who is told."""
