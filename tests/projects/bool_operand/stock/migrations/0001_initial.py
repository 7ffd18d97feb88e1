from django.db import migrations, models


def one_item(apps, schema_editor):
    apps.get_model("stock", "Item").objects.create(id=1, name="bolt", stock=5)


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(name="Item", fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("name", models.CharField(max_length=40)),
            ("stock", models.IntegerField(default=0)),
        ]),
        migrations.RunPython(one_item, migrations.RunPython.noop),
    ]
