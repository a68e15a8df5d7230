"""The leaders' figures: an indicator catalogue, organisation units, reported values and targets."""
