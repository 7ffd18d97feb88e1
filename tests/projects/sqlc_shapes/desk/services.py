from django.db.models import Count, OuterRef, Subquery

from desk.models import Comment, Prefs, Ticket, Vote


def best_ticket(queue, related):
    # django-todo's tracker: only("id") with an annotation; Django selects the id and the count, and the
    # instance carries both (best.n)
    return (Ticket.objects.filter(queue=queue, comment__message_id__in=related)
            .annotate(n=Count("comment")).order_by("-n").only("id").first())


def add_cc(ticket: Ticket, user):
    # helpdesk's add_email_to_ticketcc_if_not_in: get() raises MultipleObjectsReturned on two rows or more
    cc, _ = ticket.cc_set.get_or_create(user=user)
    return cc


def cc_by_email(ticket: Ticket, email):
    # update_or_create starts with select_for_update().get(): the same multiplicity check
    cc, _ = ticket.cc_set.update_or_create(email=email, defaults={"user": None})
    return cc


def make_prefs(user):
    # helpdesk's create_usersettings: every other column is a default Django computes
    return Prefs.objects.create(user=user)


def has_voted(ticket: Ticket, voter):
    # helpdesk's kb vote(): contains(obj) is exists() filtered on obj's primary key
    return ticket.voted_by.contains(voter)


def vote(ticket: Ticket, up: bool):
    # organizations' OrganizationUserAddForm.save(): create(is_admin=<runtime bool>) with created=now
    # (BOOL_PARAMETER on main: the two compiles differ in the time as well as in the boolean)
    return Vote.objects.create(ticket=ticket, up=up)


def last_message_subquery():
    # helpdesk's last_followup_subquery(): a QuerySet inside Subquery() is part of the query that annotates
    # with it, never evaluated on its own (COMPILE_FAILED on main: Django refuses an OuterRef outside a subquery)
    return Subquery(Comment.objects.filter(ticket_id=OuterRef("id")).order_by("-id").values("message_id")[:1])


def add_comment(ticket: Ticket, message_id, now):
    # helpdesk's create_object_from_email_message: Ticket.objects.create(created=now) where created is
    # auto_now_add: save() writes the time over `now` (PARAMETER_NOT_FOUND on main)
    return Comment.objects.create(ticket=ticket, message_id=message_id, at=now)
