"""A month's face-to-face obligation keeps how many contacts before its month the person was seen at face to face
with their RO, in person and by video: the video share counts from the sentence's start, so a change from a month
on reads these instead of counting every earlier contact of the sentence (ledger.refresh_seen). Empty on the rows
already stored (adding a column with no default rewrites nothing): they are counted from the contacts when needed,
and kept when the row is next written."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0033_contact_event_index_is_contact_event_starts"),
    ]

    operations = [
        migrations.AddField(
            model_name="obligation",
            name="seen_by_video_before",
            field=models.PositiveIntegerField(
                blank=True, help_text="As seen_in_person_before, seen by video call", null=True
            ),
        ),
        migrations.AddField(
            model_name="obligation",
            name="seen_in_person_before",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="A month's face-to-face contact: how many contacts before its month, from the sentence's start, the person was seen at in person with their RO (the video share counts from there); empty if not counted",
                null=True,
            ),
        ),
    ]
