"""Camera AI incidents no longer name their camera in public: a sequence numbers their codes, and the
incidents raised before this migration get the new code and title.

Old: code ``AI-<camera id>-<yymmddHHMMSS>-<zone hash>``, title ``Xâm nhập vùng cấm “<zone>”: <what>
(camera <code>)``. New: code ``AI-<local date>-<number>``, title ``Xâm nhập vùng cấm tại <ward>: <what>``
(see vision/incidents.py). Self-contained on purpose: no application module is imported here.
"""

import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

NUMBERS = "vision_incident_number"
OLD_CODE = r"^AI-[0-9]+-[0-9]{12}-[0-9]{3}$"
OLD_TITLE = re.compile(r"^.* “.*”: (?P<what>[^()]+) \(camera .*\)$")  # the object class's label
KIND_TITLE = {"intrusion": "Xâm nhập vùng cấm", "public_order": "Dừng quá lâu trong vùng giám sát"}


def new_title(title: str, category: str, ward_type: str | None, ward_name: str | None, types: dict) -> str:
    """The title without the zone's name or the camera, with the ward (and what was seen, unless the
    old title was cut short)."""
    found = OLD_TITLE.match(title)
    kind = KIND_TITLE.get(category, "Sự cố do camera AI phát hiện")
    where = f" tại {types[ward_type].lower()} {ward_name}" if ward_type in types else ""
    what = f": {found['what'].lower()}" if found else ""
    return f"{kind}{where}{what}"[:300]


def rewrite(apps, schema_editor) -> None:
    """Give every incident raised under the old scheme its new code (numbered in time order) and title."""
    unit = apps.get_model("layers", "AdminUnit")
    types = dict(unit._meta.get_field("unit_type").choices)  # Vietnamese labels, as of this migration
    local = ZoneInfo(settings.TIME_ZONE)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.id, i.reported_at, i.title, i.category, a.unit_type, a.name FROM layers_incident i "
            "LEFT JOIN layers_adminunit a ON a.id = i.ward_id "
            "WHERE i.source = 'camera_ai' AND i.code ~ %s ORDER BY i.reported_at, i.id",
            [OLD_CODE],
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s) ORDER BY 1",
                       [NUMBERS, len(rows)])
        numbers = [number for (number,) in cursor.fetchall()]
        updates = [
            (f"AI-{at.astimezone(local):%Y%m%d}-{number:06d}",
             new_title(title, category, ward_type, ward_name, types), pk)
            for number, (pk, at, title, category, ward_type, ward_name) in zip(numbers, rows, strict=True)
        ]
        cursor.executemany("UPDATE layers_incident SET code = %s, title = %s WHERE id = %s", updates)


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0004_detection_density"),
        ("vision", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE SEQUENCE {NUMBERS}", f"DROP SEQUENCE {NUMBERS}"),
        migrations.RunPython(rewrite, migrations.RunPython.noop),
    ]
