from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shelf", "0001_initial")]

    operations = [
        migrations.AlterField(model_name="book", name="rank", field=models.PositiveIntegerField(blank=True, null=True)),
        migrations.AlterUniqueTogether(name="book", unique_together={("owner", "code", "flag")}),
    ]
