"""The drf_api project with sessions, DRF tokens and permission classes (tests/test_drf_access.py):
`--settings api.settings_auth`."""

from .settings import *  # noqa: F401,F403
from .settings import INSTALLED_APPS

INSTALLED_APPS = INSTALLED_APPS + ["django.contrib.sessions", "rest_framework.authtoken"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware"]
ROOT_URLCONF = "api.urls_auth"
