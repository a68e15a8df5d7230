"""Camera AI: video in, ground-located detection events out (point events on the map)."""
