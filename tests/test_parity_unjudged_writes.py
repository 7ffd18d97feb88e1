"""Statements no case judged. Writes of a model whose save receivers are Go stubs (migrator/parity/checks_models.py build_ops): they were left
out, so a renamed GORM json key of such a model was never decoded by any case (celery_beat: every schedule model has
a `PeriodicTasks.update_changed` receiver, 24 json-key mutants "not compared"). They now run, Django's side with
the model signals muted (a declared rule: a note names the receivers). And the ids a delete() removes. Fast
table tests on in-memory inputs."""

from __future__ import annotations

from types import SimpleNamespace

from migrator.parity.checks_models import build_ops


def _field(name, internal_type="CharField", **kw):
    base = dict(name=name, column=name, primary_key=False, relation=None, editable=True, auto_now=False,
                auto_now_add=False, unique=False, inherited_from="", choices=(), internal_type=internal_type,
                field_class=f"django.db.models.{internal_type}", max_length=40)
    return SimpleNamespace(**{**base, **kw})


def _model(hooks):
    fields = [_field("id", "AutoField", primary_key=True), _field("minute")]
    return SimpleNamespace(label="beat.Crontab", kind="concrete", parents=(), pk="id", fields=fields, hooks=hooks,
                           field=lambda name: next(f for f in fields if f.name == name))


def test_a_model_with_save_receivers_is_written_with_them_muted_on_djangos_side():
    hook = SimpleNamespace(kind="signal", signal="post_save", name="beat.PeriodicTasks.update_changed")
    dump = {"beat.Crontab": [{"id": 1, "minute": "1"}, {"id": 2, "minute": "2"}]}
    skipped: list = []
    ops = build_ops(SimpleNamespace(models=[_model((hook,))]), dump, skipped)
    mute = "post_save beat.PeriodicTasks.update_changed"
    assert [(o["op"], o.get("mute")) for o in ops] == [("update", mute), ("create", mute), ("delete", None)]
    gone = SimpleNamespace(kind="signal", signal="post_delete", name="beat.PeriodicTasks.update_changed")
    ops = build_ops(SimpleNamespace(models=[_model((gone,))]), dump, skipped)
    assert [(o["op"], o.get("mute")) for o in ops] == [
        ("update", None), ("create", None), ("delete", "post_delete beat.PeriodicTasks.update_changed")]
    assert ops[0]["values"] == {"minute": "1_go ✓%"} and skipped == []
    # without a receiver nothing is muted
    plain = build_ops(SimpleNamespace(models=[_model(())]), dump, [])
    assert [(o["op"], o.get("mute")) for o in plain] == [("update", None), ("create", None), ("delete", None)]


def test_the_rows_a_delete_removes_are_read_through_values_list_pk():
    """postman's `postman_cleanup` deletes messages through `filter(...).delete()`: the generated statement selecting
    the ids (`HandleMessageDeleteIDs`, then the GORM on_delete helper) was skipped by the queries check, so its 24
    mutants were `not compared`. Django's side of it is the chain with delete() replaced by values_list("pk"), the
    QuerySet load.compile compiled it from."""
    from migrator.parity.checks_queries import delete_rows

    site = {"id": "s1", "model": "postman.Message", "chain": [
        {"method": "filter", "args": [{"kind": "runtime", "source": "d", "keyword": "sent_at__lte", "names": ["d"]}]},
        {"method": "delete", "args": []}]}
    out = delete_rows(site)
    assert [c["method"] for c in out["chain"]] == ["filter", "values_list"]
    assert out["chain"][0] is site["chain"][0] and [a["value"] for a in out["chain"][1]["args"]] == ["pk"]
    assert site["chain"][-1]["method"] == "delete"  # the site itself is left as it is


def test_an_update_of_a_choices_field_takes_a_value_another_row_holds():
    """celery_beat's CrontabSchedule.timezone (a TimeZoneField): the IR's choice values are the loader's JSON form
    of ZoneInfo objects (`zoneinfo.ZoneInfo(key='Africa/Abidjan')`), not what the column holds; once the model's
    writes ran, Go stored that text and the Django dumps after the writes failed (models: could not run)."""
    zone = _field("timezone", field_class="timezone_field.fields.TimeZoneField",
                  choices=(SimpleNamespace(value="zoneinfo.ZoneInfo(key='Africa/Abidjan')"),))
    m = _model(())
    m.fields.append(zone)
    dump = {"beat.Crontab": [{"id": 1, "minute": "1", "timezone": "UTC"}, {"id": 2, "minute": "2", "timezone": "Europe/Paris"}]}
    ops = build_ops(SimpleNamespace(models=[m]), dump, [])
    assert ops[0]["op"] == "update" and ops[0]["values"]["timezone"] == "Europe/Paris"


