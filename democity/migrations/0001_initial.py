"""The demo city record, taken over from the importers' app (etl 0002) with its table etl_democity."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("etl", "0003_demo_city_moves_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="DemoCity",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                               verbose_name="ID")),
                    ("today", models.DateField()),
                    ("loaded_at", models.DateTimeField()),
                ],
                options={"verbose_name": "Thành phố demo", "db_table": "etl_democity"},
            ),
        ]),
    ]
