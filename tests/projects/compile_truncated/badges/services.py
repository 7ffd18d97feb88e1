from .models import Badge


def rename_badge(name, code):
    # update_or_create: a SELECT, then an UPDATE or an INSERT that prepares `code` with int(); the compile step's
    # stand-in for `code` raises there, after the SELECT was sent: the sequence must not be translated as the SELECT
    # alone (that query would read and never write)
    return Badge.objects.update_or_create(name=name, defaults={"code": code})


def badge_by_name(name):
    return Badge.objects.filter(name=name).first()
