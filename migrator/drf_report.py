"""``migrate drf``: the project's DRF API as the tool reads it: serializers -> Go response types, and per
GET endpoint whether a Go handler can answer it with parity, or why it stays a stub.

The loader runs in its own process (Django boots once per process; ``python -m migrator.load.drf_views``)
and hands back plain JSON; the translate stage classifies and types it here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .ir import Diagnostic
from .ir_drf import DRFEndpoint, DRFSettings, DRFView, Serializer, SerializerField
from .load import find_settings, load_timeout
from .translate.drf_types import GoStruct, go_structs
from .translate.drf_views import endpoints, summary


@dataclass
class DRFReport:
    endpoints: list[DRFEndpoint] = field(default_factory=list)
    structs: tuple[GoStruct, ...] = ()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the loader's own diagnostics, rendered

    def text(self) -> str:
        lines = [summary(self.endpoints)]
        stubs = sum(len(s.stubs) for s in self.structs)
        lines.append(f"serializers: {len(self.structs)} Go response types, {stubs} stub fields")
        return "\n".join(lines + self.notes) + "\n"


def _tuples(d: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}


def _serializer(d: dict) -> Serializer:
    fields = tuple(SerializerField(**_tuples(f)) for f in d.pop("fields"))
    return Serializer(fields=fields, **d)


def read(root: Path, settings: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parent.parent),
                                                          os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-m", "migrator.load.drf_views", str(root), "--settings", settings],
                          cwd=root, capture_output=True, text=True, timeout=load_timeout(), env=env)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "the loader failed")
    return json.loads(proc.stdout)


def drf_report(root: Path | str, settings: Optional[str] = None) -> DRFReport:
    root = Path(root).resolve()
    if settings is None:
        settings, diags = find_settings(root)
        if settings is None:
            return DRFReport(diagnostics=diags)
    try:
        data = read(root, settings)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return DRFReport(diagnostics=[Diagnostic("DRF_LOAD", f"the DRF loader failed: {exc}", str(root))])
    serializers = tuple(_serializer(s) for s in data["serializers"])
    views = {k: DRFView(**_tuples(v)) for k, v in data["views"].items()}
    structs, diags = go_structs(serializers, DRFSettings(**data["settings"]))
    return DRFReport(endpoints(data["routes"], views, serializers), structs, diags, data["diagnostics"])
