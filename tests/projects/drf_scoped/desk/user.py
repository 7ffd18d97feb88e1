"""The app's permission model over request.user (django-helpdesk's HelpdeskUser, cut down)."""

from django.db.models import Q

from desk import conf
from desk.models import Ticket


class DeskUser:
    def __init__(self, user):
        self.user = user

    def has_full_access(self):
        if self.user.is_superuser:
            return True
        if conf.PER_QUEUE_PERMISSION:
            return False
        if self.user.is_staff:
            return True
        allow = conf.ALLOW_NON_STAFF
        if callable(allow):
            return bool(allow(self.user))
        return bool(allow) and self.user.is_authenticated and self.user.is_active

    def accessible_tickets_q(self):
        if self.has_full_access():
            return Q()
        if not self.user.is_authenticated:
            return Q(pk__in=[])
        reachable = Q(assigned_to=self.user)
        if conf.PER_QUEUE_PERMISSION:
            reachable |= Q(queue__permission_name__in=self.user.get_all_permissions())
        return reachable

    def accessible_tickets(self):
        return Ticket.objects.filter(self.accessible_tickets_q())