def test_a_row_a_protect_relation_holds_is_deleted_too_and_both_sides_must_refuse():
    """The sample's `on_delete PROTECT of orders_orderline.product_id not checked` (a GORM delete helper that skips
    its PROTECT check) survived session 11's draw: the models check deleted the last product and the most referenced
    one through CASCADE / SET_NULL, and neither had an order line protecting it. The product most rows protect is
    deleted too: Django refuses it (ProtectedError), so a helper that deletes it differs."""
    prod = _model(())
    prod.label = "shop.Product"
    line = _model(())
    line.label = "shop.Line"
    line.fields.append(_field("product", "ForeignKey", relation=SimpleNamespace(
        kind="foreign_key", target="shop.Product", on_delete="PROTECT")))
    dump = {"shop.Product": [{"id": k, "minute": str(k)} for k in (1, 2, 3, 4)],
            "shop.Line": [{"id": 1, "minute": "a", "product": 2}, {"id": 2, "minute": "b", "product": 2},
                          {"id": 3, "minute": "c", "product": 3}]}
    deletes = [(o["model"], o["pk"]) for o in build_ops(SimpleNamespace(models=[prod, line]), dump, [])
               if o["op"] == "delete"]
    assert ("shop.Product", 4) in deletes and ("shop.Product", 2) in deletes, deletes  # the last, the most protected
    assert ("shop.Product", 3) not in deletes, deletes


def test_full_clean_reports_the_fields_only_the_go_copy_fails():
    """oauth2_provider: both copies refused Application:1's redirect URIs (the update made them invalid on both
    sides); the case showed the whole row, so the field only Go's copy failed (client_secret: Go keeps the empty
    secret ClientSecretField.pre_save hashes in Django) could not be told apart, nor declared by itself."""
    from migrator.parity.checks_models import own_problems

    both = ["redirect uri URI Validation error. invalid_scheme: _go"]
    go = {"A:1": {"redirect_uris": both, "client_secret": ["no secret"]}, "A:2": {"name": ["x"]}, "A:3": {"n": ["y"]}}
    dj = {"A:1": {"redirect_uris": both, "hash_client_secret": ["hashed"]}, "A:2": {"name": ["x"]},
          "A:3": {"n": ["z"]}}
    assert own_problems(go, dj) == {"A:1": {"client_secret": ["no secret"]}, "A:3": {"n": ["y"]}}
    assert own_problems({}, dj) == {}


def test_a_parent_delete_leaves_the_row_a_multi_table_childs_update_wrote():
    """The sample's DigitalProduct json keys (`file`, `max_downloads`, `license_duration`) survived as GORM mutants:
    the update of DigitalProduct pk=26 wrote them, then the delete of Product pk=26 (the most referenced product)
    removed that row on both sides through the parent link's CASCADE, so no table afterwards showed the update.
    The parent's deletes now leave the child's updated row alone, as they left its deleted one."""
    prod = _model(())
    prod.label = "shop.Product"
    digital = _model(())
    digital.label, digital.parents = "shop.Digital", ("shop.Product",)
    line = _model(())
    line.label = "shop.Line"
    line.fields.append(_field("product", "ForeignKey", relation=SimpleNamespace(
        kind="foreign_key", target="shop.Product", on_delete="CASCADE")))
    dump = {"shop.Product": [{"id": k, "minute": str(k)} for k in (1, 2, 3, 4, 5)],
            "shop.Digital": [{"id": 2, "minute": "d2"}, {"id": 4, "minute": "d4"}],
            "shop.Line": [{"id": k, "minute": "x", "product": p} for k, p in ((1, 2), (2, 2), (3, 3))]}
    ops = build_ops(SimpleNamespace(models=[prod, digital, line]), dump, [])
    assert {"op": "update", "model": "shop.Digital", "pk": 2, "values": {"minute": "d2_go ✓%"}} in ops
    deletes = [(o["model"], o["pk"]) for o in ops if o["op"] == "delete"]
    assert ("shop.Product", 2) not in deletes and ("shop.Product", 4) not in deletes, deletes  # the child's rows
    assert ("shop.Product", 5) in deletes and ("shop.Product", 3) in deletes, deletes  # the last, the most referenced


