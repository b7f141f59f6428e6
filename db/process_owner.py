"""Who runs a sync: host, boot, pid and process start time, so a lease names exactly one process.

A pid alone is reused after a restart; together with the kernel's boot id and the process's
start time (in clock ticks since boot, /proc/<pid>/stat field 22) it names one process for
the machine's lifetime, which lets a restarted server tell that the runs it finds under its
own host name belong to processes that no longer exist.
"""

import os
import socket
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class ProcessOwner:
    host: str
    boot: str
    pid: int
    started: str

    def __str__(self) -> str:
        return f"{self.host}/{self.boot}/{self.pid}/{self.started}"

    @classmethod
    def parse(cls, text: str) -> "ProcessOwner | None":
        """None for a value this module did not write (the host name may hold '/')."""
        host, boot, pid, started = [*text.rsplit("/", 3), "", "", ""][:4]
        if not pid.isdigit() or not started:
            return None
        return cls(host, boot, int(pid), started)


def _boot_id(proc: Path) -> str:
    try:
        return (proc / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "-"


def _start_ticks(proc: Path, pid: int) -> str | None:
    """None when the process does not exist (or /proc cannot tell)."""
    try:
        stat = (proc / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: count from its last ')'.
    return stat[stat.rindex(")") + 2 :].split()[19]


def current_owner(proc: Path = PROC) -> ProcessOwner:
    pid = os.getpid()
    return ProcessOwner(socket.gethostname(), _boot_id(proc), pid, _start_ticks(proc, pid) or "-")


def is_gone(owner: ProcessOwner, me: ProcessOwner, proc: Path = PROC) -> bool:
    """Whether `owner`, a process of this host, certainly no longer runs. Another host's
    processes cannot be seen from here: False."""
    if owner.host != me.host:
        return False
    if owner.boot != me.boot:
        # The machine restarted since (or cannot say: "-" on both sides compares equal).
        return True
    if owner.pid == me.pid:
        return owner.started != me.started
    if not proc.joinpath(str(me.pid)).exists():
        # No /proc (not Linux): whether the pid exists is all one can tell.
        return not _pid_exists(owner.pid)
    started = _start_ticks(proc, owner.pid)
    return started is None or started != owner.started


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
