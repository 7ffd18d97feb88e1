"""QuerySets refined or bound in branches: translated exactly (optional filters) or reported with a reason.

A table of small in-memory sources, scanned with a hand-built model index (no Django process): each row
gives, per site in source order, (kind, reason, chain, conditions). Issue 12: before the branch merge
these were reported static or conditional and translated into a different query without a word.
"""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from migrator.ir import App, Field, Manager, Model
from migrator.load.positions import Positions
from migrator.load.scanner import FileScanner, Helpers, Index

_MGR = (Manager(name="objects", class_path="django.db.models.Manager", is_default=True),)
_PK = (Field(name="id", attname="id", column="id", internal_type="AutoField", field_class="x", primary_key=True),)
MODELS = [Model(app_label="dash", name=n, db_table=f"dash_{n.lower()}", kind="concrete", module="dash.models",
                file="dash/models.py", line=i + 1, managers=_MGR, fields=_PK) for i, n in enumerate(("Event", "Tag"))]
INDEX = Index.build([App(label="dash", name="dash", path="dash")], MODELS)
HEAD = "from django.db.models import Q\nfrom .models import Event, Tag\nfrom . import charts\n"


def scan(body: str, module: str = "dash.views", helpers: Helpers | None = None):
    src = HEAD + textwrap.dedent(body)
    pos = Positions(cst.parse_module(src))
    return FileScanner(INDEX, pos, module.replace(".", "/") + ".py", module, False, helpers).scan()


def rows(body: str, **kw):
    return [(s.kind, s.reason, ".".join(c.method for c in s.chain), sorted({c.condition for c in s.chain if c.condition}))
            for s in scan(body, **kw)]


