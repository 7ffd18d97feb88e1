"""The same project with a ROOT_URLCONF that imports from nowhere."""
from .settings import *  # noqa: F401,F403

ROOT_URLCONF = "nowhere.urls"
