from django.conf import settings

PER_QUEUE_PERMISSION = getattr(settings, "DESK_PER_QUEUE_PERMISSION", False)
ALLOW_NON_STAFF = getattr(settings, "DESK_ALLOW_NON_STAFF", False)
