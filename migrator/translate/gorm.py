"""IR -> GORM view-models: every struct, field, tag, relation, hook and delete step, decided here.

Templates only lay these out. Nothing here touches disk or imports Django.
"""

from __future__ import annotations

from typing import Optional

from ..ir import Diagnostic, Field, Model, Project
from ..gostring import go_string
from .gorm_model import (Choices, Embed, GoField, GormModel, Struct, _tag, go_literal, imports_for)  # noqa: F401
from .gorm_steps import GormSteps
from .naming import Namer, pascal, snake
from .saves import INTS
from .types import RELATION_TYPES, field_go_type

INTEGER_FIELDS = ("IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                  "PositiveSmallIntegerField", "PositiveBigIntegerField")  # a key of a choices type too
ON_DELETE = ("CASCADE", "SET_NULL", "PROTECT", "RESTRICT", "SET_DEFAULT", "DO_NOTHING")


def translate_models(project: Project, user_types: Optional[dict] = None) -> "GormModel":
    """The GORM part of the translate stage: every concrete model's struct, embeds, on_delete steps, hooks."""
    return GormTranslator(project, user_types).translate()


class GormTranslator(GormSteps):
    """Structs, fields, tags and relations; the defaults, hooks and delete steps are GormSteps' (gorm_steps.py)."""

    def __init__(self, project: Project, user_types: Optional[dict] = None):
        self.project = project
        self.user_types = user_types or {}
        self.models = {m.label: m for m in project.models}
        self.concrete = sorted((m for m in project.models if m.kind in ("concrete", "unmanaged")),
                               key=lambda m: m.label)
        self.diagnostics: list[Diagnostic] = []
        self.struct_names = self._struct_names()
        self.embed_names: dict[str, str] = {}

    def _struct_names(self) -> dict[str, str]:
        """Model label -> struct name; the model name, prefixed by its app when two apps share it."""
        by_name: dict[str, list[Model]] = {}
        for m in self.concrete:
            by_name.setdefault(m.name, []).append(m)
        namer = Namer({"DB", "Open", "ProtectedError", "Config", "Save"})
        out = {}
        for m in self.concrete:
            base = pascal(m.name) if len(by_name[m.name]) == 1 else pascal(m.app_label) + pascal(m.name)
            out[m.label] = namer.take(base)
        return out

    def struct_of(self, label: str) -> str:
        m = self.models.get(label)
        if m is not None and m.kind == "proxy":
            label = m.proxy_for
        return self.struct_names.get(label, "")

    def pk_of(self, m: Model) -> Field:
        pk = m.field(m.pk)
        assert pk is not None, m.label
        return pk

    def go_type(self, m: Model, f: Field) -> Optional[str]:
        t = field_go_type(f, self.models, self.user_types)
        if t is None:
            return None
        return t.nullable if f.null and not f.primary_key else t.go

    # ------------------------------------------------------------------ structs

    def translate(self) -> GormModel:
        embeds: dict[str, Embed] = {}
        structs = [self.struct(m, embeds) for m in self.concrete]
        by_label = {s.label: s for s in structs}
        for m in self.concrete:
            self.deletes(m, by_label)
        imports: dict[str, list[str]] = {}
        return GormModel(structs=structs, embeds=[embeds[k] for k in sorted(embeds)],
                         imports_by_app=imports, diagnostics=self.diagnostics)

    def is_embedded(self, m: Model, f: Field) -> str:
        """The abstract base (of the project) whose embedded struct holds ``f``, or ''."""
        if not f.inherited_from or f.relation is not None or f.inherited_from in self.models:
            return ""
        base = next((b for b in self.project.models if b.kind == "abstract"
                     and f"{b.module}.{b.name}" == f.inherited_from), None)
        if base is None or not any(a.label == base.app_label and a.origin == "project" for a in self.project.apps):
            return ""
        return f.inherited_from

    def field_tag(self, m: Model, f: Field, go_type: str) -> list[str]:
        parts = [f"column:{f.column}"]
        if f.primary_key:
            parts.append("primaryKey")
            if f.internal_type.endswith("AutoField"):
                parts.append("autoIncrement")
            elif go_type.lstrip("*") in INTS or f.internal_type in INTEGER_FIELDS:
                # GORM takes any lone integer key for an auto-increment one and leaves a zero value out of
                # the INSERT; Django writes the key it is given, 0 included (PeriodicTasks.ident)
                parts.append("autoIncrement:false")
        db_type = f.db_type.get("postgresql") or f.db_type.get("sqlite")
        if db_type and f.relation is None and not f.internal_type.endswith("AutoField"):
            parts.append(f"type:{db_type}")
        if f.max_length and f.internal_type not in ("FileField", "ImageField") or (f.max_length and not db_type):
            parts.append(f"size:{f.max_length}")
        if not f.null and not f.primary_key:
            parts.append("not null")
        if f.unique and not f.primary_key:
            parts.append("uniqueIndex")
        elif f.db_index and not f.primary_key:
            parts.append("index")
        if f.auto_now:
            parts.append("autoUpdateTime")
        elif f.auto_now_add:
            parts.append("autoCreateTime")
        return parts

    def embed_fields(self, dotted: str, m: Model) -> list[GoField]:
        """The columns an abstract base's own class body declares (not those of its own abstract bases:
        each level of a chain is its own struct, so a concrete model never gets a column twice)."""
        base = next(b for b in self.project.models if b.kind == "abstract" and f"{b.module}.{b.name}" == dotted)
        fields = []
        for f in base.fields:
            if f.relation is not None or f.inherited_from:
                continue
            go_type = self.go_type(m, f)
            if go_type is None:
                continue
            fields.append(GoField(self.column_name(f), go_type, _tag(self.field_tag(m, f, go_type), f.name),
                                  django=f.name, internal=f.internal_type, places=f.decimal_places or 0))
        return fields

    def embed(self, dotted: str, m: Model, embeds: dict[str, Embed]) -> str:
        if dotted in embeds:
            return embeds[dotted].name
        base = next(b for b in self.project.models if b.kind == "abstract" and f"{b.module}.{b.name}" == dotted)
        name = Namer(set(self.struct_names.values()) | {e.name for e in embeds.values()}).take(pascal(base.name))
        embeds[dotted] = Embed(name=name, doc=f"{name} is the abstract base {dotted} ({base.file}:{base.line}).",
                               fields=self.embed_fields(dotted, m), app=base.app_label)
        return name

    @staticmethod
    def column_name(f: Field) -> str:
        return "ID" if f.primary_key and f.name == "id" else pascal(f.name)

    def embeddable(self, m: Model) -> set[str]:
        """The abstract bases whose struct ``m`` embeds: those whose every column reaches ``m`` unchanged. A
        base with a field that a subclass overrides, or one the type table cannot map, has its columns
        written into the struct instead (an embedded struct and a field of the same column would not build)."""
        groups: dict[str, set[str]] = {}
        for f in m.fields:
            dotted = self.is_embedded(m, f)
            if dotted:
                groups.setdefault(dotted, set()).add(f.name)
        return {d for d, names in groups.items() if names == {g.django for g in self.embed_fields(d, m)}}

    def struct(self, m: Model, embeds: dict[str, Embed]) -> Struct:
        name = self.struct_names[m.label]
        pk = self.pk_of(m)
        pk_go = self.go_type(m, pk) or "int64"
        where = f"{m.file}:{m.line}" if m.file else m.module
        kind = "unmanaged (not created by Django: schema.sql leaves it out)" if m.kind == "unmanaged" else ""
        s = Struct(name=name, label=m.label, table=m.db_table, app=m.app_label, managed=m.kind == "concrete",
                   hook_file=snake(name),
                   doc=f"{name} maps {m.label} ({where}) onto table {m.db_table}.{(' ' + kind) if kind else ''}",
                   pk_column=pk.column, pk_type=pk_go.lstrip("*"))
        namer = Namer({"TableName", "Valid", name})
        taken_embeds: list[str] = []
        embeddable = self.embeddable(m)
        for f in m.fields:  # embedded first: their promoted names are taken before any field of the struct
            embedded = self.is_embedded(m, f)
            if embedded in embeddable and self.embed(embedded, m, embeds) not in taken_embeds:
                taken_embeds.append(namer.take(embeds[embedded].name))
                for ef in embeds[embedded].fields:
                    namer.take(ef.name)
        for f in m.fields:
            if f.inherited_from in self.models and self.models[f.inherited_from].kind != "abstract" and not (
                    f.relation and f.relation.parent_link and f.relation.target in m.parents):
                continue  # multi-table inheritance: the parents' columns (their own parent links too) live in theirs
            embedded = self.is_embedded(m, f)
            if embedded in embeddable:
                if f.primary_key:
                    s.pk_field = self.column_name(f)
                go_type = self.go_type(m, f)
                if go_type is not None:  # defaults set through the promoted field (m.UUID = djtypes.NewUUID4())
                    self.default_for(m, f, s, self.column_name(f), go_type)
                continue
            if f.internal_type == "ManyToManyField":
                self.m2m_field(m, f, s, namer)
                continue
            go_type = self.go_type(m, f)
            if go_type is None:
                if f.relation is None:
                    self.diagnostics.append(Diagnostic(
                        code="UNKNOWN_FIELD_TYPE", file=f.file or m.file, line=f.line or m.line, column=5,
                        message=f"{m.label}.{f.name}: field type {f.internal_type} ({f.field_class}) has no Go mapping; "
                                f"the field is left out of {name}",
                        hint=f"map it in migrator.yaml: types: {{{f.internal_type}: {{go: ..., column: ...}}}}"))
                continue
            if f.choices and f.relation is None:
                go_type = self.choices_type(m, f, s, go_type)
            if f.relation is not None and f.internal_type in RELATION_TYPES:
                self.fk_field(m, f, s, namer, go_type)
                continue
            soft = any(mg.is_default and mg.soft_delete_field == f.name for mg in m.managers)
            gname = namer.take(self.column_name(f))
            tag = self.field_tag(m, f, go_type)
            comment = ""
            if soft and f.internal_type == "DateTimeField" and f.null:
                go_type, s.soft_delete = "gorm.DeletedAt", gname
                comment = f"soft delete: the default manager ({m.managers[0].class_path}) hides rows where it is set"
            s.fields.append(GoField(gname, go_type, _tag(tag, f.name), comment, f.name, f.internal_type,
                                    f.decimal_places or 0))
            if f.primary_key:
                s.pk_field = gname
            self.default_for(m, f, s, gname, go_type)
        s.embeds = taken_embeds
        self.reverse_fields(m, s, namer)
        s.order, s.order_note = self.ordering(m)
        self.hooks_for(m, s)
        return s

    def choices_type(self, m: Model, f: Field, s: Struct, go_type: str) -> str:
        base = go_type.lstrip("*")
        if base not in ("string", "int16", "int32", "int64"):
            return go_type
        tname = pascal(m.name) + pascal(f.choices_class or f.name)
        if any(c.type == tname for c in s.choices):
            return ("*" if go_type.startswith("*") else "") + tname
        namer = Namer()
        consts = []
        for c in f.choices:
            cname = namer.take(tname + pascal(c.name.lower() if c.name else str(c.value)))
            lit = go_string(c.value) if base == "string" else str(c.value)
            consts.append((cname, lit, c.label))
        s.choices.append(Choices(type=tname, base=base, consts=consts))
        return ("*" if go_type.startswith("*") else "") + tname

    def fk_field(self, m: Model, f: Field, s: Struct, namer: Namer, go_type: str) -> None:
        rel = f.relation
        target = self.struct_of(rel.target)
        id_name = namer.take(pascal(f.attname))
        parts = self.field_tag(m, f, go_type)
        if rel.kind == "one_to_one" and "uniqueIndex" not in parts and not f.primary_key:
            parts.append("uniqueIndex")
        note = f"{rel.kind.replace('_', ' ')} to {rel.target}, on_delete={rel.on_delete}"
        if rel.parent_link:
            note = f"multi-table inheritance: the {rel.target} row this row extends"
        s.fields.append(GoField(id_name, go_type, _tag(parts, f.name), note, f.name, f.internal_type))
        if f.primary_key:
            s.pk_field = id_name
        if target:
            ptr = namer.take(pascal(f.name))
            tmodel = self.models[rel.target]
            ref = self.pk_field_name(tmodel, rel.target_field)
            s.fields.append(GoField(ptr, "*" + target, f'`gorm:"foreignKey:{id_name};references:{ref}" json:"-"`',
                                    "belongs to"))

    def pk_field_name(self, m: Model, field_name: str) -> str:
        f = m.field(field_name) or self.pk_of(m)
        if f.relation is not None:
            return pascal(f.attname)
        return "ID" if f.primary_key and f.name == "id" else pascal(f.name)

    def m2m_field(self, m: Model, f: Field, s: Struct, namer: Namer) -> None:
        rel = f.relation
        target = self.struct_of(rel.target)
        if not target or not rel.join_table:
            return
        if rel.content_type_column:  # a plain join would also return other models' rows of the same table
            self.diagnostics.append(Diagnostic(
                code="GENERIC_RELATION_SKIPPED", severity="warning", file=f.file or m.file, line=f.line or m.line,
                column=5, message=f"{m.label}.{f.name}: many to many over the generic {rel.through} "
                f"({rel.join_table}.{rel.join_column} + {rel.content_type_column}) is left out of {s.name} "
                f"and of {target}",
                hint=f"read it through {self.struct_of(rel.through) or rel.through} with {rel.content_type_column} = "
                     f"the id of ({m.app_label}, {m.name.lower()}) in django_content_type"))
            return
        gname = namer.take(pascal(f.name))
        note = f"many to many over {rel.join_table}"
        if not rel.through_auto:
            note += f" (through {rel.through}: write rows through {self.struct_of(rel.through)}; this list is for reading)"
        s.fields.append(GoField(
            gname, "[]" + target,
            f'`gorm:"many2many:{rel.join_table};joinForeignKey:{rel.join_column};joinReferences:{rel.join_target_column}" json:"{f.name}"`',
            note, f.name, f.internal_type))
        s.m2m.append((gname, target, self.pk_field_name(self.models[rel.target], rel.target_field)))

    def reverse_fields(self, m: Model, s: Struct, namer: Namer) -> None:
        for accessor, label, fname, kind in m.reverse:
            other = self.models.get(label)
            if other is None or other.kind not in ("concrete", "unmanaged") or not accessor:
                continue
            of = other.field(fname)
            if of is None or of.relation is None or of.relation.parent_link or of.relation.target != m.label:
                continue  # a parent's reverse relations stay on the parent's struct
            target = self.struct_names[label]
            gname = namer.take(pascal(accessor))
            if kind == "many_to_many":
                rel = of.relation
                if not rel.join_table or rel.content_type_column:  # generic: reported at the forward field
                    continue
                s.fields.append(GoField(
                    gname, "[]" + target,
                    f'`gorm:"many2many:{rel.join_table};joinForeignKey:{rel.join_target_column};joinReferences:{rel.join_column}" json:"-"`',
                    f"reverse many to many {label}.{fname}"))
            else:
                fk = pascal(of.attname)
                ref = self.pk_field_name(m, of.relation.target_field)
                gtype = ("*" if kind == "one_to_one" else "[]") + target
                s.fields.append(GoField(gname, gtype, f'`gorm:"foreignKey:{fk};references:{ref}" json:"-"`',
                                        f"{'has one' if kind == 'one_to_one' else 'has many'}: {label}.{fname}"))

    def ordering(self, m: Model) -> tuple[str, str]:
        parts, skipped = [], []
        for o in m.ordering:
            desc = o.startswith("-")
            name = o.lstrip("-+")
            f = m.field(name)
            if name == "pk":
                f = self.pk_of(m)
            if f is None or "__" in name or o == "?" or not f.column or (
                    f.inherited_from in self.models and self.models[f.inherited_from].kind != "abstract"):
                skipped.append(o)  # across a relation, random, or a multi-table parent's column
                continue
            parts.append(f"{f.column} {'DESC' if desc else 'ASC'}")
        note = (f"not reproduced: {', '.join(skipped)} (across a relation, random, or a multi-table parent's column)"
                if skipped else "")
        return ", ".join(parts), note
