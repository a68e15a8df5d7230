SELECT e.{e.time} AS at FROM {e} e
WHERE e.{e.link} = f.{f.id} AND e.{e.time} <= %(now)s
ORDER BY e.{e.time} DESC LIMIT 1
