"""Every bump of the tree revision draws a new random epoch.

With the epoch drawn only when the row is created, a transaction that raised the revision
to N+1 and then rolled back left a tree cached at (epoch, N+1) in its process; the next
committed change also reaches N+1, and that process would take the stale tree for the new
one. A fresh epoch on every bump makes the pair unique per change, committed or not.
"""

import importlib

from django.db import migrations

first = importlib.import_module("gandan.geo.migrations.0002_tree_revision")

BUMP_EVERY_TIME = (
    "INSERT INTO geo_treerevision (id, revision, epoch) VALUES (1, 1, {random}) "
    "ON CONFLICT (id) DO UPDATE SET revision = geo_treerevision.revision + 1, epoch = {random}"
)


def _with_bump(bump: str):
    def apply(apps, schema_editor):
        first.triggers_remove(apps, schema_editor)
        previous, first.BUMP = first.BUMP, bump
        try:
            first.triggers_add(apps, schema_editor)
        finally:
            first.BUMP = previous

    return apply


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_tree_revision")]

    operations = [
        migrations.RunPython(_with_bump(BUMP_EVERY_TIME), _with_bump(first.BUMP)),
    ]
