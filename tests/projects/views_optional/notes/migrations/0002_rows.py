"""The rows the parity test reads: notes with and without an author, ratings 1-5, days in 2024."""
from datetime import datetime, timezone

from django.db import migrations


def rows(apps, schema_editor):
    Author, Note = apps.get_model("notes", "Author"), apps.get_model("notes", "Note")
    ann = Author.objects.create(name="Ann")
    bo = Author.objects.create(name="Bo")
    for i in range(12):
        Note.objects.create(author=(ann, bo, None)[i % 3], rating=i % 5 + 1,
                            created_at=datetime(2024, 1 + i % 6, 1 + i, 23, 30, tzinfo=timezone.utc))


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]
    operations = [migrations.RunPython(rows, migrations.RunPython.noop)]
