"""The tagged-value encoding, in one place: a value JSON cannot carry as itself travels as a one-key object
naming its kind, ``{"decimal": "12.50"}``, ``{"datetime": "2024-05-01T10:00:00+00:00"}``, ``{"date": ...}``,
``{"uuid": ...}``, ``{"duration": ...}``, ``{"binary": base64}``, ``{"json": ...}``, ``{"repr": ...}``.

The loader writes it for the values Django binds (load.compile), the sqlc translator reads it back to match
bound values with their sentinels (translate.sqlc_match), and parity's Django side writes it for result values
(parity.django_side) that parity.values compares with Go's.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import uuid
from typing import Any, Callable, Optional

TAGS = ("decimal", "datetime", "date", "uuid", "duration", "binary", "json", "repr")


def binary_text(value) -> str:
    """Bytes as base64 text: what Go's encoding/json writes for a []byte."""
    return base64.b64encode(bytes(value)).decode("ascii")


def encode(v: Any, *, utc: bool = False, duration: Optional[Callable[[datetime.timedelta], Any]] = None,
           binary: bool = False) -> Optional[dict]:
    """The tagged form of a decimal, datetime, date, UUID or timedelta (and of bytes, with ``binary``); None for
    any other value. ``utc``: a datetime in UTC; ``duration``: how a timedelta is written (default: its whole
    microseconds)."""
    if isinstance(v, decimal.Decimal):
        return {"decimal": str(v)}
    if isinstance(v, datetime.datetime):
        return {"datetime": (v.astimezone(datetime.timezone.utc) if utc else v).isoformat()}
    if isinstance(v, datetime.date):
        return {"date": v.isoformat()}
    if isinstance(v, uuid.UUID):
        return {"uuid": str(v)}
    if isinstance(v, datetime.timedelta):
        return {"duration": duration(v) if duration else v // datetime.timedelta(microseconds=1)}
    if binary and isinstance(v, (bytes, bytearray, memoryview)):
        return {"binary": binary_text(v)}
    return None


def decode(v: Any, tags: tuple[str, ...] = TAGS) -> Optional[tuple[str, Any]]:
    """(tag, value) of a tagged value whose tag is one of ``tags``; None for anything else."""
    if isinstance(v, dict) and len(v) == 1:
        (k, x), = v.items()
        if k in tags:
            return k, x
    return None
