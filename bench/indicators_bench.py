"""Benchmark: the indicator hub's API over 5 years × 100 communes × 50 indicators, against the same
aggregates in plain SQL, in the same run.

On a scratch database (made, migrated and dropped here): a province of 100 communes, 50 monthly
indicators declared for the run (40 sums, 10 means) and their 300,000 monthly values (COPY), with year
plans for the province. Measured through Django's test client (routing, middleware, JSON):

- values: `GET /api/hub/values` of the province by year over the 5 years, per indicator (each the walk
  down 100 communes × 72 months, last year, year to date and plans), against one plain SQL statement per
  indicator summing (or averaging) the communes' values by year and reading the province's plans;
- choropleth: `GET /api/hub/choropleth` of the 100 communes for one year (classes by natural breaks),
  for --choropleths indicators, against one plain SQL statement per indicator giving each commune's year.

Both sides give the same figures, which the run checks. Prints medians, totals and the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

import psycopg
from psycopg import sql

from bench.common import use_scratch_database

SCRATCH_DB = "toancanh_bench_indicators"
UNITS, YEARS, FIRST_YEAR = 100, 5, 2021
PREFIX = "bench_"

PLAIN_VALUES = """
    WITH years AS (
        SELECT extract(year FROM v.period_start)::int AS year,
               CASE WHEN %(mean)s THEN avg(v.value) ELSE sum(v.value) END AS total
        FROM {v} v JOIN {u} c ON c.id = v.area_id
        WHERE v.indicator = %(code)s AND c.parent_id = %(province)s AND v.period_kind = 'month'
          AND v.period_start >= %(since)s AND v.period_start < %(until)s
        GROUP BY 1)
    SELECT years.year, years.total, t.value FROM years
    LEFT JOIN {t} t ON t.indicator = %(code)s AND t.area_id = %(province)s AND t.period_kind = 'year'
        AND t.period_start = make_date(years.year, 1, 1)
    ORDER BY 1"""
PLAIN_CHOROPLETH = """
    SELECT c.code, CASE WHEN %(mean)s THEN avg(v.value) ELSE sum(v.value) END
    FROM {v} v JOIN {u} c ON c.id = v.area_id
    WHERE v.indicator = %(code)s AND c.level = 'commune' AND v.period_kind = 'month'
      AND v.period_start >= %(since)s AND v.period_start < %(until)s
    GROUP BY c.code"""


def statement(text: str) -> sql.Composed:
    """`text` with {v}, {t} and {u}: the tables of values, targets and administrative units."""
    from indicators.models import IndicatorValue, Target
    from layers.models import AdminUnit

    tables = {"v": IndicatorValue, "t": Target, "u": AdminUnit}
    return sql.SQL(text).format(**{key: sql.Identifier(m._meta.db_table) for key, m in tables.items()})


def declare(count: int) -> list:
    """`count` monthly indicators for communes and the province: every fifth a mean, the others sums."""
    from indicators.registry import Indicator, registry

    made = []
    for n in range(count):
        mean = n % 5 == 4
        made.append(
            registry.register(
                Indicator(
                    code=f"{PREFIX}{n:02d}",
                    name_vi=f"Chỉ tiêu thử {n}",
                    name_en=f"Bench indicator {n}",
                    unit_vi="đơn vị",
                    unit_en="units",
                    aggregation="mean" if mean else "sum",
                    direction="higher_better",
                    cadence="month",
                    reporter="area",
                    levels=("province", "commune"),
                    targets=True,
                )
            )
        )
    return made


def make_data(indicators: list, url: str) -> int:
    """The province, its communes (squares of 0.01°), every value (COPY) and plans; the province's id."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from indicators.models import Target
    from layers.models import AdminUnit

    def square(n: int) -> MultiPolygon:
        x, y = 104.0 + (n % 10) * 0.01, 21.0 + (n // 10) * 0.01
        return MultiPolygon(
            Polygon(((x, y), (x + 0.01, y), (x + 0.01, y + 0.01), (x, y + 0.01), (x, y))), srid=4326
        )

    province = AdminUnit.objects.create(
        code="B15",
        name="Tỉnh thử",
        level="province",
        unit_type="tinh",
        valid_from=date(2000, 1, 1),
        geom=square(0),
    )
    communes = AdminUnit.objects.bulk_create(
        AdminUnit(
            code=f"B{n:03d}",
            name=f"Xã thử {n}",
            level="commune",
            unit_type="xa",
            parent=province,
            valid_from=date(2000, 1, 1),
            geom=square(n),
        )
        for n in range(UNITS)
    )
    months = [date(FIRST_YEAR + m // 12, m % 12 + 1, 1) for m in range(12 * YEARS)]
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        with cursor.copy(
            statement(
                "COPY {v} (indicator, area_id, period_kind, period_start, value, "
                "status, reported_at, source) FROM STDIN"
            )
        ) as copy:
            for i, indicator in enumerate(indicators):
                for c, commune in enumerate(communes):
                    for m, month in enumerate(months):
                        value = float((i * 7 + c * 13 + m * 5) % 97 + 1)
                        copy.write_row(
                            (
                                indicator.code,
                                commune.pk,
                                "month",
                                month,
                                value,
                                "approved",
                                "2026-01-01T00:00:00Z",
                                "bench",
                            )
                        )
        conn.commit()
    Target.objects.bulk_create(  # the province's year plans (a few hundred rows)
        Target(
            indicator=indicator.code,
            area=province,
            period_kind="year",
            period_start=date(year, 1, 1),
            value=50.0 * UNITS * 12,
        )
        for indicator in indicators
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)
    )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return province.pk


def measure(indicators: list, province: int, url: str, choropleths: int) -> dict:
    """Seconds of each API call and of its plain SQL, by kind; checks that both give the same figures."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.create_user("bench-leader"))  # the hub is read signed in
    since, until = date(FIRST_YEAR, 1, 1), date(FIRST_YEAR + YEARS, 1, 1)
    last = FIRST_YEAR + YEARS - 1
    times: dict[str, list[float]] = {"api_values": [], "sql_values": [], "api_map": [], "sql_map": []}
    with psycopg.connect(url) as conn:
        for n, indicator in enumerate(indicators):
            params = {
                "code": indicator.code,
                "province": province,
                "since": since,
                "until": until,
                "mean": indicator.aggregation == "mean",
            }
            start = time.perf_counter()
            answer = client.get(
                "/api/hub/values",
                {
                    "indicator": indicator.code,
                    "unit": "B15",
                    "period": "year",
                    "from": str(FIRST_YEAR),
                    "to": str(last),
                },
            )
            assert answer.status_code == 200, answer.content
            rows = answer.json()["rows"]
            times["api_values"].append(time.perf_counter() - start)
            start = time.perf_counter()
            plain = conn.execute(statement(PLAIN_VALUES), params).fetchall()
            times["sql_values"].append(time.perf_counter() - start)
            assert [(r["actual"], r["target"]) for r in rows] == [
                (round(total, 6), target) for _, total, target in plain
            ], indicator.code
            if n >= choropleths:
                continue
            yearly = {**params, "since": date(last, 1, 1)}
            start = time.perf_counter()
            drawn = client.get(
                "/api/hub/choropleth",
                {"indicator": indicator.code, "period": str(last), "level": "commune", "method": "jenks"},
            ).json()
            times["api_map"].append(time.perf_counter() - start)
            start = time.perf_counter()
            per_unit = dict(conn.execute(statement(PLAIN_CHOROPLETH), yearly).fetchall())
            times["sql_map"].append(time.perf_counter() - start)
            assert {u["code"]: u["value"] for u in drawn["units"]} == {
                code: round(value, 6) for code, value in per_unit.items()
            }, indicator.code
    return times


def report(times: dict) -> None:
    """Print medians, totals and ratios."""
    for what, api, plain in (
        ("values (province, 5 years)", "api_values", "sql_values"),
        ("choropleth (100 communes, 1 year)", "api_map", "sql_map"),
    ):
        a, p = times[api], times[plain]
        print(f"{what}: {len(a)} indicators")
        print(f"  API  median {1000 * statistics.median(a):8.1f} ms, total {sum(a):7.2f} s")
        print(f"  SQL  median {1000 * statistics.median(p):8.1f} ms, total {sum(p):7.2f} s")
        print(
            f"  ratio of medians {statistics.median(a) / statistics.median(p):.1f}×, "
            f"of totals {sum(a) / sum(p):.1f}×"
        )


def drop(config) -> None:
    """Remove the scratch database."""
    from django.db import connections

    connections.close_all()
    admin = config.as_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{config.name}" WITH (FORCE)')


def main() -> None:
    """Make the data, measure, report, drop the scratch database."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--choropleths", type=int, default=10, help="indicators drawn as a choropleth")
    args = parser.parse_args()
    config = use_scratch_database(SCRATCH_DB)
    try:
        indicators = declare(args.indicators)
        started = time.perf_counter()
        province = make_data(indicators, config.as_url())
        print(
            f"{UNITS} communes × {12 * YEARS} months × {len(indicators)} indicators = "
            f"{UNITS * 12 * YEARS * len(indicators):,} values in {time.perf_counter() - started:.1f} s"
        )
        report(measure(indicators, province, config.as_url(), args.choropleths))
    finally:
        drop(config)


if __name__ == "__main__":
    main()
