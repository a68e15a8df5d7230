"""The operator's feedback desk at /api/desk/: the queue of citizen reports beside the map wall.

`queue` reads the filters and lists the reports, `case_file` tells one report's story and what this
viewer may do next, `actions` assigns many at once, merges a duplicate and takes a hotline call.
Single transitions go through the editing API (PATCH of `status`/`unit` with If-Match and a `note`),
so the wall, the editing API and Open311 share one path and one set of permissions.
"""