CASES = {
    # --- the three shapes of issue 12
    "assigned_in_if_and_else": ("""
        def f(owner, x):
            if owner:
                qs = Event.objects.filter(Q(a=x) | Q(a=None)).order_by("-t")
            else:
                qs = Event.objects.order_by("-t")
            return list(qs)
        """, [("dynamic", "ASSIGNED_IN_BRANCHES", "order_by", []),  # the else shape, a site of its own
              ("dynamic", "ASSIGNED_IN_BRANCHES", "filter.order_by.iter", ["owner"])]),
    "refined_in_if_and_else": ("""
        def f(n):
            q = Event.objects.all()
            if n:
                q = q.filter(n=n)
            else:
                q = q.exclude(kind__in=["a", "b"])
            return list(q)
        """, [("dynamic", "BRANCH_DEPENDENT", "all.exclude", []),  # the else shape
              ("dynamic", "BRANCH_DEPENDENT", "all.filter.iter", ["n"])]),
    "passed_to_helper": ("""
        def f(request):
            qs = Event.objects.filter(user=request.user)
            return charts.daily(qs)
        """, [("dynamic", "PASSED_TO_HELPER", "filter", [])]),
    "chain_passed_to_helper": ("""
        def f(request):
            return charts.daily(Event.objects.filter(user=request.user), Event.objects.count())
        """, [("dynamic", "PASSED_TO_HELPER", "filter", []), ("static", "", "count", [])]),
    "passed_to_own_method": ("""
        class V:
            def get(self, request):
                qs = Event.objects.all()
                return self.paginate(qs)
        """, [("dynamic", "PASSED_TO_HELPER", "all", [])]),
    "value_handed_to_own_method": ("""
        class T:
            def test(self):
                qs = Event.objects.all()
                self.assertEqual(1, qs.count())
        """, [("static", "", "all.count", [])]),
    "subquery_in_own_queryset_method": ("""
        class EventQuerySet:
            def public(self):
                return self.exclude(tag__in=Tag.objects.filter(staff=True).values("name"))
        """, [("static", "", "filter.values", [])]),
    "evaluated_by_builtin": ("""
        def f():
            qs = Event.objects.all()
            return len(qs), sorted(qs)
        """, [("static", "", "all.iter", []), ("static", "", "all.iter", [])]),
    # --- the one exact conditional shape: if <value given>: filter on that value
    "optional_filter": ("""
        def f(q, since=None):
            qs = Event.objects.all()
            if q:
                qs = qs.filter(name__icontains=q)
            if since is not None:
                qs = qs.filter(day__gte=since)
            return list(qs)
        """, [("conditional", "CONDITIONAL_FILTER", "all.filter.filter.iter", ["q", "since is not None"])]),
    "optional_filter_after_all": ("""
        def f(q):
            qs = Event.objects
            if q:
                qs = qs.all().filter(name=q)
            return list(qs.all())
        """, [("conditional", "CONDITIONAL_FILTER", "all.filter.all", ["q"])]),
    "distinct_under_flag": ("""
        def f(flag):
            qs = Event.objects.all()
            if flag:
                qs = qs.distinct()
            return list(qs)
        """, [("dynamic", "CONDITIONAL_SHAPE", "all.distinct.iter", ["flag"])]),
    "optional_q_or": ("""
        def f(q):
            qs = Event.objects.all()
            if q:
                qs = qs.filter(Q(name__icontains=q) | Q(body__icontains=q))
            return list(qs)
        """, [("conditional", "CONDITIONAL_FILTER", "all.filter.iter", ["q"])]),
    "optional_value_derived_from_test": ("""
        def f(request):
            qs = Event.objects.all()
            if request.GET.get("q"):
                q = request.GET["q"]
                qs = qs.filter(name=q)
            return list(qs)
        """, [("conditional", "CONDITIONAL_FILTER", "all.filter.iter", ['request.GET.get("q")'])]),
    "if_refines_elif_leaves_alone": ("""
        def f(a, b):
            qs = Event.objects.all()
            if a:
                qs = qs.filter(x=a)
            elif b:
                print(b)
            return list(qs)
        """, [("conditional", "CONDITIONAL_FILTER", "all.filter.iter", ["a"])]),
    # --- conditions an optional filter cannot express
    "literal_filter_under_flag": ("""
        def f(in_stock):
            qs = Event.objects.all()
            if in_stock:
                qs = qs.filter(stock__gt=0)
            return list(qs)
        """, [("dynamic", "FLAG_CONDITION", "all.filter.iter", ["in_stock"])]),
    "test_on_another_value": ("""
        def f(include_mine, user):
            qs = Event.objects.all()
            if include_mine:
                qs = qs.filter(owner=user)
            return list(qs)
        """, [("dynamic", "FLAG_CONDITION", "all.filter.iter", ["include_mine"])]),
    "second_value_not_tested": ("""
        def f(x, y):
            qs = Event.objects.all()
            if x:
                qs = qs.filter(a=x, b=y)
            return list(qs)
        """, [("dynamic", "FLAG_CONDITION", "all.filter.iter", ["x"])]),
    "test_checks_more_than_the_values": ("""
        def f(x, y):
            qs = Event.objects.all()
            if x and y:
                qs = qs.filter(a=x)
            return list(qs)
        """, [("dynamic", "FLAG_CONDITION", "all.filter.iter", ["x and y"])]),
    "two_values_under_one_test": ("""
        def f(x, y):
            qs = Event.objects.all()
            if x is not None and y:
                qs = qs.filter(a=x, b=y)
            return list(qs)
        """, [("dynamic", "FLAG_CONDITION", "all.filter.iter", ["x is not None and y"])]),
    "q_and_of_two_values": ("""
        def f(x, y):
            qs = Event.objects.all()
            if x and y:
                qs = qs.filter(Q(a=x) & Q(b=y))
            return list(qs)
        """, [("dynamic", "FLAG_CONDITION", "all.filter.iter", ["x and y"])]),
    "one_value_two_lookups": ("""
        def f(x):
            qs = Event.objects.all()
            if x is not None:
                qs = qs.filter(a__gte=x, b__lte=x + 1)
            return list(qs)
        """, [("conditional", "CONDITIONAL_FILTER", "all.filter.iter", ["x is not None"])]),
    "comparison_test": ("""
        def f(status):
            qs = Event.objects.all()
            if status != "all":
                qs = qs.filter(status=status)
            return list(qs)
        """, [("dynamic", "FLAG_CONDITION", "all.filter.iter", ['status != "all"'])]),
    "negated_test": ("""
        def f(x):
            qs = Event.objects.all()
            if not x:
                qs = qs.filter(a=x)
            return list(qs)
        """, [("dynamic", "FLAG_CONDITION", "all.filter.iter", ["not x"])]),
    "q_with_literal_leaf": ("""
        def f(x):
            qs = Event.objects.all()
            if x:
                qs = qs.filter(Q(a=x) | Q(a=None))
            return list(qs)
        """, [("dynamic", "FLAG_CONDITION", "all.filter.iter", ["x"])]),
    "conditional_exclude": ("""
        def f(x):
            qs = Event.objects.all()
            if x:
                qs = qs.exclude(a=x)
            return list(qs)
        """, [("dynamic", "CONDITIONAL_SHAPE", "all.exclude.iter", ["x"])]),
    "conditional_order_by": ("""
        def f(x):
            qs = Event.objects.filter(a=x)
            if x:
                qs = qs.order_by("-t")
            return list(qs)
        """, [("dynamic", "CONDITIONAL_SHAPE", "filter.order_by.iter", ["x"])]),
    "nested_conditions": ("""
        def f(a, b):
            qs = Event.objects.all()
            if a:
                if b:
                    qs = qs.filter(x=b)
            return list(qs)
        """, [("dynamic", "BRANCH_DEPENDENT", "all.filter.iter", ["b"])]),
    # --- elif, else, a different model
    "elif_chain": ("""
        def f(status):
            qs = Event.objects.all()
            if status == "draft":
                qs = qs.filter(placed_at__isnull=True)
            elif status:
                qs = qs.filter(status=status)
            return list(qs)
        """, [("dynamic", "BRANCH_DEPENDENT", "all.filter", []),  # the elif shape
              ("dynamic", "BRANCH_DEPENDENT", "all.filter.iter", ['status == "draft"'])]),
    "elif_only_refines": ("""
        def f(a, b):
            qs = Event.objects.all()
            if a:
                print(a)
            elif b:
                qs = qs.filter(x=b)
            return list(qs)
        """, [("dynamic", "BRANCH_DEPENDENT", "all.filter.iter", ["b"])]),
    "else_only_refines": ("""
        def f(a):
            qs = Event.objects.all()
            if a:
                print(a)
            else:
                qs = qs.filter(x=a)
            return list(qs)
        """, [("dynamic", "BRANCH_DEPENDENT", "all.filter.iter", ["not (a)"])]),
    "branch_with_other_model": ("""
        def f(tags):
            qs = Event.objects.all()
            if tags:
                qs = Tag.objects.all()
            return list(qs)
        """, [("dynamic", "ASSIGNED_IN_BRANCHES", "all.iter", [])]),
    "conditional_expression": ("""
        def f(flag):
            qs = Event.objects.filter(a=1) if flag else Event.objects.all()
            return list(qs)
        """, [("dynamic", "ASSIGNED_IN_BRANCHES", "all", []),  # the other arm, a site of its own
              ("dynamic", "ASSIGNED_IN_BRANCHES", "filter.iter", [])]),
    # --- try / except
    "refined_in_try_handler_goes_on": ("""
        def f(v):
            qs = Event.objects.all()
            try:
                qs = qs.filter(pk=int(v))
            except ValueError:
                pass
            return list(qs)
        """, [("dynamic", "BRANCH_DEPENDENT", "all.filter.iter", ["try"])]),
    "refined_in_try_handler_returns": ("""
        def f(v):
            qs = Event.objects.all()
            try:
                qs = qs.filter(pk=int(v))
            except ValueError:
                return []
            return list(qs)
        """, [("static", "", "all.filter.iter", [])]),
    "refined_in_handler": ("""
        def f(v):
            qs = Event.objects.all()
            try:
                n = int(v)
            except ValueError:
                qs = qs.none()
            return list(qs)
        """, [("dynamic", "BRANCH_DEPENDENT", "all.none.iter", ["except ValueError"])]),
    # --- loops
    "refined_in_for": ("""
        def f(tags):
            qs = Event.objects.all()
            for t in tags:
                qs = qs.filter(tags=t)
                print(qs.count())
            return list(qs)
        """, [("dynamic", "REFINED_IN_LOOP", "all.filter.count", []),
              ("dynamic", "REFINED_IN_LOOP", "all.filter.iter", [])]),
    "refined_in_while": ("""
        def f(n):
            qs = Event.objects.all()
            while n:
                qs = qs.filter(level__lt=n)
                n -= 1
            return list(qs)
        """, [("dynamic", "REFINED_IN_LOOP", "all.filter.iter", [])]),
    "refined_before_break": ("""
        def f(tags):
            qs = Event.objects.all()
            for t in tags:
                if t:
                    qs = qs.filter(tags=t)
                    break
            return list(qs)
        """, [("dynamic", "REFINED_IN_LOOP", "all.filter.iter", [])]),
    "fresh_chain_per_iteration": ("""
        def f(tags):
            for t in tags:
                qs = Event.objects.filter(tags=t)
                print(list(qs))
        """, [("static", "", "filter.iter", [])]),
    "refined_in_for_else": ("""
        def f(tags, x):
            qs = Event.objects.all()
            for t in tags:
                if t == x:
                    break
            else:
                qs = qs.filter(a=x)
            return list(qs)
        """, [("dynamic", "BRANCH_DEPENDENT", "all.filter.iter", ["else of `for t in tags`"])]),
    # --- with, early return, sites inside a branch
    "refined_in_with": ("""
        from django.db import transaction
        def f(x):
            qs = Event.objects.all()
            with transaction.atomic():
                qs = qs.filter(a=x)
            return list(qs)
        """, [("static", "", "all.filter.iter", [])]),
    "early_return_in_other_branch": ("""
        def f(x):
            qs = Event.objects.all()
            if x:
                qs = qs.filter(a=x)
            else:
                return []
            return list(qs)
        """, [("static", "", "all.filter.iter", [])]),
    "early_return_guard": ("""
        def f(x):
            if not x:
                return []
            qs = Event.objects.filter(a=x)
            return list(qs)
        """, [("static", "", "filter.iter", [])]),
    "site_inside_the_branch": ("""
        def f(flag):
            qs = Event.objects.all()
            if flag:
                qs = qs.filter(active=True)
                return list(qs)
            return list(qs)
        """, [("static", "", "all.filter.iter", []), ("static", "", "all.iter", [])]),
    "bound_in_one_branch_only": ("""
        def f(x):
            if x:
                qs = Event.objects.filter(a=x)
            else:
                qs = None
            return list(qs) if qs is not None else []
        """, [("static", "", "filter.iter", []), ("static", "", "filter.iter", [])]),
    "other_branch_unfollowed_value": ("""
        def f(q):
            if not q:
                qs = Event.objects.none()
            else:
                qs = Event.objects.unknown_method(q)
            return qs.order_by("name")
        """, [("dynamic", "ASSIGNED_IN_BRANCHES", "none.order_by", ["not q"])]),
    # --- QuerySets combined with | and &: the evaluated query is the combination, never one operand
    "combined_then_evaluated": ("""
        def f(x):
            qs = Event.objects.filter(a=x)
            qs = qs | Event.objects.filter(b=x)
            return list(qs)
        """, [("unsupported", "COMBINED_QUERYSETS", "filter.iter", [])]),
    "combined_in_place": ("""
        def f(x):
            qs = Event.objects.filter(a=x)
            qs |= Event.objects.filter(b=x)
            return qs.count()
        """, [("unsupported", "COMBINED_QUERYSETS", "filter.count", [])]),
    "combined_inline": ("""
        def f(x):
            return (Event.objects.filter(a=x) & Event.objects.filter(b=x)).count(), Q(a=1) | Q(b=2)
        """, [("unsupported", "COMBINED_QUERYSETS", "filter", [])]),
    # --- match
    "refined_in_match_case": ("""
        def f(kind, x):
            qs = Event.objects.all()
            match kind:
                case "a":
                    qs = qs.filter(a=x)
                case _:
                    pass
            return list(qs)
        """, [("dynamic", "BRANCH_DEPENDENT", "all.filter.iter", ['case "a"'])]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_branches(name):
    body, expected = CASES[name]
    assert rows(body) == expected


def test_explanations_name_both_places():
    other, site = scan(CASES["assigned_in_if_and_else"][0])
    assert "dash/views.py:7 (if owner)" in site.explanation and "dash/views.py:9 (else)" in site.explanation
    assert (other.line, other.explanation) == (9, site.explanation)  # the else shape, at its binding
    other, site = scan(CASES["refined_in_if_and_else"][0])
    assert "dash/views.py:8 (if n)" in site.explanation and "dash/views.py:10 (else)" in site.explanation
    assert (other.line, other.explanation) == (10, site.explanation)


CHARTS = """
from django.db.models import Count
from django.db.models.functions import TruncDate


def daily(qs):
    return list(qs.annotate(day=TruncDate("created_at")).values_list("day").annotate(n=Count("id")).order_by("day"))


def rows(items, title=""):
    return [{"title": title, "id": e.id} for e in items] if items else [len(items)]
"""


def project_helpers() -> Helpers:
    return Helpers.build([("dash/charts.py", "dash.charts", Positions(cst.parse_module(CHARTS)))])


def test_helper_location_from_the_project():
    (site,) = scan(CASES["passed_to_helper"][0], helpers=project_helpers())
    assert site.reason == "PASSED_TO_HELPER"
    assert "`charts.daily()` (dash/charts.py:6)" in site.explanation and "dash/views.py:7" in site.explanation


def test_helper_that_only_iterates_is_a_full_evaluation():
    """``rows(items)`` only iterates, tests and len()s its argument: the site is the QuerySet evaluated whole."""
    got = rows("""
        def f(x):
            qs = Event.objects.filter(a=x)
            return charts.rows(qs), charts.rows(items=qs, title="t"), charts.daily(qs)
        """, helpers=project_helpers())
    assert got == [("static", "", "filter.iter", []), ("static", "", "filter.iter", []),
                   ("dynamic", "PASSED_TO_HELPER", "filter", [])]


def test_third_party_callee_still_evaluates():
    """Django and libraries are not the project's helpers: list-like use stays a full evaluation."""
    got = rows("""
        from django.core.paginator import Paginator
        def f():
            qs = Event.objects.all()
            return Paginator(qs, 20)
        """)
    assert got == [("static", "", "all.iter", [])]


def test_every_new_reason_is_documented():
    from migrator import querysets as Q

    for code in ("BRANCH_DEPENDENT", "FLAG_CONDITION", "CONDITIONAL_SHAPE", "PASSED_TO_HELPER"):
        assert Q.REASONS[code][0] == "dynamic"
