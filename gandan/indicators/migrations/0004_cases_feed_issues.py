from django.db import migrations

CASE_SOURCES = {"issues_received": "cases_received", "issues_resolved": "cases_resolved"}


def forward(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, source in CASE_SOURCES.items():
        Indicator.objects.filter(code=code).update(source=source, aggregation="count")


def backward(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(code__in=CASE_SOURCES).update(source="value", aggregation="sum")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_case_sources")]

    operations = [migrations.RunPython(forward, backward)]
