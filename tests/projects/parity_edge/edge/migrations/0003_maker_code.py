from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("edge", "0002_view_and_cache")]
    operations = [
        migrations.AddField("maker", "code", models.CharField(max_length=8, null=True)),
        migrations.AlterField("maker", "code", models.CharField(max_length=8, unique=True, null=True)),
    ]
