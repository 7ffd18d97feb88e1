import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Owner",
            fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("name", models.CharField(max_length=40))],
        ),
        migrations.CreateModel(
            name="Book",
            fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("rank", models.PositiveIntegerField()),
                    ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="shelf.owner")),
                    ("code", models.CharField(max_length=10)),
                    ("flag", models.CharField(default="x", max_length=10)),
                    ("color_event", models.CharField(blank=True, max_length=10)),
                    ("note", models.CharField(blank=True, max_length=20, null=True))],
            options={"unique_together": {("owner", "code")}},
        ),
    ]
