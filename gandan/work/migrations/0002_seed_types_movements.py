from django.db import migrations


def seed(apps, schema_editor):
    from gandan.work.seed import types_movements_seed

    types_movements_seed(
        activity_type=apps.get_model("work", "ActivityType"), movement=apps.get_model("work", "Movement")
    )


class Migration(migrations.Migration):
    dependencies = [("work", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
