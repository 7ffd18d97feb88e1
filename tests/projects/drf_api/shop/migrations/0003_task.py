from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0002_note'),
    ]

    operations = [
        migrations.CreateModel(
            name='Task',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=50)),
                ('spent', models.DurationField()),
                ('pause', models.DurationField(null=True)),
                ('attachment', models.FileField(blank=True, upload_to='tasks/')),
            ],
        ),
    ]
