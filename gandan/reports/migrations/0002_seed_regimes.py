from django.db import migrations


def seed(apps, schema_editor):
    from gandan.reports.seed import seed_regimes

    seed_regimes(apps.get_model("reports", "Regime"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
