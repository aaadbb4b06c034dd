from django.db import migrations


def seed(apps, schema_editor):
    from gandan.indicators.services import catalogue_seed

    catalogue_seed(model=apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
