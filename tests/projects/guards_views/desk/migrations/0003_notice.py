from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("desk", "0002_ticket_owner")]

    operations = [
        migrations.CreateModel(
            name="Notice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created", models.DateTimeField()),
            ],
        ),
    ]
