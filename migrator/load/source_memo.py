"""``inspect.getsourcelines`` once per object in the Django process (``worker``).

Reading the URLconf's views (``url_views``, ``decorators``), then the DRF views (``drf_views``) asks inspect for the
source of the same objects again and again: on the sample 449 calls for 124 objects (a helper such as
``_bad_request`` 22 times), each one a ``findsource`` (for a class, an ``ast`` parse of its whole file) and a
tokenize of the block, ~0.3 s of the process's CPU before its first reply and the DRF read. The process is
short-lived and reads each file once (``linecache``), so an object's lines do not change while it runs: the answer
is kept per object (and per code object, for a function whose ``__code__`` is replaced). A call that raises keeps
nothing; every caller gets a list of its own.
"""

from __future__ import annotations

import inspect
from typing import Any

_ORIGINAL = inspect.getsourcelines
_SEEN: dict[int, tuple[Any, Any, list[str], int]] = {}  # id(obj) -> (obj, its code, lines, first line)


def getsourcelines(obj: Any) -> tuple[list[str], int]:
    """``inspect.getsourcelines(obj)``, computed once per object (and code object)."""
    code = getattr(obj, "__code__", None)
    hit = _SEEN.get(id(obj))
    if hit is None or hit[0] is not obj or hit[1] is not code:  # ids are kept alive by the entry: never reused
        lines, lnum = _ORIGINAL(obj)
        hit = _SEEN[id(obj)] = (obj, code, lines, lnum)
    return list(hit[2]), hit[3]


def install() -> None:
    """Make ``inspect.getsourcelines`` (and ``getsource``, which calls it) the memo, in this process only."""
    inspect.getsourcelines = getsourcelines
