"""A one-to-one INSERT gets a target no row holds (issues 18 and 12: every write must succeed once per run).

helpdesk: every generated user had its UserSettings (datagen gives the one-to-one model a row per target), so
`UserSettings.objects.create(user=...)` was refused on both sides (unique user_id) and never compared;
write_sets.target_value looked for a free user and found none. datagen now adds one more row of such a target
once every model is generated (migrator/parity/free_targets.py). tests/projects/parity_free_target is the
shape in small, with helpdesk's post_save receiver that writes the settings of each new user."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from conftest import REPO, django_side

from migrator.parity import free_targets

PROJECT = REPO / "tests" / "projects" / "parity_free_target"


def _model(label: str, fields=()):
    meta = SimpleNamespace(label=label, concrete_fields=list(fields))
    m = SimpleNamespace(_meta=meta)
    meta.concrete_model = m
    return m


def _key(name: str, target, one_to_one=True, parent_link=False):
    return SimpleNamespace(name=name, attname=f"{name}_id", is_relation=True, one_to_one=one_to_one,
                           related_model=target, remote_field=SimpleNamespace(parent_link=parent_link))


USER = _model("auth.User")


@pytest.mark.parametrize("pools, held, fields, expected", [
    ({"auth.User": [1, 2, 3]}, {1, 2, 3}, [_key("user", USER)], ["auth.User"]),  # every user taken
    ({"auth.User": [1, 2, 3]}, {"1", "3"}, [_key("user", USER)], []),  # user 2 is free
    ({"auth.User": [1, 2]}, {1, 2}, [_key("user", USER, one_to_one=False)], []),  # a plain key reuses targets
    ({"auth.User": [1, 2]}, {1, 2}, [_key("user_ptr", USER, parent_link=True)], []),  # a multi-table child
    ({"auth.User": []}, set(), [_key("user", USER)], []),  # no user at all: a new one would not help
])
def test_a_target_is_full_when_every_row_is_held(pools, held, fields, expected):
    settings = _model("helpdesk.UserSettings", fields)
    assert free_targets.full_targets([USER, settings], pools, lambda m, f: held) == expected


def test_only_the_keys_of_a_model_an_insert_writes_are_looked_at():
    """bounds_file's FREE list: the sample's users keep their profile when no query creates one."""
    settings = _model("helpdesk.UserSettings", [_key("user", USER)])
    owner = _model("x.Owner")
    profile = _model("accounts.Profile", [_key("user", owner)])
    pools = {"auth.User": [1], "x.Owner": [1]}
    models = [USER, owner, settings, profile]
    assert free_targets.full_targets(models, pools, lambda m, f: {1}, ["helpdesk.UserSettings"]) == ["auth.User"]
    assert free_targets.full_targets(models, pools, lambda m, f: {1}, []) == []
    assert free_targets.full_targets(models, pools, lambda m, f: {1}) == ["auth.User", "x.Owner"]


def test_the_models_an_insert_compared_on_its_own_writes():
    def q(model, sql, part=""):
        return SimpleNamespace(model=model, sql=sql, part=part)

    assert free_targets.inserted_models([
        q("helpdesk.UserSettings", 'INSERT INTO "helpdesk_usersettings" ...'),
        # a get_or_create's: compared alone since session 11 (parity.insert_alone), so it needs a free user too
        q("accounts.Profile", 'INSERT INTO "accounts_profile" ...', part="2/2 insert"),
        q("orders.Coupon", ' insert into "orders_coupon" ...', part="1/1 insert"),
        q("auth.User", 'SELECT ... FROM "auth_user"'), q("auth.User", 'UPDATE "auth_user" SET ...'),
    ]) == ["accounts.Profile", "helpdesk.UserSettings", "orders.Coupon"]


def test_a_target_outside_the_generated_models_is_left_alone():
    settings = _model("helpdesk.UserSettings", [_key("user", USER)])
    assert free_targets.full_targets([settings], {"auth.User": [1]}, lambda m, f: {1}) == []


def test_one_row_is_generated_and_saved_for_each_full_target(monkeypatch):
    settings = _model("helpdesk.UserSettings", [_key("user", USER)])
    profile = _model("accounts.Profile", [_key("owner", USER)])
    monkeypatch.setattr(free_targets, "taken_in_db", lambda m, f: {1, 2})
    monkeypatch.setattr(free_targets, "held_keys", lambda m, unique_sets: {("username",): {("a",)}})
    filled, saved, skipped = [], [], []

    def fill(model, rng, row, pools, used_one_to_one, used):
        filled.append((model._meta.label, row, used))
        return f"new {model._meta.label}", [("k",)]

    free_targets.add_free_targets([USER, settings, profile], 0, 905, {"auth.User": [1, 2]}, {}, fill, None,
                                  lambda *a, **kw: saved.append((a, kw)), skipped)
    assert filled == [("auth.User", 905, {("username",): {("a",)}})]  # one user for both keys
    assert saved == [(("new auth.User", [("k",)], "free one-to-one target", 905), {"model": USER, "used": {}})]
    assert skipped == []


def test_a_row_that_cannot_be_built_is_skipped_with_its_reason(monkeypatch):
    monkeypatch.setattr(free_targets, "taken_in_db", lambda m, f: {1})
    monkeypatch.setattr(free_targets, "held_keys", lambda m, unique_sets: {})
    skipped: list = []

    def fill(*_a):
        raise ValueError("auth.User.username: no generated value passes its validators")

    free_targets.add_free_targets([USER, _model("x.S", [_key("user", USER)])], 0, 905, {"auth.User": [1]}, {},
                                  fill, None, lambda *a, **kw: pytest.fail("nothing to save"), skipped)
    assert skipped == ["auth.User free one-to-one target: ValueError: auth.User.username: no generated value "
                       "passes its validators"]


def _char(max_length=None, choices=()):
    from migrator.ir import Choice, Field
    return Field("ticket_respond_layout", "ticket_respond_layout", "ticket_respond_layout", "CharField",
                 "django.db.models.CharField", max_length=max_length,
                 choices=tuple(Choice(v, v.title()) for v in choices))


@pytest.mark.parametrize("f, i, expected", [
    # helpdesk's UserSettings.ticket_respond_layout (max_length 16, choices, a callable default): PostgreSQL
    # refused Go's INSERT of the 27-character "go-ticket_respond_layout-3" (value too long), Django wrote its row
    (_char(16, ("tabs", "accordion")), 3, "tabs"),
    (_char(16), 3, "go-ticket_resp-3"),
    (_char(16), 1234, "go-ticket_r-1234"),
    (_char(4), 123456, "3456"),  # the suffix kept, cut to the column
    (_char(255), 3, "go-ticket_respond_layout-3"),
    (_char(None), 3, "go-ticket_respond_layout-3"),  # a TextField: no limit
    (None, 7, "go-ticket_respond_layout-7"),
])
def test_a_computed_text_fits_its_column(f, i, expected):
    from migrator.parity.checks_queries import stand_in_text

    got = stand_in_text(f, "ticket_respond_layout", i)
    assert got == expected
    assert f is None or f.max_length is None or len(got) <= f.max_length


@pytest.mark.slow
def test_generated_data_leaves_a_user_without_settings(tmp_path):
    """The Django side only (about 2 s): migrate, generate (with bounds_file's FREE list: the model a query
    INSERTs into, then none), dump, in one process. Before, 5 users and 5 settings rows, one per user; now a
    sixth user no settings row points at (the receiver stays muted); none without an INSERT of UserSettings."""
    jobs = []
    for name, written in (("insert", ["prefs.UserSettings"]), ("none", [])):
        db, bounds = str(tmp_path / f"{name}.sqlite3"), tmp_path / f"{name}.json"
        bounds.write_text(json.dumps({free_targets.FREE: written}))
        jobs += [{"database": db, "command": c, "args": a}
                 for c, a in (("migrate", []), ("generate", ["0", "5", str(bounds)]), ("dump", []))]
    (tmp_path / "jobs.json").write_text(json.dumps(jobs))
    results = django_side(PROJECT, "prefsproj.settings", str(tmp_path / "insert.sqlite3"), "batch",
                          str(tmp_path / "jobs.json"))
    free = []
    for _migrated, generated, dump in (results[:3], results[3:]):
        assert generated["skipped"] == []
        held = [s["user"] for s in dump["prefs.UserSettings"]]
        assert len(held) == len(set(held)) == 5
        free.append({u["id"] for u in dump["auth.User"]} - set(held))
    assert [len(f) for f in free] == [1, 0], free
