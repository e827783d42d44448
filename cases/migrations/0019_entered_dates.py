import django.utils.timezone
from django.db import migrations, models


def from_last_change(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Objectives recorded before this field existed: their last change is the earliest time known for them."""
    Objective = apps.get_model("cases", "Objective")
    Objective.objects.update(created_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_one_open_recall"),
    ]

    operations = [
        migrations.AddField(
            model_name="objective",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(from_last_change, migrations.RunPython.noop),
    ]
