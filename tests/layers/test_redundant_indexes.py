"""Every index costs each insert (the camera stream writes detections all day, imports write a million
rows at once), so no b-tree of the platform's tables may be a left prefix of another b-tree on the same
table: the longer one answers the same queries. A unique index may be the shorter one (it is a rule)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

_PREFIXES = """
SELECT t.relname, short.relname, long.relname
  FROM pg_index a
  JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
  JOIN pg_class t ON t.oid = a.indrelid
  JOIN pg_namespace ns ON ns.oid = t.relnamespace AND ns.nspname = 'public'
  JOIN pg_class short ON short.oid = a.indexrelid
  JOIN pg_class long ON long.oid = b.indexrelid
  JOIN pg_am am_a ON am_a.oid = short.relam AND am_a.amname = 'btree'
  JOIN pg_am am_b ON am_b.oid = long.relam AND am_b.amname = 'btree'
 WHERE NOT a.indisunique AND a.indpred IS NULL AND b.indpred IS NULL
   AND a.indexprs IS NULL AND b.indexprs IS NULL
   AND a.indnkeyatts < b.indnkeyatts
   AND (b.indkey::int2[])[0:a.indnkeyatts - 1] = (a.indkey::int2[])[0:a.indnkeyatts - 1]
   AND t.relname LIKE 'layers\\_%%' AND t.relispartition IS FALSE AND t.relname <> ALL(%s)
 ORDER BY 1, 2
"""


# Django creates the tables of plain many-to-many fields with an index per column beside their unique pair.
DJANGO_LINK_TABLES = ["layers_responsibleunit_wards"]


def test_no_btree_of_a_layer_table_is_a_left_prefix_of_another():
    with connection.cursor() as cursor:
        cursor.execute(_PREFIXES, [DJANGO_LINK_TABLES])
        redundant = cursor.fetchall()
    assert redundant == [], "drop the shorter index, the longer one serves its queries: " + "; ".join(
        f"{table}: {short} ⊂ {long}" for table, short, long in redundant)
