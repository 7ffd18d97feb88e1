"""Settings shared by the corpus shells: each shell's settings call ``shell_settings`` and add its apps.

A corpus shell is the smallest Django project a real app boots in: settings for SQLite (the default)
and PostgreSQL (``migrate parity --database`` builds those from the URL), a URLconf, and nothing else.
The app's own code is installed from PyPI at a pinned version (bench/corpus/requirements.txt).
"""

from pathlib import Path

CORE_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]


def shell_settings(settings_file: str, apps: list, **extra) -> dict:
    base = Path(settings_file).resolve().parent.parent
    values = dict(
        BASE_DIR=base,
        SECRET_KEY="corpus-shell-not-secret",
        DEBUG=True,
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=CORE_APPS + list(apps),
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        ROOT_URLCONF="shell.urls",
        TEMPLATES=[{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [],
            "APP_DIRS": True,
            "OPTIONS": {"context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]},
        }],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": base / "db.sqlite3"}},
        USE_TZ=True,
        TIME_ZONE="UTC",
        STATIC_URL="/static/",
        SITE_ID=1,
    )
    values.update(extra)
    return values
