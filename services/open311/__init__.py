"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), read side: discovery, the report categories as
services, and citizen reports as service requests, in JSON and XML, at /open311/v2/."""
