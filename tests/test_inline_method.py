"""A custom manager method whose body is not one chain, followed with the call site's arguments
(load.inline_method): the chain it builds, exactly, or the reason it cannot be followed (the site then
stays CUSTOM_METHOD). Table tests on in-memory sources; the shape is django-postman's inbox_unread_count."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from migrator.load.inline_method import Runtime, Stop, chain_text, follow

POSTMAN = '''
OPTION_MESSAGES = pgettext_lazy('postman_url', 'm')
STATUS_ACCEPTED = 'a'

class MessageManager(models.Manager):
    def _folder(self, related, filters, option=None, order_by=None, query_dict=None):
        """Base code."""
        qs = self.all() if option == OPTION_MESSAGES else QuerySet(self.model, PostmanQuery(self.model))
        if related:
            qs = qs.select_related(*related)
        if order_by:
            qs = qs.order_by(order_by)
        if isinstance(filters, (list, tuple)):
            lookups = models.Q()
            for filter in filters:
                lookups |= models.Q(**filter)
        else:
            lookups = models.Q(**filters)
        if option == OPTION_MESSAGES:
            qs = qs.filter(lookups)
        else:
            qs = qs.annotate(count=RawSQL('x', ()))
        return qs

    def inbox(self, user, with_related=True, **kwargs):
        related = ('sender',) if with_related else None
        filters: dict = {
            'recipient': user,
            'recipient_archived': False,
            'moderation_status': STATUS_ACCEPTED,
        }
        query_dict = kwargs.get('query_dict')
        if query_dict and 'unread' in query_dict:
            filters['read_at__isnull'] = True
        return self._folder(related, filters, **kwargs)

    def inbox_unread_count(self, user):
        return self.inbox(user, with_related=False, option=OPTION_MESSAGES).filter(read_at__isnull=True).count()

    def with_related(self, user):
        return self.inbox(user)

    def by_flag(self, user):
        return self.filter(owner=user) if user.is_staff else self.none()

    def by_truth(self, user):
        return self.filter(owner=user) if user else self.none()

    def by_attr(self, user):
        return self.filter(owner=user.profile)

    def looped(self, users):
        for u in users:
            pass
        return self.all()

    def folder_other(self, user):
        return self._folder(None, {'sender': user})

    def not_a_chain(self, user):
        return 3

    def aliased(self, user):
        filters = {'owner': user}
        other = filters
        filters['active'] = True
        return self.filter(**other)

    def defaulted(self, user, extra={}):
        extra['owner'] = user
        return self.filter(**extra)

    def same_user(self, user):
        return self.filter(owner=user) if {'a': user} == {'a': user} else self.none()

    def keyed(self, user):
        return self.filter(**{user: 1})

    def public(self, *args, **kwargs):  # django-activity-stream's ActionManager.public
        kwargs['public'] = True
        return self.filter(*args, **kwargs)

    def public_of(self, user):
        return self.public(Q(owner=user), active=False)

    def guarded(self, user):
        try:
            return self.all()
        except Exception:
            return self.none()
'''


def _follow(method: str, *args):
    module = cst.parse_module(textwrap.dedent(POSTMAN))
    classes = {f"app.models.{c.name.value}": (c, (), "") for c in module.body if type(c) is cst.ClassDef}
    constants = {a.targets[0].target.value: module.code_for_node(a.value) for st in module.body
                 if type(st) is cst.SimpleStatementLine for a in st.body if type(a) is cst.Assign}
    return chain_text(follow(classes, {"app.models": constants}, ("app.models.MessageManager",), method,
                             [("", a) for a in args]), method)


USER = Runtime("request.user")
Q_INBOX = "Q(recipient=request.user, recipient_archived=False, moderation_status='a')"


@pytest.mark.parametrize("method,expected", [
    # postman's JSON endpoint: _folder's OPTION_MESSAGES branch (a constant computed at import equals itself)
    ("inbox_unread_count", [("all", []), ("filter", [("", Q_INBOX)]), ("filter", [("read_at__isnull", "True")]),
                            ("count", [])]),
    # option None against a constant computed at import: undecided, never guessed
    # *args and **kwargs handed on: positionals first, then the keywords the body added
    ("public_of", [("filter", [("", "Q(owner=request.user)"), ("active", "False"), ("public", "True")])]),
    ("with_related", "compares a module constant whose value is computed at import"),
    ("folder_other", "compares a module constant whose value is computed at import"),
])
def test_followed_chain(method, expected):
    if isinstance(expected, str):
        with pytest.raises(Stop, match=expected):
            _follow(method, USER)
    else:
        assert _follow(method, USER) == expected


@pytest.mark.parametrize("method,reason", [
    ("by_truth", "a test whose outcome is decided at run time"),  # a branch on the runtime value
    ("by_flag", "`user.is_staff` is not a value the tool follows"),  # an attribute of it
    ("by_attr", "`user.profile` is not a value the tool follows"),
    ("looped", "a `for` statement"),
    ("guarded", "a `try` statement"),
    ("not_a_chain", "returns no QuerySet chain"),
    ("defaulted", "changes a parameter's default value"),  # Python shares it between calls
    ("same_user", "compares a value known only at run time"),  # a container holding the runtime value
    ("keyed", "as a dict key"),
    ("missing", "its source was not scanned"),
])
def test_not_followed(method, reason):
    with pytest.raises(Stop, match=reason):
        _follow(method, USER)


def test_literal_argument_decides_the_branch():
    """``inbox(user, with_related=False)`` with a literal query_dict: the `unread` branch is taken."""
    module_src = POSTMAN + '''
    def unread_inbox(self, user):
        return self.inbox(user, with_related=False, option=OPTION_MESSAGES, query_dict={'unread': '1'})
'''.replace("\n    def", "\n    def")
    module = cst.parse_module(textwrap.dedent(module_src))
    classes = {f"app.models.{c.name.value}": (c, (), "") for c in module.body if type(c) is cst.ClassDef}
    constants = {a.targets[0].target.value: module.code_for_node(a.value) for st in module.body
                 if type(st) is cst.SimpleStatementLine for a in st.body if type(a) is cst.Assign}
    got = chain_text(follow(classes, {"app.models": constants}, ("app.models.MessageManager",), "unread_inbox",
                            [("", USER)]), "unread_inbox")
    assert got == [("all", []), ("filter", [("", Q_INBOX[:-1] + ", read_at__isnull=True)")])]


def test_a_dict_changed_in_place_is_seen_through_every_name():
    """``other = filters`` then ``filters[k] = v``: Python changes the one dict both names hold."""
    assert _follow("aliased", USER) == [("filter", [("owner", "request.user"), ("active", "True")])]
