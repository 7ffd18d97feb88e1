"""Render the DRF response structs (translate/drf_types.GoStruct values) and the drfjson helper package; pure text."""

from __future__ import annotations

from ..templating import template_root
from .gofile import HEADER, go_file

DRFJSON_DIR = "drf/drfjson"


def serializers_go(structs: tuple, module: str) -> str:
    uses_drfjson = any("drfjson." in f.go_type for s in structs for f in s.fields)
    extra = (f"{module}/drfjson",) if uses_drfjson else ()
    return go_file("serializers/serializers.go", "drf/serializers.go.j2", module, extra_imports=extra,
                   header=HEADER, structs=structs)


def drf_files(structs: tuple, module: str) -> dict[str, str]:
    """{relative path: text}: the serializers package and the drfjson package it (and handlers) use."""
    files = {"serializers/serializers.go": serializers_go(structs, module)}
    for path in sorted((template_root() / DRFJSON_DIR).glob("*.go")):
        files[f"drfjson/{path.name}"] = path.read_text()
    return files


def drf_handler_files(module: str, q, views: dict) -> dict:
    """The migrated DRF viewsets (translate/drf_handlers' view-models) in http/drf_views.go, and what they use:
    the drfjson package and package main's row readers (drf_values.go)."""
    from . import GenFile

    files = {f"drfjson/{p.name}": GenFile(p.read_text()) for p in sorted((template_root() / DRFJSON_DIR).glob("*.go"))}
    files["http/drf_values.go"] = GenFile(go_file("http/drf_values.go", "drf/values.go.j2", module, q=q,
                                                       djauth=views.get("djauth", False)))
    files["http/drf_views.go"] = GenFile(go_file("http/drf_views.go", "drf/views.go.j2", module, q=q, **views))
    if any(v.get("writes") and v["writes"].get("gorm_delete") for v in views.get("views", ())):
        # destroys through the GORM layer's collector; a server built with -tags nogorm answers them 501
        for name, nogorm in (("drf_delete", False), ("drf_delete_nogorm", True)):
            files[f"http/{name}.go"] = GenFile(go_file(f"http/{name}.go", "drf/delete.go.j2", module, nogorm=nogorm,
                                                       views=views["views"]))
    return files
