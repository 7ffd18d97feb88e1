"""Corpus shell for oauth2_provider: the app from PyPI (bench/corpus/requirements.txt), booted as a project would."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # bench/corpus: the shared corpus_base
from corpus_base import shell_settings  # noqa: E402

globals().update(shell_settings(__file__, ['oauth2_provider']))
