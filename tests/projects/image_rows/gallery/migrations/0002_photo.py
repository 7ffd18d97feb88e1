from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("gallery", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Photo",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("image", models.ImageField(blank=True, height_field="height", null=True, upload_to="photos",
                                            width_field="width")),
                ("width", models.SmallIntegerField(blank=True, null=True)),
                ("height", models.SmallIntegerField(blank=True, null=True)),
            ],
        ),
    ]
