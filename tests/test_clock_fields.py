"""translate.clock_fields: the fields a migrated view's writes stamp from the clock, read from its statements'
parameters (the source argument the loader recorded for each): what parity's request window judges, per view."""

from __future__ import annotations

from types import SimpleNamespace as N

import pytest

from migrator.ir import Default
from migrator.translate.clock_fields import clock_fields


def _f(name, internal="DateTimeField", auto_now=False, auto_now_add=False, default=Default()):
    return N(name=name, attname=name, internal_type=internal, auto_now=auto_now, auto_now_add=auto_now_add,
             default=default)


PROJECT = N(models=[
    N(label="lending.Loan", fields=[_f("returned_at"), _f("due_at"), _f("title", "CharField"),
                                    _f("borrowed_at", auto_now_add=True),
                                    _f("seen", default=Default("callable", callable="django.utils.timezone.now")),
                                    _f("day", "DateField", auto_now=True), _f("count", "IntegerField", auto_now=True)]),
])
COMPUTED = "<{}: computed by Django at save time>"


def _q(sql, *params, model="lending.Loan"):
    return N(name="Q", model=model, sql=sql, params=[N(field=f, source=s) for f, s in params])


@pytest.mark.parametrize("sql,params,expected", [
    # return_loan: update(returned_at=timezone.now()) (the loader qualifies an UPDATE's field)
    ("UPDATE lending_loan SET returned_at = $1 WHERE id = $2",
     [("lending.Loan.returned_at", "timezone.now()"), ("lending.Loan.id", "pk")], ["lending.Loan.returned_at"]),
    ("UPDATE lending_loan SET due_at = $1", [("lending.Loan.due_at", "datetime.datetime.now()")], ["lending.Loan.due_at"]),
    # a value the request gives is not the clock
    ("UPDATE lending_loan SET due_at = $1", [("lending.Loan.due_at", "body['due']")], []),
    # create(): the columns Django computes at save time, by the field's declaration
    ("INSERT INTO lending_loan (borrowed_at, seen, due_at, day, count) VALUES ($1, $2, $3, $4, $5) RETURNING id",
     [("borrowed_at", COMPUTED.format("borrowed_at")), ("seen", COMPUTED.format("seen")),
      ("due_at", COMPUTED.format("due_at")), ("day", COMPUTED.format("day")), ("count", COMPUTED.format("count"))],
     ["lending.Loan.borrowed_at", "lending.Loan.day", "lending.Loan.seen"]),
    # a read binding the clock writes nothing; a text field is never a stamp
    ("SELECT id FROM lending_loan WHERE due_at < $1", [("lending.Loan.due_at", "timezone.now()")], []),
    ("UPDATE lending_loan SET title = $1", [("lending.Loan.title", "timezone.now()")], []),
])
def test_clock_fields(sql, params, expected):
    assert clock_fields(["Q", "missing"], {"Q": _q(sql, *params)}, PROJECT) == expected
