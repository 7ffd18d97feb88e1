"""Corpus shell for machina: the app from PyPI (bench/corpus/requirements.txt), booted as a project would."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # bench/corpus: the shared corpus_base
from corpus_base import shell_settings  # noqa: E402

globals().update(shell_settings(__file__, ['mptt', 'haystack', 'widget_tweaks', 'machina', 'machina.apps.forum', 'machina.apps.forum_conversation', 'machina.apps.forum_conversation.forum_attachments', 'machina.apps.forum_conversation.forum_polls', 'machina.apps.forum_feeds', 'machina.apps.forum_moderation', 'machina.apps.forum_search', 'machina.apps.forum_tracking', 'machina.apps.forum_member', 'machina.apps.forum_permission']))

# the search index is a real Whoosh index kept current by signal receivers: analysis must not touch it
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
                                    "PATH": str(BASE_DIR / "whoosh_index")}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.RealtimeSignalProcessor"
MIDDLEWARE = MIDDLEWARE + ["machina.apps.forum_permission.middleware.ForumPermissionMiddleware"]
TEMPLATES[0]["OPTIONS"]["context_processors"].append("machina.core.context_processors.metadata")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
          "machina_attachments": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                  "LOCATION": "/tmp/machina_attachments"}}
