"""The demo city's own date, recorded by `ioc load_demo`; a demo loaded before gets it from its data."""

from django.db import migrations, models


def record_a_demo_loaded_before(apps, schema_editor):
    """A demo city loaded before this record existed: its daily series end the day before its 'today'."""
    if not apps.get_model("etl", "ImportReport").objects.filter(
        actor="demo:load", layer="observations", status="loaded"
    ).exists():
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT (max(observed_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1 FROM layers_observation "
            "WHERE layer = 'lodging' AND metric = 'guests'"
        )
        (today,) = cursor.fetchone()
        cursor.execute("SELECT min(started_at) FROM etl_importreport WHERE actor = 'demo:load'")
        (loaded_at,) = cursor.fetchone()
    if today is not None:
        apps.get_model("etl", "DemoCity").objects.create(today=today, loaded_at=loaded_at)


class Migration(migrations.Migration):
    dependencies = [
        ("etl", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DemoCity",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("today", models.DateField()),
                ("loaded_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "Thành phố demo",
            },
        ),
        migrations.RunPython(record_a_demo_loaded_before, migrations.RunPython.noop),
    ]
