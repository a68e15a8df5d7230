"""Buildings and line water (#21 item 4), the codes real data needed (pharmacy, hostel, college,
university), and from layers/sql/0017_buildings.sql a building's parcel from its footprint and the
search indexes of the two layers.

Frozen: the SQL file is never edited (its SHA-256 is checked below); a change comes as a new file
loaded by a new migration. No application module is imported.
"""

import hashlib
from pathlib import Path

import django.contrib.gis.db.models.fields
import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models

FILE = Path(__file__).resolve().parent.parent / "sql" / "0017_buildings.sql"
SHA256 = "953bc1343c64ed066c808b090ad1da1f41ddaa43e00c5babe8a8454007d7101c"
BACKWARDS = ("DROP TRIGGER IF EXISTS ioc_building_parcel ON layers_building; "
             "DROP FUNCTION IF EXISTS ioc_building_parcel();")  # the indexes go with their tables


def frozen() -> str:
    """The text of the SQL file, refused if it is not the text this migration was written for."""
    text = FILE.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    if digest != SHA256:
        raise RuntimeError(f"layers/sql/{FILE.name} changed after migration 0017 loaded it "
                           f"(sha256 {digest}); "
                           "restore it and put the change in a new file loaded by a new migration")
    return text


class Migration(migrations.Migration):

    dependencies = [
        ('layers', '0016_incident_source_choices'),
    ]

    operations = [
        migrations.CreateModel(
            name='Waterway',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name='Phiên bản')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_default=django.db.models.functions.datetime.Now(), verbose_name='Thời điểm tạo')),
                ('updated_at', models.DateTimeField(auto_now=True, db_default=django.db.models.functions.datetime.Now(), verbose_name='Thời điểm cập nhật')),
                ('code', models.CharField(max_length=32, unique=True, verbose_name='Mã')),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='Tên')),
                ('waterway_kind', models.CharField(choices=[('river', 'Sông'), ('stream', 'Suối, ngòi'), ('canal', 'Kênh'), ('ditch', 'Mương')], max_length=8, verbose_name='Loại dòng chảy')),
                ('width_m', models.FloatField(blank=True, null=True, verbose_name='Bề rộng (m)')),
                ('geom', django.contrib.gis.db.models.fields.MultiLineStringField(srid=4326, verbose_name='Hình học')),
            ],
            options={
                'verbose_name': 'Sông, suối, kênh, mương',
                'abstract': False,
            },
        ),
        migrations.AlterField(
            model_name='healthfacility',
            name='health_type',
            field=models.CharField(choices=[('hospital', 'Bệnh viện'), ('ward_station', 'Trạm y tế phường/xã'), ('clinic', 'Phòng khám'), ('pharmacy', 'Nhà thuốc')], max_length=14, verbose_name='Loại cơ sở y tế'),
        ),
        migrations.AlterField(
            model_name='lodging',
            name='lodging_type',
            field=models.CharField(choices=[('hotel', 'Khách sạn'), ('guesthouse', 'Nhà nghỉ'), ('homestay', 'Homestay'), ('hostel', 'Nhà nghỉ tập thể (hostel)')], max_length=12, verbose_name='Loại hình lưu trú'),
        ),
        migrations.AlterField(
            model_name='school',
            name='school_level',
            field=models.CharField(choices=[('mam_non', 'Mầm non'), ('tieu_hoc', 'Tiểu học'), ('thcs', 'Trung học cơ sở'), ('thpt', 'Trung học phổ thông'), ('cao_dang', 'Cao đẳng'), ('dai_hoc', 'Đại học')], max_length=10, verbose_name='Cấp học'),
        ),
        migrations.CreateModel(
            name='Building',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name='Phiên bản')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_default=django.db.models.functions.datetime.Now(), verbose_name='Thời điểm tạo')),
                ('updated_at', models.DateTimeField(auto_now=True, db_default=django.db.models.functions.datetime.Now(), verbose_name='Thời điểm cập nhật')),
                ('code', models.CharField(max_length=32, unique=True, verbose_name='Mã công trình')),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='Tên công trình')),
                ('building_use', models.CharField(choices=[('residential', 'Nhà ở'), ('commercial', 'Thương mại, dịch vụ'), ('public', 'Công trình công cộng'), ('industrial', 'Công nghiệp, kho bãi'), ('religious', 'Tôn giáo, tín ngưỡng'), ('mixed', 'Hỗn hợp (ở và kinh doanh)'), ('other', 'Khác')], max_length=12, verbose_name='Công năng sử dụng')),
                ('floors', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Số tầng')),
                ('height_m', models.FloatField(blank=True, null=True, verbose_name='Chiều cao (m)')),
                ('year_built', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Năm xây dựng')),
                ('address', models.CharField(blank=True, max_length=300, verbose_name='Địa chỉ')),
                ('area_m2', models.FloatField(db_default=0, default=0, editable=False, verbose_name='Diện tích xây dựng (m²)')),
                ('geom', django.contrib.gis.db.models.fields.MultiPolygonField(srid=4326, verbose_name='Hình học')),
                ('parcel', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='buildings', to='layers.parcel', verbose_name='Thửa đất')),
                ('ward', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='layers.adminunit', verbose_name='Phường/xã')),
            ],
            options={
                'verbose_name': 'Nhà, công trình xây dựng',
                'abstract': False,
            },
        ),
        migrations.RunSQL(frozen(), BACKWARDS),
    ]
