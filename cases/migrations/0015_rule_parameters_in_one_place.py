"""One source for each rule's parameters (issue 17).

- CalendarDay.changed_at: every `calendar_refresh` rewrites it, so a process tells a refreshed calendar from
  the one it holds with one indexed lookup (cases/standards/calendar.py).
- ContactType.face_to_face is what the ledger reads now (it read a list of codes of its own): Unpaid Work and
  programme sessions, which are not with the responsible officer and which the ledger never counted, stop
  being marked face to face, so every obligation stays as it was.
"""

from django.db import migrations, models

NOT_WITH_THE_RO = ["upw_session", "programme_session"]


def not_face_to_face(apps, schema_editor):
    apps.get_model("cases", "ContactType").objects.filter(code__in=NOT_WITH_THE_RO).update(face_to_face=False)


def face_to_face(apps, schema_editor):
    apps.get_model("cases", "ContactType").objects.filter(code__in=NOT_WITH_THE_RO).update(face_to_face=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_performance"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarday",
            name="changed_at",
            field=models.DateTimeField(auto_now=True, db_index=True, help_text="Every refresh rewrites it"),
        ),
        migrations.AlterField(
            model_name="contacttype",
            name="face_to_face",
            field=models.BooleanField(
                help_text="Counts for National Standards as the responsible officer seeing the person: the initial "
                "appointment and the monthly face-to-face contact (a video call counts for at most half of them)"
            ),
        ),
        migrations.AlterField(
            model_name="rulesetting",
            name="period",
            field=models.PositiveSmallIntegerField(
                help_text="In the parameter's own unit, as the list of rules shows: business days, days, months, a "
                "number or a percentage"
            ),
        ),
        migrations.RunPython(not_face_to_face, face_to_face),
    ]
