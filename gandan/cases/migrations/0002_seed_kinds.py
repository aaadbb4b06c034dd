from django.db import migrations


def seed(apps, schema_editor):
    from gandan.cases.seed import kinds_seed

    kinds_seed(apps.get_model("cases", "CaseKind"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
