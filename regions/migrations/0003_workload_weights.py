from django.db import migrations

from regions.workload_points import ensure_weights


def load(apps, schema_editor):
    ensure_weights(apps.get_model("regions", "WorkloadWeight"))


def unload(apps, schema_editor):
    apps.get_model("regions", "WorkloadWeight").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_workload")]

    operations = [migrations.RunPython(load, unload)]
