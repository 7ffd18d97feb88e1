from django.db import migrations, models


def row_zero(apps, schema_editor):
    apps.get_model("beat", "Place").objects.create(id=0, domain="zero.example")


class Migration(migrations.Migration):

    dependencies = [("beat", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Place",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("domain", models.CharField(max_length=20, unique=True)),
            ],
        ),
        migrations.RunPython(row_zero, migrations.RunPython.noop),
    ]
