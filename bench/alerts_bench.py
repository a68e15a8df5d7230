"""Benchmark: one evaluation cycle of 100 alert rules over the demo city grown to 1,000,000 detections,
against the same counts done by plain SQL in the same run, and how the cycle grows with 10, 50 and 100
rules.

On a scratch database: the demo city is loaded (its own rules and episodes included), the detections
table is filled up to --detections rows (camera points a few metres apart, times spread over the demo's
90 days, through the platform's triggers), and --rules rules are declared, a mix of every kind: AQI and
PM2.5 thresholds, accident and citizen-report clusters by radius, counts by ward, crowds of detections,
silent cameras and stations, camera zone events. Each cycle is `alerts.evaluate.evaluate_all(now)` at the
demo's end with its alerts already open (the steady state: every finding matched, nothing told); the
reference is one hand-written SQL statement per rule counting the subjects where it holds (no ward, no
labels, no alert rows). Both give the same number of subjects per kind, which the run checks.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime

from psycopg import sql

from bench.common import use_scratch_database

SCRATCH_DB = "toancanh_bench_alerts"
CYCLES = 3

# the plain SQL of each kind: the number of subjects whose condition holds at %(now)s
PLAIN = {
    "threshold": """
        SELECT count(*) FROM (
            SELECT o.{o_feature} FROM (
                SELECT {o_feature}, {o_value}, row_number() OVER (PARTITION BY {o_feature}
                                                                 ORDER BY {o_time} DESC) AS n
                FROM {o} WHERE {o_layer} = %(layer)s AND {o_metric} = %(metric)s
                  AND {o_time} > %(since)s AND {o_time} <= %(now)s) o
            WHERE o.n <= %(readings)s GROUP BY o.{o_feature}
            HAVING count(*) = %(readings)s AND bool_and(o.{o_value} > %(threshold)s)) held""",
    "count_radius": """
        WITH ev AS (SELECT {geom} AS g FROM {e}
                    WHERE {time} > %(since)s AND {time} <= %(now)s AND {field}::text = %(value)s)
        SELECT count(DISTINCT c) FROM (
            SELECT ST_ClusterDBSCAN(ST_Transform(g, 3857),
                                    eps := %(radius)s / (SELECT cos(radians(avg(ST_Y(g)))) FROM ev),
                                    minpoints := %(min_count)s) OVER () AS c
            FROM ev) k""",
    "count_ward": """
        SELECT count(*) FROM (
            SELECT {ward} FROM {e}
            WHERE {time} > %(since)s AND {time} <= %(now)s AND {field}::text = %(value)s
              AND {ward} IS NOT NULL
            GROUP BY {ward} HAVING count(*) >= %(min_count)s) w""",
    "silence": """
        SELECT count(*) FROM {f} f WHERE f.{f_field}::text = %(value)s AND NOT EXISTS (
            SELECT 1 FROM {e} e WHERE e.{link} = f.id AND e.{time} <= %(now)s
              AND e.{time} >= %(now)s - make_interval(mins => %(silence)s))""",
    "silence_metric": """
        SELECT count(*) FROM {f} f WHERE f.{f_field}::text = %(value)s AND NOT EXISTS (
            SELECT 1 FROM {o} o WHERE o.{o_layer} = %(layer)s AND o.{o_metric} = %(metric)s
              AND o.{o_feature} = f.id AND o.{o_time} <= %(now)s
              AND o.{o_time} >= %(now)s - make_interval(mins => %(silence)s))""",
    "zone": """
        SELECT count(*) FROM {e}
        WHERE {time} > %(since)s AND {time} <= %(now)s AND {field}::text = %(value)s""",
}


def rule_mix(count: int) -> list[dict]:
    """`count` rules cycling through every kind, each with its own threshold, radius or window."""
    makers = itertools.cycle([
        lambda n: {"kind": "threshold", "layer": "env_stations", "metric": ("aqi", "pm25")[n % 2],
                   "threshold": (100 + 5 * (n % 12)) if n % 2 == 0 else 50 + 2 * (n % 12),
                   "readings": 1 + n % 3, "window_minutes": 180},
        lambda n: {"kind": "count", "layer": "incidents", "grouping": "radius",
                   "filters": {"category": ("traffic_accident", "public_order", "crime", "fire")[n % 4]},
                   "min_count": 2 + n % 3, "radius_m": 200 + 50 * (n % 7),
                   "window_minutes": 24 * 60 * (1 + n % 7)},
        lambda n: {"kind": "count", "layer": "citizen_reports", "grouping": "ward",
                   "filters": {"category": ("environment", "infrastructure", "public_order")[n % 3]},
                   "min_count": 3 + n % 5, "window_minutes": 24 * 60 * (1 + n % 7)},
        lambda n: {"kind": "count", "layer": "detections", "grouping": "radius",
                   "filters": {"object_class": ("person", "car", "motorbike")[n % 3]},
                   "min_count": 5 + n % 10, "radius_m": 20 + 10 * (n % 5),
                   "window_minutes": 15 + 15 * (n % 4)},
        lambda n: {"kind": "silence", "layer": "cameras", "source_layer": "detections",
                   "filters": {"status": "online"}, "silence_minutes": 60 * (1 + n % 12)},
        lambda n: {"kind": "silence", "layer": "env_stations", "metric": "aqi",
                   "filters": {"station_type": "air"}, "silence_minutes": 30 * (1 + n % 6)},
        lambda n: {"kind": "zone", "layer": "incidents",
                   "filters": {"category": ("intrusion", "fire")[n % 2]},
                   "window_minutes": 60 * (1 + n % 24)},
    ])
    return [{"code": f"bench-{n:03d}", "name": f"Quy tắc {n}", "name_en": f"Rule {n}", **maker(n)}
            for n, maker in zip(range(count), makers, strict=False)]


def grow_detections(target: int) -> int:
    """Fill the detections table up to `target` rows: each new one a few metres from a demo detection of
    the same camera, at a random time of the demo's window (one INSERT per million rows)."""
    from django.db import connection

    from layers.models import Detection

    table = sql.Identifier(Detection._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SELECT count(*), min(observed_at), max(observed_at) FROM {}").format(table))
        have, first, last = cursor.fetchone()
        if have >= target:
            return have
        cursor.execute(sql.SQL(
            "INSERT INTO {d} (camera_id, object_class, confidence, observed_at, track_id, ground_located, "
            "ward_id, geom) "
            "SELECT s.camera_id, s.object_class, s.confidence, "
            "%(first)s + random() * (%(last)s::timestamptz - %(first)s::timestamptz), NULL, true, s.ward_id, "
            "ST_Translate(s.geom, (random() - 0.5) * 0.0001, (random() - 0.5) * 0.0001) "
            "FROM (SELECT array_agg(id ORDER BY id) AS ids FROM {d}) src "
            "CROSS JOIN generate_series(1, %(more)s) AS n "
            "JOIN LATERAL (SELECT * FROM {d} WHERE id = src.ids[1 + (n::bigint * 7919) %% %(have)s] "
            "OFFSET 0) s ON TRUE"
        ).format(d=table), {"first": first, "last": last, "more": target - have, "have": have})
        cursor.execute(sql.SQL("VACUUM (ANALYZE) {}").format(table))  # hint bits, visibility map, statistics
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(table))
        return cursor.fetchone()[0]


