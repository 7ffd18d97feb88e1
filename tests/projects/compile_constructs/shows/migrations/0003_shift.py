from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('shows', '0002_plugins'),
    ]

    operations = [
        migrations.CreateModel(
            name='Shift',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('length', models.DurationField(null=True)),
            ],
        ),
    ]
