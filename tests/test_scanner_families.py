"""Site families the scanner did not find before (issue 12), on tests/projects/families: swappable model
getters, a model from a setting, lambdas, async methods, get_object_or_404 on a model the tool cannot name,
``queryset.model.objects``, every shape of a variable bound in branches, QuerySets used as values,
instances typed by a signal's sender, a ModelForm's Meta.model, an annotation or their name, ``cls.objects``,
uncalled manager methods handed on, ``union()`` and its kin; contrib's ``Site.objects.get_current()``, django-mptt's
tree methods of a node, django-taggit's tags managers, and the row a view's own method returns.

Each ``# site: <tag>`` comment names the line of exactly one site, with the row below; the whole list of
sites is also a golden file (update with --update-golden, then review the diff).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import GOLDEN
from migrator.ir import Model
from migrator.load import swappable
from test_scanner_recall import tagged_lines as recall_tags

PROJECT = Path(__file__).parent / "projects" / "families"
UNNAMED = ("", "get", "dynamic", "MODEL_FROM_VARIABLE")

# tag: (model, chain, kind, reason)
SITES = {
    "getter-module": ("club.Badge", "filter", "static", ""),  # Badge = get_badge_model() (app-settings object)
    "getter-inline": ("club.Member", "count", "static", ""),  # getattr(settings, ...) read into a local name
    "getter-404": ("club.Badge", "get", "static", ""),
    "getter-literal": ("club.Team", "filter.first", "static", ""),  # a getter wrapping a literal lookup
    "setting-lookup": ("", "count", "dynamic", "MODEL_FROM_VARIABLE"),
    "lambda": ("club.Member", "filter.count", "static", ""),
    "async": ("club.Member", "filter.count", "static", ""),  # acount() runs count()'s SQL
    "unnamed-404": UNNAMED,
    "queryset-model": ("", "filter.delete", "dynamic", "MODEL_FROM_VARIABLE"),
    "branch-else": ("club.Team", "order_by", "dynamic", "ASSIGNED_IN_BRANCHES"),
    "branch-eval": ("club.Team", "filter.iter", "dynamic", "ASSIGNED_IN_BRANCHES"),
    "ifexp-other": ("club.Team", "none", "dynamic", "ASSIGNED_IN_BRANCHES"),
    "ifexp-eval": ("club.Team", "all.count", "dynamic", "ASSIGNED_IN_BRANCHES"),
    "value-outer": ("club.Team", "filter", "unsupported", "QUERYSET_AS_VALUE"),
    "value-flow": ("club.Member", "filter.values", "unsupported", "QUERYSET_AS_VALUE"),
    "value-exists-outer": ("club.Team", "filter.count", "static", ""),  # Exists(M.objects...) written inline
    "receiver-kwargs": ("club.Member", "count", "static", ""),
    "receiver-param": ("club.Team", "exists", "static", ""),
    "named-last-word": ("club.Member", "count", "static", ""),
    "named-after-model": ("club.Team", "count", "static", ""),
    "named-m2m": ("club.Team", "count", "static", ""),
    "form-field": ("club.Member", "none", "static", ""),
    "form-instance": ("club.Member", "filter", "static", ""),
    "form-save": ("club.Member", "update", "static", ""),
    "classmethod": ("club.Team", "filter.first", "static", ""),  # cls.objects in a model's classmethod
    "uncalled": ("club.Team", "count", "static", ""),  # Team.objects.count handed on, called later
    "uncalled-args": ("club.Team", "filter", "dynamic", "PASSED_TO_HELPER"),  # its arguments come later
    "union-outer": ("club.Team", "filter.union", "static", ""),  # its operand written inline: one query
    "annotated": ("club.Member", "count", "static", ""),  # team: Team = load()
    "site-current": ("sites.Site", "get_current", "static", ""),  # a contrib manager's method: Django compiles it
    "tree-descendants": ("club.Section", "get_descendants.filter", "unsupported", "TREE_QUERY"),
    "tree-children": ("club.Section", "get_children.count", "unsupported", "TREE_QUERY"),  # on section.parent
    "tag-instance": ("taggit.Tag", "all", "static", ""),  # a row's tags: taggit's manager, compiled by Django
    "tag-model": ("taggit.Tag", "most_common", "unsupported", "TAG_MANAGER"),
    "method-sets": ("club.Team", "get", "static", ""),
    "method-qs-def": ("club.Member", "filter", "static", ""),
    "method-qs": ("club.Member", "filter.order_by.count", "static", ""),  # self.active_members(): its chain, then ours
    "method-return": ("club.Member", "filter", "static", ""),  # self.get_team().members: what get_team returns
    # club/more.py: the families of issue 12 without a test before
    "admin-get-queryset": ("club.Team", "all.filter", "static", ""),  # @admin.register(Team): super().get_queryset(request)
    "filterset-qs": ("club.Member", "filter", "dynamic", "PASSED_TO_HELPER"),  # a FilterSet filters at run time
    "list-or-404": ("club.Member", "filter", "static", ""),  # get_list_or_404(Model, ...)
    "default-manager": ("club.Team", "values_list", "static", ""),  # self.model._default_manager in a ListView
    "user-model-module": ("auth.User", "filter.exists", "static", ""),  # User = get_user_model()
    "user-model-wrapper": ("auth.User", "count", "static", ""),  # a project function returning get_user_model()
    "user-model-reexport": ("auth.User", "count", "static", ""),  # imported: Users = _user_model() in club/conf.py
    "user-model-alias": ("auth.User", "count", "static", ""),  # its getter imports get_user_model under another name
    "or-combined": ("club.Team", "filter", "unsupported", "COMBINED_QUERYSETS"),  # qs1 | qs2: reported
    "intersection": ("club.Team", "filter.intersection", "static", ""),  # its operand written inline: one query
    "difference": ("club.Team", "filter.difference", "static", ""),
    "subquery-value": ("club.Team", "annotate", "static", ""),  # Subquery(M.objects...) inline: part of the outer query
    "prefetch-value": ("club.Team", "prefetch_related", "dynamic", "DYNAMIC_FIELD"),  # Prefetch(queryset=...): reported
    "add-star": ("club.Team", "add", "dynamic", "DYNAMIC_FIELD"),  # add(*qs): the rows are read at run time
}


def tagged_lines() -> dict[str, tuple[str, int]]:
    return recall_tags(PROJECT, "club")


@pytest.fixture(scope="module")
def families():
    from migrator.analyze import analyze

    return analyze(PROJECT).project


def test_every_tag_has_a_row():
    assert set(tagged_lines()) == set(SITES)


@pytest.mark.slow
def test_sites(families):
    got = {}
    for tag, (file, line) in tagged_lines().items():
        found = [s for s in families.querysets if s.file == file and s.line == line]
        got[tag] = tuple((s.model, ".".join(c.method for c in s.chain), s.kind, s.reason) for s in found)
    assert got == {tag: (row,) for tag, row in SITES.items()}
    assert {(s.file, s.line) for s in families.querysets} == set(tagged_lines().values())  # nothing else


@pytest.mark.slow
def test_golden(families, update_golden):
    rows = [{"site": s.id, "function": s.function, "model": s.model, "chain": ".".join(c.method for c in s.chain),
             "kind": s.kind, "reason": s.reason, "explanation": s.explanation} for s in families.querysets]
    path = GOLDEN / "analyze" / "families_sites.json"
    if update_golden:
        path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert rows == json.loads(path.read_text(encoding="utf-8"))


def _model(name: str, module: str = "club.models") -> Model:
    return Model(app_label="club", name=name, db_table=name.lower(), kind="concrete", module=module, file="", line=1)


@pytest.mark.parametrize("key,expected", [
    ("CLUB_BADGE_MODEL", "Badge"),  # exact
    ("BADGE_MODEL", "Badge"),  # an app-settings key: the shortest prefix of the app's own names
    ("SPECIAL_BADGE_MODEL", "SpecialBadge"),
    ("GRANT_MODEL", None),  # two names with prefixes of one length: unresolved, never a guess
    ("TEAM_MODEL", None),  # no swappable model of that name
])
def test_setting_key_to_swappable_model(key, expected):
    names = {"CLUB_BADGE_MODEL": _model("Badge"), "CLUB_SPECIAL_BADGE_MODEL": _model("SpecialBadge"),
             "CLUB_A_GRANT_MODEL": _model("A"), "CLUB_B_GRANT_MODEL": _model("B"),
             "OTHER_TEAM_MODEL": _model("Team", "other.models")}
    got = swappable._by_key(key, "club", names)
    assert (got.name if got else None) == expected
