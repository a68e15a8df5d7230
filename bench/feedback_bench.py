"""Benchmark: filing a report through Open311 (POST requests.json through the whole middleware chain:
the challenge-free API path, the commune lookup, the likely-duplicate search, the deadline on the
working calendar, the reporter record and the outbox event of nothing yet) against a plain INSERT of
the same report row, measured in the same run, on a scratch database with one commune and policies.

Prints p50 and p95 of both, the POST throughput (one client, sequential), and the ratios.
"""

from __future__ import annotations

import argparse
import random
import statistics

from bench.common import timed, use_scratch_database

BOX = (104.90, 21.68, 104.92, 21.70)  # the scratch city's one commune


def percentile(times: list[float], share: float) -> float:
    """The `share` quantile of the times (nearest rank)."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def setup_city() -> None:
    """One commune covering BOX, in force, and the categories' policies (duplicates within 50 m, 72 h)."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from feedback.models import CategoryPolicy
    from layers.models import AdminUnit
    from layers.vocabularies import REPORT_CATEGORY

    west, south, east, north = BOX
    shape = MultiPolygon(Polygon.from_bbox((west - 0.01, south - 0.01, east + 0.01, north + 0.01)), srid=4326)
    AdminUnit.objects.create(code="99999", name="Phường Thử", level="commune", unit_type="phuong",
                             valid_from="2025-07-01", geom=shape)
    for code in REPORT_CATEGORY.codes:
        CategoryPolicy.objects.create(category=code, deadline=10, duplicate_radius_m=50, duplicate_hours=72)


def form(rng: random.Random, n: int) -> dict[str, str]:
    """The n-th Open311 POST form: a random category and point in BOX, a contact."""
    west, south, east, north = BOX
    return {"service_code": rng.choice(["environment", "public_order", "infrastructure"]),
            "lat": f"{rng.uniform(south, north):.6f}", "long": f"{rng.uniform(west, east):.6f}",
            "description": f"Phản ánh thử số {n}", "email": f"dan{n}@example.vn", "phone": "0900000000"}


def main() -> None:
    """Print both figures and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    use_scratch_database("toancanh_bench_feedback")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from psycopg import sql

    from layers.models import CitizenReport

    settings.IOC_FEEDBACK_PER_HOUR = 10**9  # one client address files them all
    setup_city()
    client, rng = Client(HTTP_HOST="127.0.0.1"), random.Random(2026)
    client.post("/open311/v2/requests.json", form(rng, 0))  # warm-up
    posts = [timed(lambda n=n: client.post("/open311/v2/requests.json", form(rng, n)))
             for n in range(1, args.requests + 1)]
    assert CitizenReport.objects.count() == args.requests + 1

    table = CitizenReport._meta.db_table
    insert = sql.SQL("INSERT INTO {} (code, category, channel, status, title, description, responsible_unit, "
                     "received_at, due_at, reopened, geom, version, created_at, updated_at) VALUES (%s, %s, "
                     "'app', 'received', %s, %s, '', now(), now() + interval '10 days', 0, "
                     "ST_SetSRID(ST_MakePoint(%s, %s), 4326), 1, now(), now())").format(sql.Identifier(table))
    with connection.cursor() as cursor:
        text = insert.as_string(cursor.connection)

        def plain(n: int) -> None:
            row = form(rng, n)
            cursor.execute(text, [f"PLAIN-{n}", row["service_code"], row["description"], row["description"],
                                  float(row["long"]), float(row["lat"])])

        inserts = [timed(lambda n=n: plain(n)) for n in range(args.requests)]

    def line(name: str, times: list[float]) -> str:
        return (f"{name:<28} p50 {1000 * statistics.median(times):7.2f} ms   p95 "
                f"{1000 * percentile(times, 0.95):7.2f} ms")

    print(line("Open311 POST requests.json", posts))
    print(line("plain INSERT (reference)", inserts))
    print(f"throughput: {len(posts) / sum(posts):.0f} POST/s (one client); ratio to the INSERT: p50 "
          f"{statistics.median(posts) / statistics.median(inserts):.0f}x, p95 "
          f"{percentile(posts, 0.95) / percentile(inserts, 0.95):.0f}x")


if __name__ == "__main__":
    main()
