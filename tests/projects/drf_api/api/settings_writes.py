"""The drf_api project with its writable API only (tests/test_drf_writes.py): `--settings api.settings_writes`."""

from .settings import *  # noqa: F401,F403

ROOT_URLCONF = "api.urls_writes"
