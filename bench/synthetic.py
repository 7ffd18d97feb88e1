"""Synthetic Django projects of N models, for the speed benchmarks.

Each model has a handful of typed fields and a ForeignKey to the model before it; each has one
QuerySet site in its app's views.py (filter + order_by + values, with a conditional refinement on
every third model). Apps hold at most 100 models each, as large projects split them.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

MODELS_PER_APP = 100


def _model(i: int, first: bool) -> str:
    fk = "" if first else f'    parent = models.ForeignKey("Model{i - 1}", on_delete=models.CASCADE, related_name="children", null=True)\n'
    return (
        f"class Model{i}(models.Model):\n"
        f"    name = models.CharField(max_length=100, db_index=True)\n"
        f"    slug = models.SlugField(unique=True)\n"
        f"    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)\n"
        f"    active = models.BooleanField(default=True)\n"
        f"    created = models.DateTimeField(auto_now_add=True)\n"
        f"    payload = models.JSONField(null=True)\n"
        f"{fk}"
        f"\n    class Meta:\n        ordering = [\"name\"]\n\n\n"
    )


def _view(i: int) -> str:
    body = f"    qs = Model{i}.objects.filter(active=True, price__gte=minimum)\n"
    if i % 3 == 0:
        body += "    if name:\n        qs = qs.filter(name__icontains=name)\n"
    body += '    return list(qs.order_by("-created").values("id", "name", "price")[:20])\n'
    return f"def view_{i}(minimum, name=None):\n{body}\n\n"


def make_project(root: Path, n: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    apps = [list(range(start, min(start + MODELS_PER_APP, n))) for start in range(0, n, MODELS_PER_APP)]
    labels = [f"app{k}" for k in range(len(apps))]
    (root / "manage.py").write_text(textwrap.dedent("""\
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synth.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)
        """))
    (root / "synth").mkdir(exist_ok=True)
    (root / "synth" / "__init__.py").write_text("")
    (root / "synth" / "settings.py").write_text(textwrap.dedent(f"""\
        SECRET_KEY = "bench"
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
        INSTALLED_APPS = {labels!r}
        DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}}}
        """))
    for label, ids in zip(labels, apps):
        app = root / label
        app.mkdir(exist_ok=True)
        (app / "__init__.py").write_text("")
        models = "from django.db import models\n\n\n" + "".join(_model(i, i == ids[0]) for i in ids)
        (app / "models.py").write_text(models)
        imports = ", ".join(f"Model{i}" for i in ids)
        views = f"from .models import ({imports})\n\n\n" + "".join(_view(i) for i in ids)
        (app / "views.py").write_text(views)
    return root


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("dir", type=Path)
    p.add_argument("-n", type=int, default=100)
    a = p.parse_args()
    print(make_project(a.dir, a.n))
