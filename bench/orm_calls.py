"""An independent count of ORM calls, to measure the scanner's recall (bench/corpus.py).

It shares no code with ``migrator``: Django itself says which names are models, managers, related
accessors and QuerySet methods (``python bench/orm_calls.py PROJECT SETTINGS PACKAGE...`` boots it and
prints JSON), and a plain ``ast`` walk of each package's application code (no tests, no migrations)
counts every chain of calls that starts on a model manager, a related manager, a QuerySet held in a
local name, or ``get_object_or_404`` / ``get_list_or_404``. A chain ``M.objects.filter(...).first()``
counts once; its lines are recorded so a scanner site on any of them matches it.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import sys

SKIP = {"migrations", "tests", "__pycache__"}
# the methods whose result is a QuerySet again: a local name bound to one holds a QuerySet
QUERYSET_RESULT = {"all", "filter", "exclude", "order_by", "annotate", "alias", "values", "values_list", "distinct",
                   "select_related", "prefetch_related", "only", "defer", "using", "reverse", "none", "union",
                   "intersection", "difference", "select_for_update", "extra", "complex_filter", "get_queryset"}


def django_names() -> dict:
    import django
    from django.apps import apps
    from django.db.models import Manager, QuerySet

    django.setup()
    models, managers, accessors = set(), {"objects", "_default_manager", "_base_manager"}, set()
    for model in apps.get_models():
        models.add(model.__name__)
        managers.update(m.name for m in model._meta.managers)
        for f in model._meta.get_fields(include_hidden=False):
            if f.many_to_many or f.one_to_many:
                name = f.get_accessor_name() if f.auto_created and not f.concrete else f.name
                if name:
                    accessors.add(name)
    registry = sorted(m._meta.label for m in apps.get_models())
    methods = {n for cls in (QuerySet, Manager) for n in dir(cls) if not n.startswith("_")}
    methods -= {"model", "db", "query", "ordered", "name", "auto_created", "use_in_migrations", "creation_counter",
                "deconstruct", "check", "contribute_to_class", "db_manager", "from_queryset", "get_queryset"}
    return {"registry": registry, "models": sorted(models), "managers": sorted(managers), "accessors": sorted(accessors),
            "methods": sorted(methods | {"get_queryset"})}


def is_test(rel: str) -> bool:
    parts = rel.split("/")
    name = parts[-1]
    return ("tests" in parts[:-1] or name in ("tests.py", "conftest.py") or name.startswith("test_")
            or name.endswith("_tests.py"))


def package_files(package: str) -> list[tuple[str, str]]:
    """(path, package-relative display path) of the package's application code."""
    spec = importlib.util.find_spec(package)
    top = list(spec.submodule_search_locations)[0]
    base = os.path.dirname(top)
    out = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP)
        for f in sorted(filenames):
            if f.endswith(".py"):
                rel = os.path.relpath(os.path.join(dirpath, f), base).replace(os.sep, "/")
                if not is_test(rel):
                    out.append((os.path.join(dirpath, f), rel))
    return out


class Counter(ast.NodeVisitor):
    """Chains of ORM calls in one module; ``chains`` holds the line sets."""

    def __init__(self, names: dict):
        self.models = set(names["models"])
        self.managers = set(names["managers"])
        self.accessors = set(names["accessors"])
        self.methods = set(names["methods"])
        self.chains: list[tuple[list[int], str]] = []  # (lines, the chain's code)
        self.source = ""
        self.qs_vars: list[set[str]] = [set()]
        self.model_vars: set[str] = set()

    def is_model(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.models or node.id in self.model_vars
        if isinstance(node, ast.Attribute):
            return node.attr in self.models or node.attr == "model"
        if isinstance(node, ast.Call):  # get_user_model(), apps.get_model("a", "M")
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            return name in ("get_user_model", "get_model")
        return False

    def orm_receiver(self, node: ast.AST) -> bool:
        """Whether ``node.<method>(...)`` is an ORM call: a manager, a related manager, a QuerySet name or call."""
        if isinstance(node, ast.Attribute):
            if node.attr in self.managers and self.is_model(node.value):
                return True
            return node.attr in self.accessors
        if isinstance(node, ast.Name):
            return node.id in self.qs_vars[-1]
        return isinstance(node, ast.Call) and self.orm_call(node)

    def orm_call(self, node: ast.Call) -> bool:
        f = node.func
        if isinstance(f, ast.Name) and f.id in ("get_object_or_404", "get_list_or_404"):
            return True
        return isinstance(f, ast.Attribute) and f.attr in self.methods and self.orm_receiver(f.value)

    def chain_lines(self, node: ast.Call) -> list[int]:
        lines = []
        while isinstance(node, ast.Call):
            lines.append(node.lineno)  # where the whole chain starts
            f = node.func
            if isinstance(f, ast.Attribute):  # and the line of each method's name, for a chain over several lines
                lines.append(f.end_lineno)
            node = f.value if isinstance(f, ast.Attribute) else None
            while isinstance(node, (ast.Attribute, ast.Subscript)):
                node = node.value
        return lines

    def visit_FunctionDef(self, node):
        self.qs_vars.append(set())
        self.generic_visit(node)
        self.qs_vars.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign):
        v = node.value
        for t in node.targets:
            if isinstance(t, ast.Name):
                if (isinstance(v, ast.Call) and self.orm_call(v) and isinstance(v.func, ast.Attribute)
                        and v.func.attr in QUERYSET_RESULT):
                    self.qs_vars[-1].add(t.id)
                elif self.is_model(v) and not isinstance(v, ast.Name):
                    self.model_vars.add(t.id)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call):
        if self.orm_call(node):
            self.chains.append((self.chain_lines(node), ast.get_source_segment(self.source, node) or ""))
            self.visit_inner(node)  # arguments may hold chains of their own
            return
        self.generic_visit(node)

    def visit_inner(self, node: ast.Call):
        """Visit a chain's arguments, not its links (the links are part of this chain)."""
        while isinstance(node, ast.Call):
            for a in [*node.args, *(k.value for k in node.keywords)]:
                self.visit(a)
            f = node.func
            node = f.value if isinstance(f, ast.Attribute) else None
            while isinstance(node, (ast.Attribute, ast.Subscript)):
                if isinstance(node, ast.Subscript):
                    self.visit(node.slice)
                node = node.value


def count(packages: list[str], names: dict) -> list[dict]:
    out = []
    for package in packages:
        for path, rel in package_files(package):
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            c = Counter(names)
            c.source = text
            c.visit(tree)
            out += [{"file": rel, "lines": sorted(set(lines)), "text": code} for lines, code in c.chains]
    return out


def main() -> None:
    root, settings, packages = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3:]
    sys.path.insert(0, root)
    os.chdir(root)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    names = django_names()
    print(json.dumps({"registry": names["registry"], "calls": count(packages, names)}))


if __name__ == "__main__":
    main()
