"""On PostgreSQL, the audit log refuses UPDATE and DELETE at the database (ADR 0015): not
even a bug, a shell or the admin can rewrite history. TRUNCATE (a test database's flush,
a restore into an empty database) is not a row change and still works. SQLite has no
such guard; there the application is the only writer."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Nhật ký thao tác chỉ được ghi thêm: không sửa, không xóa.'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0002_worker_queue")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
