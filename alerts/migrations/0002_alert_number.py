"""The sequence numbering alert codes (CB-<local date>-<number>, alerts.evaluate)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [
        migrations.RunSQL("CREATE SEQUENCE IF NOT EXISTS alerts_alert_number",
                          "DROP SEQUENCE IF EXISTS alerts_alert_number"),
    ]
