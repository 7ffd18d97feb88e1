"""The DRF loader's JSON (``python -m migrator.load.drf_views``, in its own process: Django boots once per
process) and the frozen IR made of it; used by ``migrate drf`` and by the view translator's DRF handlers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ..ir import from_dict
from ..ir_drf import RowFields, Serializer, SerializerField
from . import load_timeout


def tuples_of(d: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}


def serializer_of(d: dict) -> Serializer:
    fields = tuple(SerializerField(**tuples_of(f)) for f in d.pop("fields"))
    rows = d.pop("rows", None)
    return Serializer(fields=fields, rows=from_dict(RowFields, rows) if rows else None, **d)


def read(root: Path, settings: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parent.parent.parent),
                                                          os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-m", "migrator.load.drf_views", str(root), "--settings", settings],
                          cwd=root, capture_output=True, text=True, timeout=load_timeout(), env=env)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "the loader failed")
    return json.loads(proc.stdout)


