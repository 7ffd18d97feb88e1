"""The models check's deletes, when an earlier delete's cascade already removed the row (issue 18).

Django's side of a delete op is ``Model._base_manager.get(pk=...).delete()``: a row a cascade removed raises
DoesNotExist. gormcheck's delete used to call the delete helper directly, which deletes nothing and succeeds, so
the case read "go succeeded, django failed" although both databases agreed (wiki's ArticleRevision,
AttachmentRevision, django_nyt Subscription, RevisionPluginRevision deletes were declared for it). gormcheck now
looks the row up first, as Django's get() does: both sides answer not found, compared as the same kind of error;
and a Go cascade that failed to remove the row still fails the case (Go finds the row and deletes it, Django
raises), so nothing is hidden.
"""

from __future__ import annotations

import re

from conftest import REPO
from migrator.parity.values import both_raised

GORMCHECK = REPO / "generated" / "gorm" / "cmd" / "gormcheck" / "main.go"


def test_every_gormcheck_delete_looks_the_row_up_first():
    text = GORMCHECK.read_text(encoding="utf-8")
    deletes = re.findall(r'case "delete":\n(.*?)return map\[string\]any\{"deleted"', text, re.S)
    assert len(deletes) == 16  # one per managed model of the sample
    for body in deletes:
        lookup, helper = body.find(".First(&models."), body.find("models.Delete")
        assert 0 <= lookup < helper, body


def test_a_row_absent_on_both_sides_is_the_same_failure():
    django = "DoesNotExist: ArticleRevision matching query does not exist."
    assert both_raised(django, "record not found") == ""  # gorm.ErrRecordNotFound's text
    assert both_raised(django, "FOREIGN KEY constraint failed") != ""
