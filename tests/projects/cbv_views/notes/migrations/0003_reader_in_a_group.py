from django.db import migrations


def reader(apps, schema_editor):
    """A signed-in user of the http check (the first ordinary user) in the group of the first card's board: can_read's
    `card.board.group in user.groups.all()` is True for someone who is not a superuser, so the check sees both sides."""
    Group, User = apps.get_model("auth", "Group"), apps.get_model("auth", "User")
    Board, Card = apps.get_model("notes", "Board"), apps.get_model("notes", "Card")
    group = Group.objects.create(name="readers")
    user = User.objects.create(username="reader", password="!", is_active=True)
    user.groups.add(group)
    Card.objects.create(title="readable", board=Board.objects.create(name="shared", group=group))


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("notes", "0002_board_card"),
    ]

    operations = [migrations.RunPython(reader, migrations.RunPython.noop)]