def test_a_row_each_set_null_relation_reaches_is_deleted_too():
    """The sample's `on_delete SET_NULL of catalog_review.user_id turned into CASCADE` survived sessions 10 to 12: the
    users the models check deleted (the last, the most referenced) had no review. A relation that is neither CASCADE
    nor a protection gets a delete of a row it references when no other delete reaches one through it."""
    def model(label, on_delete=""):
        m = _model(())
        m.label = label
        if on_delete:
            m.fields.append(_field("user", "ForeignKey", relation=SimpleNamespace(
                kind="foreign_key", target="auth.User", on_delete=on_delete)))
        return m
    user, review, order = model("auth.User"), model("shop.Review", "SET_NULL"), model("shop.Order", "CASCADE")
    dump = {"auth.User": [{"id": k, "minute": str(k)} for k in (1, 2, 3, 4, 5)],
            "shop.Order": [{"id": k, "minute": "o", "user": u} for k, u in ((1, 2), (2, 2), (3, 4))],
            "shop.Review": [{"id": k, "minute": "r", "user": u} for k, u in ((1, 3), (2, 3), (3, None), (4, 1))]}
    deletes = [(o["model"], o["pk"]) for o in build_ops(SimpleNamespace(models=[user, order, review]), dump, [])
               if o["op"] == "delete" and o["model"] == "auth.User"]
    assert deletes == [("auth.User", 5), ("auth.User", 2), ("auth.User", 3)], deletes  # last, most referenced, review's
    dump["shop.Review"].append({"id": 5, "minute": "r", "user": 2})  # the most referenced one has a review: no more
    deletes = [(o["model"], o["pk"]) for o in build_ops(SimpleNamespace(models=[user, order, review]), dump, [])
               if o["op"] == "delete" and o["model"] == "auth.User"]
    assert deletes == [("auth.User", 5), ("auth.User", 2)], deletes


def test_a_grandchilds_update_leaves_its_grandparents_fields_alone():
    """wiki's Image (RevisionPlugin's child, ArticlePlugin's grandchild): its update wrote ArticlePlugin.deleted, which
    Django's save writes through the parent rows and Go's Image struct (its own columns only) does not hold: the
    after writes differed on wiki.ArticlePlugin pk=21. Only the direct parent's fields were left out."""
    top, mid, leaf = _model(()), _model(()), _model(())
    top.label = "wiki.ArticlePlugin"
    top.fields.append(_field("deleted", "BooleanField"))
    mid.label, mid.parents = "wiki.RevisionPlugin", ("wiki.ArticlePlugin",)
    leaf.label, leaf.parents = "wiki_images.Image", ("wiki.RevisionPlugin",)
    leaf.fields.append(_field("deleted", "BooleanField", inherited_from="wiki.ArticlePlugin"))
    leaf.fields.append(_field("caption", inherited_from="wiki.RevisionPlugin"))
    dump = {"wiki.ArticlePlugin": [{"id": 21, "minute": "a", "deleted": False},
                                   {"id": 22, "minute": "b", "deleted": False}],
            "wiki.RevisionPlugin": [{"id": 21, "minute": "r"}, {"id": 22, "minute": "s"}],
            "wiki_images.Image": [{"id": 21, "minute": "i", "deleted": False, "caption": "c"},
                                  {"id": 22, "minute": "j", "deleted": False, "caption": "d"}]}
    ops = build_ops(SimpleNamespace(models=[top, mid, leaf]), dump, [])
    image = [o for o in ops if o["op"] == "update" and o["model"] == "wiki_images.Image"]
    assert image == [{"op": "update", "model": "wiki_images.Image", "pk": 21, "values": {"minute": "i_go ✓%"}}], image


def test_a_create_gives_a_unique_uuid_a_value_of_its_own():
    """The sample's Product.sku (unique, a UUID) took the last row's value: both sides refused the create alike, so
    no case decoded Product's json keys on a create (`slug`, unique so never updated, survived renamed `slug_x`)."""
    m = _model(())
    m.fields.append(_field("sku", "UUIDField", unique=True))
    rows = [{"id": 1, "minute": "1", "sku": "5e0c4cb1-0000-4000-8000-000000000000"},
            {"id": 2, "minute": "2", "sku": "5e0c4cb1-0000-4000-8000-00000000000a"}]
    create = next(o for o in build_ops(SimpleNamespace(models=[m]), {"beat.Crontab": rows}, []) if o["op"] == "create")
    assert create["values"]["sku"] == "5e0c4cb1-0000-4000-8000-000000000001"  # neither row's
