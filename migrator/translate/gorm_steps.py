"""What a GORM struct does besides holding its row: the defaults it fills before a save, the hooks that stand for
save()/delete() overrides and signal receivers, and the steps its delete helper takes for each on_delete.
A mixin of translate.gorm's GormTranslator (it reads self.models and adds to self.diagnostics)."""

from __future__ import annotations

from ..ir import Diagnostic, Field, Model
from .gorm_model import DeleteStep, Hook, Struct, _zero_check, go_literal
from .naming import camel
from .saves import save_hook
from .saves_delete import delete_hook

# Python callables used as defaults that have an exact Go equivalent.
KNOWN_CALLABLES = {
    "uuid.uuid4": "djtypes.NewUUID4()",
    "django.utils.timezone.now": "djtypes.Now()",
    "dict": 'djtypes.JSON("{}")',
    "list": 'djtypes.JSON("[]")',
}
# ... where the field's Go type changes the value: a DateField keeps the date of what the callable returns
# (DateField.to_python), in UTC as everywhere in the generated code (USE_TZ)
KNOWN_CALLABLES_BY_TYPE = {
    ("django.utils.timezone.now", "djtypes.Date"): "djtypes.Today()",
    ("datetime.date.today", "djtypes.Date"): "djtypes.Today()",
}


class GormSteps:
    models: dict[str, Model]
    diagnostics: list[Diagnostic]

    def default_for(self, m: Model, f: Field, s: Struct, gname: str, go_type: str) -> None:
        d = f.default
        if d.kind == "literal":
            lit = go_literal(d.value, go_type)
            if lit is None:
                return
            base = go_type.lstrip("*")
            if base not in ("string", "bool", "int16", "int32", "int64", "float64", "decimal.Decimal",
                            "djtypes.JSON", "djtypes.Duration"):
                lit = f"{base}({lit})"  # typed choices
            s.defaults.append((gname, lit, go_type.startswith("*")))
        elif d.kind == "callable":
            expr = KNOWN_CALLABLES_BY_TYPE.get((d.callable, go_type.lstrip("*")), KNOWN_CALLABLES.get(d.callable))
            ptr = go_type.startswith("*")
            zero = f"m.{gname} == nil" if ptr else _zero_check(f"m.{gname}", go_type)
            if expr is None:
                fn = camel("default_" + m.name + "_" + f.name)
                s.user_defaults.append((fn, go_type.lstrip("*"), d.source or f"# {d.callable} (source not in the project)",
                                        d.callable))
                expr = f"{fn}()"
            if zero is None:
                return
            if ptr:  # on a nullable column nil is a value (None): the default is Django's at construction only
                s.defaults.append((gname, expr, True))
                return
            s.callable_defaults.append((gname, expr, zero))

    def hooks_for(self, m: Model, s: Struct) -> None:
        for h in m.hooks:
            if h.kind == "save_override":
                s.hooks.append(save_hook(h.source, f"{h.file}:{h.line}", s))
            elif h.kind == "delete_override":
                s.hooks.append(delete_hook(h.source, f"{h.file}:{h.line}", s))
            elif h.kind == "signal" and h.signal in ("pre_save", "post_save", "pre_delete", "post_delete"):
                method = camel(h.signal + "_" + h.name.rsplit(".", 1)[-1])
                s.hooks.append(Hook("signal", method, signal=h.signal, python=h.source, where=f"{h.file}:{h.line}"))
        for f in m.fields:  # a field class's own pre_save computes what a save writes: a stub BeforeSave calls
            owner = next((c[:-len(".pre_save")] for c in f.conversions if c.endswith(".pre_save")), "")
            if owner and f.column:
                s.hooks.append(Hook("field_pre_save", camel("pre_save_field_" + f.name), python=(
                    f"{f.name} = {owner.rsplit('.', 1)[-1]}(...)  # {owner}.pre_save(model_instance, add)"),
                    where=f"{f.file or m.file}:{f.line or m.line}", why=(
                    f"{owner}.pre_save computes in Python the value Django writes to {f.column} on every save (an "
                    f"INSERT, a save()'s UPDATE): set m's field to that value here (the sqlc writes of the column "
                    f"are reported FIELD_PRE_SAVE, not generated)")))

    # ------------------------------------------------------------------ on_delete

    def deletes(self, m: Model, by_label: dict[str, Struct]) -> None:
        s = by_label[m.label]
        steps: list[DeleteStep] = []
        for accessor, label, fname, kind in m.reverse:
            other = self.models.get(label)
            if other is None or other.kind not in ("concrete", "unmanaged"):
                continue
            of = other.field(fname)
            if of is None or of.relation is None or kind == "many_to_many" or of.relation.target != m.label:
                continue
            od = of.relation.on_delete
            os_ = by_label[label]
            where = f"{label}.{fname}"
            if od in ("CASCADE",):
                steps.append(DeleteStep("cascade", other.db_table, of.column, struct=os_.name,
                                        pk_column=os_.pk_column, pk_type=os_.pk_type, label=where,
                                        fn="delete" + os_.name))
            elif od in ("PROTECT", "RESTRICT"):
                steps.insert(0, DeleteStep("protect", other.db_table, of.column, label=where))
            elif od == "SET_NULL":
                steps.append(DeleteStep("set_null", other.db_table, of.column, label=where))
            elif od == "SET_DEFAULT":
                lit = "NULL"
                if of.default.kind == "literal" and of.default.value is not None:
                    lit = str(of.default.value) if isinstance(of.default.value, (int, float)) else repr(str(of.default.value))
                steps.append(DeleteStep("set_default", other.db_table, of.column, value=lit, label=where))
            elif od == "DO_NOTHING":
                steps.append(DeleteStep("do_nothing", other.db_table, of.column, label=where))
            else:
                self.diagnostics.append(Diagnostic(
                    code="ON_DELETE_UNSUPPORTED", severity="warning", file=of.file or other.file, line=of.line,
                    message=f"{where}: on_delete={od} is not reproduced by the generated delete helper",
                    hint="delete or update those rows yourself before calling Delete" + s.name))
        for f in m.fields:  # join rows of this model's own many-to-many fields, and reverse ones
            if f.relation and f.relation.kind == "many_to_many" and f.relation.through_auto and f.relation.join_table \
                    and f.inherited_from not in self.models:
                steps.append(DeleteStep("join", f.relation.join_table, f.relation.join_column, label=f"{m.label}.{f.name}"))
        for accessor, label, fname, kind in m.reverse:
            other = self.models.get(label)
            of = other.field(fname) if other else None
            if kind == "many_to_many" and of is not None and of.relation.through_auto and of.relation.join_table \
                    and of.relation.target == m.label:
                steps.append(DeleteStep("join", of.relation.join_table, of.relation.join_target_column,
                                        label=f"{label}.{fname}"))
        s.delete_steps = steps
        for f in m.fields:  # multi-table child: Django deletes the parent rows too
            if f.relation and f.relation.parent_link and f.inherited_from not in self.models:
                parent = by_label.get(f.relation.target)
                if parent is not None:
                    s.parent_delete = DeleteStep("parent", parent.table, parent.pk_column, struct=parent.name,
                                                 fn="delete" + parent.name, label=f.relation.target)
