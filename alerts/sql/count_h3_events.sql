-- count by H3 cell, first step: the window's events and their points (alerts.conditions puts them in cells)
SELECT e.{e.id} AS id, ST_X(e.{e.geom}) AS lon, ST_Y(e.{e.geom}) AS lat
FROM {e} e
WHERE e.{e.time} > %(since)s AND e.{e.time} <= %(now)s AND {filter}
ORDER BY e.{e.id}
