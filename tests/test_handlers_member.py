"""Fast table tests of ``row in <QuerySet>`` in a migrated view (migrator/translate/handlers_member.py): a view of
a few lines read by handlers.ViewReader over a tiny in-memory project, and the exact Go. todo's
``user_can_read_task`` tests ``task.task_list.group in user.groups.all()``: a row against a related manager's
rows, Model.__eq__ comparing primary keys."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from migrator.ir import Field, Model, Relation
from migrator.plan import GoMethod, GoPackage, GoStruct
from migrator.translate.auth import BASE_USER
from migrator.translate.handlers_names import placeholder
from migrator.translate.handlers_values import NotRecognised

P = placeholder
_ID = Field("id", "id", "id", "AutoField", "AutoField", primary_key=True, editable=False)
USER = Model("auth", "User", "auth_user", "concrete", "django.contrib.auth.models", "auth/models.py", 1, fields=(
    _ID, Field("username", "username", "username", "CharField", "CharField")), abstract_bases=(BASE_USER,))
NOTE = Model("shop", "Note", "shop_note", "concrete", "shop.models", "shop/models.py", 1, fields=(
    _ID, Field("owner", "owner_id", "owner_id", "ForeignKey", "ForeignKey",
               relation=Relation("foreign_key", "auth.User", related_name="notes"))))
TAG = Model("shop", "Tag", "shop_tag", "concrete", "shop.models", "shop/models.py", 9, fields=(_ID,))
HEAD = "def mine(request, pk):\n    note = get_object_or_404(Note, pk=pk)\n"
FIRST = "def mine(request, pk):\n    note = Note.objects.filter(pk=pk).first()\n"


def _param(name, source):
    return NS(name=name, source=source, is_list=False, optional=False, kind="int", transform="", field="")


def _reader(line3: str, rows_model: str = "shop.Note", first: bool = False):
    from migrator.translate.handlers import ViewReader

    word = rows_model.split(".")[1]
    get = NS(site="s1", part="", name="NoteGet", command="one", result="instance", params=[_param("id", "pk")])
    many = NS(site="s2", part="", name="Rows", command="many", result="instance", params=[_param("owner_id", "request.user")])
    sites = {("shop/views.py", 2): [NS(id="s1", file="shop/views.py", line=2, column=12 if not first else 11, model="shop.Note",
                                       function="mine", chain=(NS(method="first" if first else "get", args=()),))],
             ("shop/views.py", 3): [NS(id="s2", file="shop/views.py", line=3, column=30, model=rows_model,
                                       function="mine", chain=(NS(method="all", args=()),))]}
    structs = {"ShopNote": GoStruct((("ID", "int64", "id"), ("OwnerID", "int64", "owner_id"))),
               "ShopTag": GoStruct((("ID", "int64", "id"),))}
    pkg = GoPackage(methods={"NoteGet": GoMethod((("id", "int64"),), "ShopNote"),
                             "Rows": GoMethod((("ownerID", "int64"),), f"[]Shop{word}")}, structs=structs)
    names = {"JsonResponse": {"kind": "external", "ref": "django.http.response.JsonResponse"},
             "get_object_or_404": {"kind": "external", "ref": "django.shortcuts.get_object_or_404"},
             "Note": {"kind": "model", "ref": "shop.Note"}}
    route = {"view": "shop.views.mine", "functions": {"shop.views.mine": {
        "source": (FIRST if first else HEAD) + line3, "names": names, "file": "shop/views.py", "line": 1}},
        "_params": [NS(name="pk", var="pk", converter="int", fiber_key="pk")]}
    return ViewReader(route, NS(models=[USER, NOTE, TAG]), sites, [get, many], pkg)


LOOP = [f"{P(3)} := false", f"for _, r := range {P(2)} {{", "if r.ID == note.ID {", f"{P(3)} = true", "break", "}", "}"]


@pytest.mark.parametrize("op, test", [("in", P(3)), ("not in", f"!{P(3)}")])
def test_a_row_in_a_querysets_rows_compares_primary_keys(op, test):
    out = _reader(f'    return JsonResponse({{"m": note {op} request.user.notes.all()}})\n').read()
    text = "\n".join(out)
    assert "s.Store.NoteGet(ctx, pk)" in text and "s.Store.Rows(ctx, user.IntPK())" in text
    loop = "\n".join(LOOP).replace(P(2), "notes").replace(P(3), "found")
    assert loop in text  # every row read, as QuerySet.__contains__ evaluates the whole QuerySet
    assert f"M: {test.replace(P(3), 'found')}" in text


def test_none_is_in_no_queryset():
    out = "\n".join(_reader('    return JsonResponse({"m": note in request.user.notes.all()})\n', first=True).read())
    assert "M: noteFound && found" in out  # .first() found no row: note is None, never equal to a row


def test_rows_of_another_model_keep_the_view_a_stub():
    with pytest.raises(NotRecognised, match="a shop.Note row and shop.Tag rows"):
        _reader('    return JsonResponse({"m": note in request.user.notes.all()})\n', rows_model="shop.Tag").read()