def plain_statement(rule) -> tuple[sql.Composed, dict]:
    """The reference SQL of `rule` and its parameters."""
    from alerts.rules import link_field
    from layers.models import Observation
    from layers.registry import registry

    layer = registry.get(rule.layer)
    model = layer.model_class._meta
    o = Observation._meta
    names = {"o": sql.Identifier(o.db_table), "o_feature": sql.Identifier(o.get_field("feature_id").column),
             "o_value": sql.Identifier(o.get_field("value").column),
             "o_time": sql.Identifier(o.get_field("observed_at").column),
             "o_layer": sql.Identifier(o.get_field("layer").column),
             "o_metric": sql.Identifier(o.get_field("metric").column)}
    params = {"layer": rule.layer, "metric": rule.metric, "readings": rule.readings,
              "threshold": rule.threshold, "min_count": rule.min_count, "silence": rule.silence_minutes,
              "radius": rule.radius_m}
    [(field, value)] = rule.filters.items() if rule.filters else [(None, None)]
    params["value"] = value
    if rule.kind == "threshold":
        return sql.SQL(PLAIN["threshold"]).format(**names), params
    if rule.kind == "silence":
        names.update(f=sql.Identifier(model.db_table), f_field=sql.Identifier(model.get_field(field).column))
        if rule.metric:
            return sql.SQL(PLAIN["silence_metric"]).format(**names), params
        source = registry.get(rule.source_layer)
        events = source.model_class._meta
        names.update(e=sql.Identifier(events.db_table),
                     link=sql.Identifier(events.get_field(link_field(source, layer)).column),
                     time=sql.Identifier(events.get_field(source.time_field).column))
        return sql.SQL(PLAIN["silence"]).format(**names), params
    names.update(e=sql.Identifier(model.db_table), geom=sql.Identifier(model.get_field("geom").column),
                 time=sql.Identifier(model.get_field(layer.time_field).column),
                 field=sql.Identifier(model.get_field(field).column),
                 ward=sql.Identifier(model.get_field("ward").column))
    kind = rule.kind if rule.kind == "zone" else f"count_{rule.grouping}"
    return sql.SQL(PLAIN[kind]).format(**names), params


