"""The public citizen API: a challenge, filing a report, and the public case page by tracking code."""
