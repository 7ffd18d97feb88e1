from .models import Comment, Node, StampedChild


def nodes(name=None, parent_name=None):
    """An optional filter over a column is exact; over a nullable foreign key, the join it needs would
    drop the nodes without a parent even when no parent name is given (the sample's profile__newsletter)."""
    qs = Node.objects.all()
    if name:
        qs = qs.filter(name=name)
    if parent_name:
        qs = qs.filter(parent__name=parent_name)
    return list(qs.values("id", "name"))


def named(name=None):
    qs = Node.objects.order_by("id")
    if name:
        qs = qs.filter(name__startswith=name)
    return list(qs.values("id", "name"))


def by_state(active):
    """A runtime boolean: Django writes `col` / `NOT col`; the query compares with a parameter."""
    return list(Node.objects.filter(active=active).values("id"))


def children_of(parent, owner):
    """wiki's ArticleSubscription filter in miniature: two runtime values whose lookups start alike were
    both named `parent` and bound to one sqlc parameter."""
    return list(Node.objects.filter(parent__name=parent.name, parent__parent__name=owner.name).values("id"))


def named_in(names, active):
    """django-todo's tracker query in miniature: a parameter after an `__in` list. sqlc's SQLite code numbers
    it as if the list were one value, so with two names it bound the second name to `active`."""
    return list(Node.objects.filter(name__in=names, active=active).values("id"))


def first_named_in(names, n):
    """A LIMIT after the list: sqlc numbers it after the list's items, so it is named first in the WHERE."""
    return list(Node.objects.filter(name__in=names).values("id")[:n])


def add_comment(node, body):
    return Comment.objects.create(node=node, body=body).pk


def stamped(note):
    """wiki's ArticleSubscription get_or_create: the INSERT of a multi-table child's own table (statement 3)."""
    return StampedChild.objects.get_or_create(note=note)[0].pk
