-- The figures of one unit at each period: the unit's own figure where it has one, else those of the units it
-- stands for on the period's last day (its children in force, the agencies placed under it, and, before it
-- existed, its predecessors with their shares), recursively; per period the sums the aggregations need.
-- With down false: predecessors only (a plan is a unit's own, or its predecessors'). Several units at once:
-- each root (its position in %(areas)s / %(agencies)s, one of the two null) is walked on its own.
WITH RECURSIVE periods AS (
    SELECT p.start, p.day FROM unnest(%(starts)s::date[], %(days)s::date[]) AS p(start, day)
), roots AS (
    SELECT r.n::int AS root, r.area, r.agency
    FROM unnest(%(areas)s::bigint[], %(agencies)s::bigint[]) WITH ORDINALITY AS r(area, agency, n)
), walk AS (
    SELECT r.root, p.start, p.day, r.area, r.agency, 1.0::float8 AS share, 0 AS depth
    FROM periods p CROSS JOIN roots r
  UNION ALL
    SELECT w.root, w.start, w.day, e.area, e.agency, w.share * e.share, w.depth + 1
    FROM walk w CROSS JOIN LATERAL (
        SELECT c.{u.id} AS area, NULL::bigint AS agency, 1.0::float8 AS share
        FROM {u} c
        WHERE %(down)s AND c.{u.parent} = w.area AND c.{u.valid_from} <= w.day
          AND (c.{u.valid_to} IS NULL OR c.{u.valid_to} > w.day)
      UNION ALL
        SELECT NULL::bigint, g.{g.agency}, 1.0::float8
        FROM {g} g
        WHERE %(down)s AND g.{g.parent} = w.area AND g.{g.valid_from} <= w.day
          AND (g.{g.valid_to} IS NULL OR g.{g.valid_to} > w.day)
      UNION ALL
        SELECT s.{s.predecessor}, NULL::bigint, s.{s.share}
        FROM {s} s JOIN {u} me ON me.{u.id} = s.{s.successor}
        WHERE s.{s.successor} = w.area AND me.{u.valid_from} > w.day
    ) e
    WHERE w.area IS NOT NULL AND w.depth < %(depth)s
      AND NOT EXISTS (
        SELECT 1 FROM {f} own
        WHERE own.{f.indicator} = %(indicator)s AND own.{f.area} = w.area AND own.{f.period_kind} = %(kind)s
          AND own.{f.period_start} = w.start AND {own_counted})
), found AS (  -- areas and agencies apart: each join then uses the unique index (indicator, area, agency, …)
    SELECT w.root, w.start, w.share, v.{f.value} AS value, wt.{f.value} AS weight
    FROM walk w
    JOIN {f} v ON v.{f.indicator} = %(indicator)s AND v.{f.area} = w.area AND v.{f.agency} IS NULL
        AND v.{f.period_kind} = %(kind)s AND v.{f.period_start} = w.start AND {v_counted}
    LEFT JOIN {f} wt ON wt.{f.indicator} = %(weight)s AND wt.{f.area} = v.{f.area} AND wt.{f.agency} IS NULL
        AND wt.{f.period_kind} = %(kind)s AND wt.{f.period_start} = w.start AND {wt_counted}
  UNION ALL
    SELECT w.root, w.start, w.share, v.{f.value}, wt.{f.value}
    FROM walk w
    JOIN {f} v ON v.{f.indicator} = %(indicator)s AND v.{f.agency} = w.agency AND v.{f.area} IS NULL
        AND v.{f.period_kind} = %(kind)s AND v.{f.period_start} = w.start AND {v_counted}
    LEFT JOIN {f} wt ON wt.{f.indicator} = %(weight)s AND wt.{f.agency} = v.{f.agency} AND wt.{f.area} IS NULL
        AND wt.{f.period_kind} = %(kind)s AND wt.{f.period_start} = w.start AND {wt_counted}
)
SELECT root, start, count(*) AS n, sum(share * value) AS total, sum(share) AS shares,
       sum(share * weight * value) AS weighted, sum(share * weight) AS weights
FROM found
GROUP BY root, start
ORDER BY root, start
