"""translate.handlers_jsontext and the http check's JSON values, as tables (no process)."""

from __future__ import annotations

import ast
import json

import pytest

from migrator.parity.http_requests import JSON_VALUES, QUERY_VALUES, MigratedRoute, _query_values
from migrator.translate.handlers_jsontext import plain_response
from migrator.translate.handlers_values import NotRecognised


@pytest.mark.parametrize("call, body", [
    ('HttpResponseBadRequest("Invalid JSON data")', 'Page("Invalid JSON data")'),
    ("HttpResponseBadRequest()", 'Page("")'),
])
def test_bad_request_is_a_400_page(call, body):
    r = plain_response(ast.parse(call).body[0].value)
    assert (r.status, r.body.code) == (400, body)


@pytest.mark.parametrize("call", ["HttpResponseBadRequest(text)", 'HttpResponseBadRequest("x", status=401)',
                                  'HttpResponseBadRequest(b"x")', 'HttpResponseBadRequest("a", "b")'])
def test_bad_request_of_other_content_is_not_read(call):
    with pytest.raises(NotRecognised):
        plain_response(ast.parse(call).body[0].value)


def test_a_json_query_key_is_asked_json():
    rt = MigratedRoute(view="v", django="d", methods=("GET",), regex="^$", queries=(), migrated_methods=None,
                       body_keys={}, query_keys=("forward", "q"), json_query_keys=("forward",))
    asked = _query_values(rt)
    assert [v for k, v in asked if k == "q"] == list(QUERY_VALUES)
    assert [v for k, v in asked if k == "forward"] == list(QUERY_VALUES + JSON_VALUES)


def test_json_values_meet_each_answer_of_dals_dispatch():
    """An object, a value that is not one, ValueError and RecursionError: each of dal's answers is asked."""
    kinds = set()
    for v in JSON_VALUES:
        try:
            kinds.add("dict" if isinstance(json.loads(v), dict) else "other")
        except ValueError:
            kinds.add("ValueError")
        except RecursionError:
            kinds.add("RecursionError")
    assert kinds == {"dict", "other", "ValueError", "RecursionError"}
