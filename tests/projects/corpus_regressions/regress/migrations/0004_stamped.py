import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("regress", "0003_comment"),
    ]

    operations = [
        migrations.CreateModel(
            name="Stamped",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name="StampedChild",
            fields=[
                ("stamped_ptr", models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE,
                                                     parent_link=True, primary_key=True, serialize=False,
                                                     to="regress.stamped")),
                ("note", models.CharField(blank=True, max_length=20)),
            ],
            bases=("regress.stamped",),
        ),
    ]
