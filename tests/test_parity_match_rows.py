"""Rows passing a read's literal conditions, and the parameter set selecting one (migrator/parity/match_rows.py):
postman's `DispatchMessageGet` (`recipient_id = ?1 AND moderation_status = 'a' AND recipient_deleted_at IS NULL
AND id = ?2`) found no generated message meeting the three, so its column swaps survived. Fast table tests."""

from __future__ import annotations

from types import SimpleNamespace

from migrator.parity.match_rows import conditions, match_rows, match_sets

DISPATCH = ('SELECT "postman_message"."id", "postman_message"."sender_id", "postman_message"."recipient_id" FROM '
            '"postman_message" WHERE ("postman_message"."recipient_id" = sqlc.arg(user_value) AND '
            '"postman_message"."moderation_status" = \'a\' AND "postman_message"."recipient_deleted_at" IS NULL AND '
            '"postman_message"."id" = sqlc.arg(message_id)) LIMIT 21')
TABLES = {"postman_message": "postman.Message"}
COLUMNS = {("postman_message", c): f"postman.Message.{c}"
           for c in ("moderation_status", "recipient_deleted_at", "recipient_archived", "id")}


def _param(name, field, kind="int"):
    return SimpleNamespace(name=name, sentinel=name, field=field, kind=kind, transform="", is_list=False,
                           optional=False)


def test_the_literal_conditions_on_the_reads_own_table_are_read():
    assert conditions(DISPATCH, "postman_message") == {"moderation_status": "a", "recipient_deleted_at": None}
    # an IN list gives its first value, a number stays a number; another table's and a NOT one are left out
    sql = ('SELECT 1 FROM "t" INNER JOIN "u" ON ("t"."u_id" = "u"."id") WHERE ("t"."s" IN (\'x\', \'y\') AND '
           '"t"."n" = 0 AND "u"."k" = \'z\' AND NOT ("t"."m" = \'w\') AND NOT "t"."d" IS NULL AND "t"."f" = 10.5)')
    assert conditions(sql, "t") == {"s": "x", "n": 0}


def test_a_read_with_two_literal_conditions_or_an_is_null_gets_two_rows_meeting_them():
    one = DISPATCH.replace(' AND "postman_message"."recipient_deleted_at" IS NULL', "")
    null_only = DISPATCH.replace(' AND "postman_message"."moderation_status" = \'a\'', "")
    relation = DISPATCH.replace('"recipient_deleted_at" IS NULL', '"thread_id" IS NULL')
    assert match_rows([DISPATCH, DISPATCH, one, null_only, relation, "UPDATE " + DISPATCH[6:]], TABLES, COLUMNS) == [
        {"model": "postman.Message", "rows": 2, "set": {"moderation_status": "a", "recipient_deleted_at": None}},
        # one IS NULL alone is wanted (row 0, the only NULL row, holds NULL in every nullable column)
        {"model": "postman.Message", "rows": 2, "set": {"recipient_deleted_at": None}}]
    # one equality alone: the rows' choices cover it already; a relation's column, a write: nothing


def test_the_parameter_set_selects_the_first_row_meeting_the_conditions():
    q = SimpleNamespace(sql=DISPATCH, model="postman.Message",
                        params=[_param("user_value", "postman.Message.recipient"),
                                _param("message_id", "postman.Message.id")])
    rows = [{"id": 1, "recipient": 1, "moderation_status": "p", "recipient_deleted_at": None},
            {"id": 2, "recipient": 2, "moderation_status": "a", "recipient_deleted_at": "2026-01-01T00:00:00Z"},
            {"id": 3, "recipient": 3, "moderation_status": "a", "recipient_deleted_at": None},
            {"id": 4, "recipient": 3, "moderation_status": "a", "recipient_deleted_at": None}]
    assert match_sets(q, {"postman.Message": rows}) == [{"user_value": 3, "message_id": 3}]
    assert match_sets(q, {"postman.Message": rows[:2]}) == []  # no row meets them
    one = SimpleNamespace(sql=DISPATCH.replace(' AND "postman_message"."recipient_deleted_at" IS NULL', ""),
                          model=q.model, params=q.params)
    assert match_sets(one, {"postman.Message": rows}) == [{"user_value": 2, "message_id": 2}]  # one is enough here
    lone = SimpleNamespace(sql=one.sql.replace(' AND "postman_message"."moderation_status" = \'a\'', ""),
                           model=q.model, params=q.params)
    assert match_sets(lone, {"postman.Message": rows}) == []  # no literal condition: the other sets cover it


THREAD = ('SELECT "postman_message"."id" FROM "postman_message" WHERE ("postman_message"."id" = sqlc.arg(message_id) '
          'AND (("postman_message"."recipient_id" = sqlc.arg(user_value) AND "postman_message"."moderation_status" = '
          '\'a\') OR "postman_message"."sender_id" = sqlc.arg(user_value))) ORDER BY "postman_message"."sent_at" ASC')


def test_a_parameter_without_a_model_field_takes_the_column_it_is_compared_with_on_the_matching_row():
    # `request.user` (no model field, sentinel `user`): the set kept the base user, not the matching message's
    # recipient, so both sides returned nothing and the column swaps of DispatchMessageGet/GetMessageThread2 survived
    user = SimpleNamespace(name="user_value", sentinel="user", field="", kind="int", transform="", is_list=False,
                           optional=False)
    rows = [{"id": 1, "sender": 5, "recipient": 1, "moderation_status": "p", "recipient_deleted_at": None},
            {"id": 2, "sender": 5, "recipient": 2, "moderation_status": "a", "recipient_deleted_at": "2026-01-01"},
            {"id": 3, "sender": 5, "recipient": 4, "moderation_status": "a", "recipient_deleted_at": None}]
    dump = {"postman.Message": rows}
    for sql in (DISPATCH, THREAD):  # the first column it is compared with: recipient_id, not sender_id
        q = SimpleNamespace(sql=sql, model="postman.Message", params=[user, _param("message_id", "postman.Message.id")])
        want = {"user": 4, "message_id": 3} if sql is DISPATCH else {"user": 2, "message_id": 2}
        assert match_sets(q, dump) == [want]
    # compared with another table's column only (or not at all): left to the other sets
    other = SimpleNamespace(sql=DISPATCH.replace('"postman_message"."recipient_id" = sqlc.arg(user_value)',
                                                 '"auth_user"."id" = sqlc.arg(user_value)'),
                            model="postman.Message", params=[user, _param("message_id", "postman.Message.id")])
    assert match_sets(other, dump) == [{"message_id": 3}]
    listed = SimpleNamespace(sql=DISPATCH, model="postman.Message", params=[SimpleNamespace(**{**vars(user),
                                                                                            "is_list": True})])
    assert match_sets(listed, dump) == []  # no parameter reads a field of the model
