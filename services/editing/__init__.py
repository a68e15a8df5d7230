"""The editing API (OGC API – Features Part 4): validated, permissioned, versioned writes."""
