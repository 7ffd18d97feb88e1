"""Per-queue permissions on: what a staff user sees depends on request.user (a stub, the value named)."""

from .settings import *  # noqa: F401,F403

DESK_PER_QUEUE_PERMISSION = True
