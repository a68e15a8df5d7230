SELECT o.{o.observed_at} AS at FROM {o} o
WHERE o.{o.layer} = %(layer)s AND o.{o.metric} = %(metric)s AND o.{o.feature_id} = f.{f.id}
  AND o.{o.observed_at} <= %(now)s
ORDER BY o.{o.observed_at} DESC LIMIT 1
