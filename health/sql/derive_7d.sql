-- The 7-day figures of each commune-day of the epidemic watch (of one disease, from one day on):
-- cases_7d = new cases of that day and the 6 before it (same commune, same disease);
-- incidence_7d = cases_7d per 100,000 inhabitants of the commune (its admin unit's population);
-- incidence_band = the choropleth's class: none (0 cases), few (1 to 4: "< 5"), then by the rate.
WITH summed AS (
    SELECT e.{e.id} AS id,
           sum(e.{e.new_cases}) OVER (PARTITION BY e.{e.commune}, e.{e.disease} ORDER BY e.{e.day}
                                     RANGE BETWEEN '6 days'::interval PRECEDING AND CURRENT ROW) AS cases_7d,
           u.{u.population} AS population
    FROM {e} e JOIN {u} u ON u.{u.id} = e.{e.commune}
    WHERE e.{e.day} >= %(since)s::date - 6
)
UPDATE {e} e SET {cases_7d} = s.cases_7d, {population} = s.population,
       {incidence_7d} = CASE WHEN s.population > 0 THEN round(s.cases_7d * 100000.0 / s.population, 1) END,
       {incidence_band} = CASE WHEN s.cases_7d = 0 THEN 'none'
                               WHEN s.cases_7d < %(few_below)s THEN 'few'
                               WHEN s.population IS NULL OR s.population = 0 THEN 'low'  -- no population: no rate
                               WHEN s.cases_7d * 100000.0 / s.population < 50 THEN 'low'
                               WHEN s.cases_7d * 100000.0 / s.population < 150 THEN 'moderate'
                               WHEN s.cases_7d * 100000.0 / s.population < 300 THEN 'high'
                               ELSE 'very_high' END
FROM summed s
WHERE e.{e.id} = s.id AND e.{e.day} >= %(since)s::date
