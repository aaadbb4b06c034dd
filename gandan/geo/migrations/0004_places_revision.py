"""A second counter, row 2 of ``geo_treerevision``, raised on every write to any unit, its
versions, changes or successions, villages included: what is inside a jurisdiction can be
kept between requests and is known to be current from one row read
(``geo.tree.places_fingerprint``, ``accounts.jurisdiction``). Row 1 still skips villages, so
that a new village does not make the analytics tree be loaded again."""

import importlib

from django.db import migrations

first = importlib.import_module("gandan.geo.migrations.0002_tree_revision")

PLACES = 2
BUMP = (
    "INSERT INTO geo_treerevision (id, revision, epoch) VALUES (2, 1, {random}) "
    "ON CONFLICT (id) DO UPDATE SET revision = geo_treerevision.revision + 1, epoch = {random}"
)
EVENTS = (("insert", "INSERT"), ("update", "UPDATE"), ("delete", "DELETE"))


def triggers_add(apps, schema_editor):
    connection = schema_editor.connection
    bump = BUMP.format(random=first.RANDOM.get(connection.vendor, "1"))
    with connection.cursor() as cursor:
        for table in first.TABLES:
            for event, verb in EVENTS:
                name = f"{table}_places_{event}"
                if connection.vendor == "postgresql":
                    # Triggers on one event fire in the order of their names, so every
                    # write takes row 2 ("…_places_…") before row 1 ("…_tree_…"): row 2 puts
                    # all writes to the tree in one order, and two never wait on each other
                    # crosswise (geo/tests/test_revision_locks.py).
                    cursor.execute(
                        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                        f"BEGIN {bump}; RETURN NULL; END $$"
                    )
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {verb} ON {table} FOR EACH ROW "
                        f"EXECUTE FUNCTION {name}()"
                    )
                else:
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {verb} ON {table} FOR EACH ROW "
                        f"BEGIN {bump}; END"
                    )
        cursor.execute(bump)


def triggers_remove(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for table in first.TABLES:
            for event, _verb in EVENTS:
                name = f"{table}_places_{event}"
                if schema_editor.connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                    cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute("DELETE FROM geo_treerevision WHERE id = 2")


class Migration(migrations.Migration):
    dependencies = [("geo", "0003_tree_revision_random")]

    operations = [migrations.RunPython(triggers_add, triggers_remove)]
