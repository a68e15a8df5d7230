"""Rasters: the demo orthophoto and scanned zoning plan as COGs, served by MapProxy at /mapproxy/."""
