"""The gorm target: one models file per app, on_delete helpers, Open, hook scaffolds, the check program."""

from __future__ import annotations

from collections import defaultdict

from ..ir import Project
from . import Emitted, GenFile, Options
from .gofile import go_file


def emit_gorm(project: Project, options: Options) -> Emitted:
    gm = options.gorm  # translate.gorm.translate_models
    out = Emitted(diagnostics=list(gm.diagnostics))
    by_app = defaultdict(list)
    for s in gm.structs:
        by_app[s.app].append(s)
    for app in sorted(set(by_app) | {e.app for e in gm.embeds}):  # an app may hold only abstract bases
        path = f"gorm/models/{app}.go"
        embeds = [e for e in gm.embeds if e.app == app]
        used = " ".join(f.type for st in by_app[app] for f in st.fields)
        extra = tuple(i for name, u in options.user_types.items() if u.go.split(".")[-1] in used for i in u.imports)
        out.files[path] = GenFile(go_file(path, "gorm/models.go.j2", options.module, extra_imports=extra,
                                          structs=by_app[app], embeds=embeds))
    out.files["gorm/models/delete.go"] = GenFile(go_file("gorm/models/delete.go", "gorm/delete.go.j2", options.module,
                                                         structs=gm.structs))
    out.files["gorm/models/db.go"] = GenFile(go_file("gorm/models/db.go", "gorm/db.go.j2", options.module))
    out.files["gorm/models/save.go"] = GenFile(go_file("gorm/models/save.go", "gorm/save.go.j2", options.module))
    if "mysql" in options.dialects:  # registers itself in db.go's openers (mysql:// URLs)
        out.files["gorm/models/db_mysql.go"] = GenFile(go_file(
            "gorm/models/db_mysql.go", "gorm/db_mysql.go.j2", options.module))
    for tag in ("sqlite", "nosqlite"):  # the SQLite driver, left out by -tags nosqlite
        path = f"gorm/models/db_{tag}.go"
        out.files[path] = GenFile(go_file(path, f"gorm/db_{tag}.go.j2", options.module))
    for s in gm.structs:
        if any(not h.go for h in s.hooks) or s.user_defaults:  # ported save() overrides are in <app>.go
            path = f"gorm/models/hooks_{s.hook_file}.go"
            out.files[path] = GenFile(go_file(path, "gorm/hooks.go.j2", options.module, s=s), scaffold=True)
    out.files["gorm/cmd/gormcheck/main.go"] = GenFile(go_file(
        "gorm/cmd/gormcheck/main.go", "gorm/gormcheck.go.j2", options.module, structs=gm.structs,
        canon=_canon_rows(gm)))
    stubs = sum(sum(1 for h in s.hooks if not h.go) + len(s.user_defaults) for s in gm.structs)
    ported = sum(1 for s in gm.structs for h in s.hooks if h.go and h.kind == "save_override")
    refusing = sum(1 for s in gm.structs for h in s.hooks if h.go and h.kind == "delete_override")
    out.notes.append(f"gorm: {len(gm.structs)} structs, {sum(1 for s in gm.structs if s.delete_steps)} with on_delete "
                     f"emulation, {ported} save() overrides ported, "
                     + (f"{refusing} delete() overrides ported, " if refusing else "")
                     + f"{stubs} Python hooks left as stubs")
    return out


def _canon_rows(gm) -> dict:
    """Per struct, the fields gormcheck prints canonically, by Django field name (embedded ones promoted)."""
    embeds = {e.name: e for e in gm.embeds}
    return {s.name: sorted([f for e in s.embeds for f in embeds[e].fields] + [f for f in s.fields if f.django],
                           key=lambda f: f.django)
            for s in gm.structs}
