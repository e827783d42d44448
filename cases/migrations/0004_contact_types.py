"""The contact types of DOMAIN.md, as reference data an administrator can change."""

from django.db import migrations

from cases.reference import ensure_contact_types


def create(apps, schema_editor):
    ensure_contact_types(apps.get_model("cases", "ContactType"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_contacts_and_enforcement")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
