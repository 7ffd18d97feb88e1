"""``migrate drf``: the project's DRF API as the tool reads it: serializers -> Go response types, and per
GET endpoint whether a Go handler can answer it with parity, or why it stays a stub.

The loader runs in its own process (Django boots once per process; ``python -m migrator.load.drf_views``)
and hands back plain JSON; the translate stage classifies and types it here.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .ir import Diagnostic, from_dict
from .ir_drf import DRFEndpoint, DRFSettings, DRFView
from .load import find_settings
from .load.drf_read import read, serializer_of
from .translate.drf_types import GoStruct, go_structs
from .translate.drf_views import endpoints, summary


@dataclass
class DRFReport:
    endpoints: list[DRFEndpoint] = field(default_factory=list)
    structs: tuple[GoStruct, ...] = ()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the loader's own diagnostics, rendered
    views: dict = field(default_factory=dict)  # routed view -> DRFView
    serializers: tuple = ()

    def text(self) -> str:
        lines = [summary(self.endpoints, self.views, self.serializers)]
        stubs = sum(len(s.stubs) for s in self.structs)
        lines.append(f"serializers: {len(self.structs)} Go response types, {stubs} stub fields")
        return "\n".join(lines + self.notes) + "\n"


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
    serializers = tuple(serializer_of(s) for s in data["serializers"])
    views = {k: from_dict(DRFView, v) for k, v in data["views"].items()}
    structs, diags = go_structs(serializers, DRFSettings(**data["settings"]))
    found = endpoints(data["routes"], views, serializers, data.get("roots"))
    return DRFReport(found, structs, diags, data["diagnostics"], views, serializers)
