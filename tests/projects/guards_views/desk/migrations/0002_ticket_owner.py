from django.conf import settings
from django.db import migrations, models


def shared_tickets(apps, schema_editor):
    """Rows for nyt_mark's update (django-nyt's mark_read shape): tickets 1..4, none owned."""
    Ticket = apps.get_model("desk", "Ticket")
    for n in range(1, 5):
        Ticket.objects.create(title=f"shared {n}")


class Migration(migrations.Migration):

    dependencies = [
        ("desk", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="owner",
            field=models.ForeignKey(blank=True, null=True, on_delete=models.deletion.SET_NULL,
                                    to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(shared_tickets, migrations.RunPython.noop),
    ]
