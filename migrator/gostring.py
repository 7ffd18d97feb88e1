"""The one Go string quoter: a Python string as a Go interpreted string literal."""

from __future__ import annotations

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def go_string(value: object) -> str:
    """``"..."`` with quotes, backslashes, newlines and tabs escaped and other control characters as ``\\xNN``;
    everything else (non-ASCII included) as it is, which Go reads as UTF-8."""
    out = ['"']
    for ch in str(value):
        out.append(_ESCAPES.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x20 else ch))
    out.append('"')
    return "".join(out)
