from django.core.management import call_command
from django.db import migrations


def sqlite_view(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":  # only one backend gets the view
        schema_editor.execute("CREATE VIEW edge_gadget_view AS SELECT id, name FROM edge_gadget")


def drop_view(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP VIEW edge_gadget_view")


def cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("edge", "0001_initial")]
    operations = [
        migrations.RunPython(sqlite_view, drop_view),
        migrations.RunPython(cache_table, migrations.RunPython.noop),
    ]
