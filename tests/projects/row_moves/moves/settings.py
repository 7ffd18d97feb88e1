from django.conf import settings

# django-scheduler's CHECK_EVENT_PERM_FUNC: a user setting, else this default; the view calls whichever function
# the name holds once Django is set up
CHECK_EVENT_PERM_FUNC = getattr(settings, "CHECK_EVENT_PERM_FUNC", None)

if not CHECK_EVENT_PERM_FUNC:

    def check_event_permission(ob, user):
        return user.is_authenticated

    CHECK_EVENT_PERM_FUNC = check_event_permission
