from django.db import migrations


def seed(apps, schema_editor):
    from gandan.work.seed import ACTIVITY_TYPES, MOVEMENTS

    ActivityType = apps.get_model("work", "ActivityType")
    Movement = apps.get_model("work", "Movement")
    for position, (code, name) in enumerate(ACTIVITY_TYPES):
        ActivityType.objects.get_or_create(code=code, defaults={"name": name, "position": position * 10})
    for code, name in MOVEMENTS:
        Movement.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("work", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
