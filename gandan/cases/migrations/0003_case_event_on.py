"""CaseEvent.on: the day a workflow step took effect (``at`` is when it was recorded).

Existing events get the reception date for the reception, the closing date for a
resolution or referral, and otherwise the day they were recorded (local time).
"""

from django.db import migrations, models
from django.utils import timezone


def fill(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for event in CaseEvent.objects.select_related("case"):
        if event.action == "receive":
            on = event.case.received_on
        elif event.action in {"resolve", "refer"} and event.case.closed_on:
            on = event.case.closed_on
        else:
            on = timezone.localdate(event.at)
        CaseEvent.objects.filter(pk=event.pk).update(on=on)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_seed_kinds")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="on",
            field=models.DateField(null=True, verbose_name="ngày"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="caseevent",
            name="on",
            field=models.DateField(verbose_name="ngày"),
        ),
    ]
