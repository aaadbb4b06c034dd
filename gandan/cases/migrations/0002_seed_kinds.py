from django.db import migrations


def seed(apps, schema_editor):
    from gandan.cases.seed import CASE_KINDS

    CaseKind = apps.get_model("cases", "CaseKind")
    for code, name, days in CASE_KINDS:
        CaseKind.objects.get_or_create(code=code, defaults={"name": name, "deadline_days": days})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
