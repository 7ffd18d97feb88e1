"""Corpus shell for wiki: the app from PyPI (bench/corpus/requirements.txt), booted as a project would."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # bench/corpus: the shared corpus_base
from corpus_base import shell_settings  # noqa: E402

globals().update(shell_settings(__file__, ['django.contrib.sites', 'django.contrib.humanize', 'django_nyt', 'mptt', 'sekizai', 'sorl.thumbnail', 'wiki', 'wiki.plugins.attachments', 'wiki.plugins.notifications', 'wiki.plugins.images', 'wiki.plugins.macros']))
TEMPLATES[0]["OPTIONS"]["context_processors"].append("sekizai.context_processors.sekizai")