def run_plain(rules, now: datetime) -> tuple[float, Counter]:
    """Seconds of every rule's reference SQL at `now`, and the subjects found per kind."""
    from datetime import timedelta

    from django.db import connection

    found: Counter = Counter()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for rule in rules:
            statement, params = plain_statement(rule)
            params.update(now=now, since=now - timedelta(minutes=rule.window_minutes))
            cursor.execute(statement.as_string(None), params)
            found[rule.kind] += cursor.fetchone()[0]
        return time.perf_counter() - started, found


def main() -> None:
    """Load, grow and declare; then measure in a process of its own (as a worker evaluates: not in the
    process that has just loaded a city); print the cycle, the reference, their ratio and the growth."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detections", type=int, default=1_000_000)
    parser.add_argument("--rules", type=int, default=100)
    parser.add_argument("--measure", action="store_true", help="measure the database set up already")
    args = parser.parse_args()
    if args.measure:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioc.settings")
        import django

        django.setup()
        measure()
        return
    use_scratch_database(SCRATCH_DB)
    from django.core.management import call_command
    from django.db import connections

    from alerts.models import AlertRule

    clock = time.perf_counter()
    call_command("load_demo", verbosity=0)
    rows = grow_detections(args.detections)
    print(f"alerts bench: demo city loaded, detections grown to {rows:,} in "
          f"{time.perf_counter() - clock:.0f} s")
    AlertRule.objects.update(active=False)  # the demo's own rules aside
    declared = []
    for fields in rule_mix(args.rules):
        rule = AlertRule(**fields)
        rule.full_clean()
        rule.save()
        declared.append(rule)
    print(f"  rules: {dict(Counter(rule.kind for rule in declared))}")
    connections.close_all()
    subprocess.run([sys.executable, "-m", "bench.alerts_bench", "--measure"], check=True)


def measure() -> None:
    """The cycle and the reference with 10, 50 and all the bench's rules."""
    from alerts.evaluate import evaluate_all
    from alerts.models import Alert, AlertRule
    from democity.models import DemoCity

    now = DemoCity.current().window().end
    declared = list(AlertRule.objects.filter(code__startswith="bench-").order_by("code"))
    print(f"  {'rules':>5}  {'cycle (median of 3)':>20}  {'plain SQL':>10}  {'ratio':>6}  "
          f"{'subjects':>8}  open")
    for size in (10, 50, 100):
        if size > len(declared):
            continue
        AlertRule.objects.filter(code__startswith="bench-").update(active=False)
        AlertRule.objects.filter(pk__in=[rule.pk for rule in declared[:size]]).update(active=True)
        Alert.objects.all().delete()
        evaluate_all(now, quiet=True)  # opens the alerts: the cycles below are the steady state
        run_plain(declared[:size], now)  # both warm
        cycles, plain = [], []
        for _ in range(CYCLES):  # interleaved, so that both see the same load of the machine
            cycles.append(evaluate_all(now, quiet=True).seconds)
            plain.append(run_plain(declared[:size], now))
        plain_s, subjects = statistics.median(p[0] for p in plain), plain[0][1]
        cycle_s = statistics.median(cycles)
        opened = Counter(Alert.objects.filter(status="open").values_list("kind", flat=True))
        print(f"  {size:>5}  {cycle_s:>18.2f} s  {plain_s:>8.2f} s  {cycle_s / plain_s:>5.2f}×  "
              f"{sum(subjects.values()):>8}  {sum(opened.values())}")
        if size == len(declared) and dict(opened) != {k: v for k, v in subjects.items() if v}:
            print(f"  note: subjects per kind differ: plain {dict(subjects)}, alerts {dict(opened)}")


if __name__ == "__main__":
    main()
