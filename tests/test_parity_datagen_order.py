"""The order parity's generated data fills models in (migrator/parity/datagen.py _order): a foreign key's
target first, nullable keys included unless a cycle forces a break. todo.Task's nullable task_list sorted
before todo.TaskList, so every generated task had no list and a write of one (InsertMessageTaskCreate) found
no list to point at on either side: nothing was ever compared."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from migrator.parity.datagen import _order


def _model(label: str):
    meta = SimpleNamespace(label=label, concrete_fields=[], get_parent_list=lambda: [])
    m = SimpleNamespace(_meta=meta)
    meta.concrete_model = m
    return m


def _fk(source, target, null: bool) -> None:
    source._meta.concrete_fields.append(SimpleNamespace(is_relation=True, related_model=target, null=null))


def _labels(models) -> list[str]:
    return [m._meta.label for m in _order(models)]


def test_a_nullable_keys_target_comes_first():
    task, task_list, user = _model("todo.Task"), _model("todo.TaskList"), _model("auth.User")
    _fk(task, task_list, null=True)
    _fk(task, user, null=False)
    assert _labels([task, task_list, user]) == ["auth.User", "todo.TaskList", "todo.Task"]


def test_a_cycle_is_broken_at_its_nullable_key():
    a, b = _model("x.A"), _model("x.B")
    _fk(a, b, null=False)  # A needs B
    _fk(b, a, null=True)   # B may point at A
    assert _labels([a, b]) == ["x.B", "x.A"]


def _ir(parents=(), targets=()):
    fields = [SimpleNamespace(relation=SimpleNamespace(target=t, kind="foreign_key")) for t in targets]
    return SimpleNamespace(fields=fields, parents=tuple(parents))


def test_deletes_go_before_what_a_cascade_reaches_through_a_child():
    """wiki: deleting a Subscription cascades to its ArticleSubscription and that child's ArticlePlugin parent
    row, so the ArticlePlugin delete goes first (after it, Django's get() raised DoesNotExist while Go's
    DELETE of the gone row deleted nothing). A RevisionPluginRevision and the ArticlePlugin reach each other
    (a RevisionPlugin child and its current_revision): a cycle, broken between them, still before the
    Subscription."""
    from migrator.parity.checks_models import _children_first

    models = {"nyt.Subscription": _ir(), "wiki.ArticlePlugin": _ir(),
              "wiki.ArticleSubscription": _ir(parents=["wiki.ArticlePlugin"], targets=["nyt.Subscription"]),
              # its current_revision: a cycle with RevisionPluginRevision
              "wiki.RevisionPlugin": _ir(parents=["wiki.ArticlePlugin"], targets=["wiki.RevisionPluginRevision"]),
              "wiki.RevisionPluginRevision": _ir(targets=["wiki.RevisionPlugin"])}
    deletes = [{"op": "delete", "model": m, "pk": 1} for m in
               ("nyt.Subscription", "wiki.ArticlePlugin", "wiki.RevisionPluginRevision")]
    assert [d["model"] for d in _children_first(deletes, models)] == [
        "wiki.ArticlePlugin", "wiki.RevisionPluginRevision", "nyt.Subscription"]


def test_a_duration_parameter_without_a_field_gets_a_duration():
    """schedule: `original_start=F("original_start") + dts`, dts a timedelta with no field of its own. With no
    value for the kind, the parameter was NULL: Django wrote NULL (IntegrityError) where Go added a zero
    duration, and the update was never compared."""
    from migrator.parity.values import fixture_value, go_value

    us = fixture_value("duration", "", {})
    assert isinstance(us, int) and us > 0
    param = SimpleNamespace(transform="", is_list=False, optional=False, kind="duration")
    assert go_value(param, us, {}) == "P0DT01H00M00.000001S"


def _field(name: str, internal: str, primary_key=False, auto_created=False, is_relation=False):
    return SimpleNamespace(name=name, primary_key=primary_key, auto_created=auto_created, is_relation=is_relation,
                           get_internal_type=lambda: internal)


def test_a_declared_auto_primary_key_is_left_to_the_database():
    """oauth2_provider declares `id = models.BigAutoField(primary_key=True)` on its six models: not
    auto_created, so the generator asked for a BigAutoField value, found none, and skipped every row
    ("no generator for BigAutoField"): no application, no token, and SaveIDTokenIDTokenCreate never wrote."""
    from migrator.parity.datagen import generated_fields

    for internal in ("BigAutoField", "AutoField", "SmallAutoField"):
        model = SimpleNamespace(_meta=SimpleNamespace(concrete_fields=[
            _field("id", internal, primary_key=True), _field("jti", "UUIDField"), _field("code", "CharField")]))
        assert [f.name for f in generated_fields(model)] == ["jti", "code"]
    natural = SimpleNamespace(_meta=SimpleNamespace(concrete_fields=[
        _field("code", "CharField", primary_key=True), _field("n", "BigIntegerField")]))
    assert [f.name for f in generated_fields(natural)] == ["code", "n"]  # a natural key is generated


def test_a_json_field_with_a_list_default_gets_lists():
    """oauth2_provider's ResourceJSONField (default=list) refuses anything but a list of URI strings when it
    is saved: the generated dicts skipped every Grant, AccessToken and RefreshToken row."""
    import random

    from migrator.parity.datagen_values import field_value

    def json_field(default):
        return SimpleNamespace(get_internal_type=lambda: "JSONField", unique=False, is_relation=False, choices=(),
                               null=False, has_default=lambda: default is not None, get_default=lambda: default)

    listed = [field_value(json_field([]), random.Random(0), row, {}, {}) for row in range(5)]
    assert all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in listed), listed
    assert listed[0] == [] and len(listed[1]) == 2  # empty, and several values
    assert all(isinstance(field_value(json_field(None), random.Random(0), row, {}, {}), dict) for row in range(5))


@pytest.mark.slow
def test_declared_big_auto_keys_and_list_json_fields_get_rows(tmp_path):
    """tests/projects/parity_keys, oauth2_provider's shape: before, every row of both models was skipped
    ("no generator for BigAutoField"; then "Resource must be a list of URI strings")."""
    from conftest import REPO, django_side

    project, db = REPO / "tests" / "projects" / "parity_keys", str(tmp_path / "keys.sqlite3")
    django_side(project, "keysproj.settings", db, "migrate")
    made = django_side(project, "keysproj.settings", db, "generate", "0", "5")
    assert made["rows"].get("tokens.Client") == 5 and made["rows"].get("tokens.Token") == 5, made
    assert not [s for s in made["skipped"] if s.startswith("tokens.")], made["skipped"]
    tokens = django_side(project, "keysproj.settings", db, "dump")["tokens.Token"]
    assert all(isinstance(t["resource"], list) for t in tokens), tokens
    # the models check's update of the first token: Django saves it (it raised on the object written before)
    import json

    from migrator.parity.checks_models import _changed

    field = SimpleNamespace(internal_type="JSONField", field_class="tokens.models.ListJSONField", choices=())
    op = {"op": "update", "model": "tokens.Token", "pk": tokens[0]["id"],
          "values": {"resource": _changed(field, tokens[0]["resource"])}}
    (tmp_path / "ops.json").write_text(json.dumps([op]))
    assert django_side(project, "keysproj.settings", db, "apply", str(tmp_path / "ops.json")) == [{"pk": op["pk"]}]


def test_a_cron_field_gets_a_small_number_per_column():
    """celery_beat's CrontabSchedule: its validators accept cron fields only, so every generated row (and the
    plain-letters fallback) was refused and the table stayed empty (60 query survivors on reads of it)."""
    from migrator.parity.datagen_values import small_number_text

    fields = [SimpleNamespace(name=n, get_internal_type=lambda: "CharField") for n in ("minute", "hour", "dom")]
    meta = SimpleNamespace(concrete_fields=fields)
    for f in fields:
        f.model = SimpleNamespace(_meta=meta)

    def cron(field, value):  # "" when accepted, else the problem (datagen_values.valid's contract)
        return "" if value == "*" or (value.isdigit() and int(value) <= 6) else "not a cron field"

    row = [small_number_text(f, 0, cron) for f in fields]
    assert row == ["1", "2", "3"]  # one per column: a column read for another shows
    assert small_number_text(fields[0], 0, lambda f, v: "" if v == "*" else "no") == "*"


def SET_NULL():  # noqa: N802 - named as django.db.models' on_delete functions, which cycle_keys reads
    pass


def CASCADE():  # noqa: N802
    pass


def _key(source, target, null: bool = True, one_to_one: bool = False, name: str = "k", on_delete=SET_NULL):
    related = SimpleNamespace(_meta=SimpleNamespace(concrete_model=target))
    f = SimpleNamespace(name=name, attname=f"{name}_id", is_relation=True, related_model=related, null=null,
                        one_to_one=one_to_one, remote_field=SimpleNamespace(parent_link=False, on_delete=on_delete))
    source._meta.concrete_fields.append(f)
    return f


def test_the_keys_a_cycle_left_null_are_those_to_a_model_filled_later():
    """oauth2_provider's AccessToken.source_refresh_token and machina's Topic.first_post / last_post: their
    target is filled after them (its own key points back), so every generated row held NULL there and the
    mutants of those columns survived (`source_refresh_token_id = ?1 LIMIT 1 -> 0`, first_post_id read for
    last_post_id). Only those keys are set at the end: a key whose target came first already points at one."""
    from migrator.parity.datagen_cycles import cycle_keys

    topic, post, user = _model("forum.Topic"), _model("forum.Post"), _model("auth.User")
    first, last = _key(topic, post, name="first_post"), _key(topic, post, name="last_post")
    _key(topic, user, null=False, name="poster")
    _key(post, topic, null=False, name="topic")
    _key(post, user, name="updated_by")  # nullable, but its target comes first
    ordered = _order([topic, post, user])
    assert [m._meta.label for m in ordered] == ["auth.User", "forum.Topic", "forum.Post"]
    assert cycle_keys(ordered) == [(topic, first), (topic, last)]
    # wiki's Article.current_revision: CASCADE both ways, set like any other (the Go delete collects each row once)
    article, revision = _model("wiki.Article"), _model("wiki.ArticleRevision")
    current = _key(article, revision, one_to_one=True, name="current_revision", on_delete=CASCADE)
    _key(revision, article, null=False, name="article", on_delete=CASCADE)
    assert cycle_keys(_order([article, revision])) == [(article, current)]


def test_a_key_a_cycle_left_null_points_at_rows_but_on_the_first_row():
    from migrator.parity.datagen_cycles import assign

    rows, posts = [10, 11, 12, 13], [1, 2, 3]
    first, last = assign(rows, posts, set(), False, 0), assign(rows, posts, set(), False, 1)
    assert list(first) == [11, 12, 13]  # row 0 keeps NULL, as every nullable field of row 0
    assert all(first[r] != last[r] for r in first)  # two keys to one table: a swap of them shows
    # one-to-one: targets no row holds, each once
    assert assign(rows, [1, 2, 3, 4], {2}, True, 0) == {11: 1, 12: 3, 13: 4}
    assert assign(rows, [], set(), False, 0) == {} == assign(rows, [5], {5}, True, 0)
