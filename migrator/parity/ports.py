"""Which process listens on a loopback port (Linux /proc; None where there is no /proc).

The http check picks free ports and waits until its server answers. A port picked free can be taken by another
process before the server binds it (another parity run, another test's server on a shared machine): that
process answers the probe, our runserver exits with "That port is already in use", and every request of the
run goes to a server on another database (session 8: `POST /api/catalog/products/1/tags/` answered 404 from
"Django", 201 from Go, where Django answers 201 on the loaded data). So an answer counts only when the
server's own process holds the listening socket."""

from __future__ import annotations

import os
from pathlib import Path

LISTEN = "0A"  # TCP state in /proc/net/tcp


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) > 9 and parts[3] == LISTEN and int(parts[1].rpartition(":")[2], 16) == port:
                inodes.add(parts[9])
    return inodes


def owns_port(pid: int, port: int) -> bool | None:
    """True when process `pid` holds a socket listening on `port`, False when it does not, None when this
    system cannot tell (no /proc)."""
    if not Path("/proc/net/tcp").exists():
        return None
    inodes = _listening_inodes(port)
    if not inodes:
        return False
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:[") and link[8:-1] in inodes:
            return True
    return False
