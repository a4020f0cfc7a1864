"""`spawn = "exec"`: fork, login_tty, exec `python -m kiosk --remote --config FILE` for each session.

No fork server: each session's kiosk starts from scratch (a local cold start's time and
memory, see `make bench`), which is simpler to reason about and needs no helper process.
Its start-up notices (a broken configuration, a quarantined pack) come back on a pipe
(`--notice-fd`) and go to the server's log once each, never to the customer's terminal.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from kiosk.forkserver.client import SessionProcess
from kiosk.forkserver.environment import session_environment
from kiosk.ssh.child import Child, new_home
from kiosk.ssh.pty import open_pty
from kiosk.textsafety import sanitise

#: Distinct start-up notices logged at most (a chatty pack cannot fill the log), and their length.
MAX_NOTICES = 200
MAX_NOTICE = 1000


class ExecSpawner:
    """fork + login_tty + exec `python -m kiosk --remote --config FILE` for each session."""

    name = "exec"

    #: The descriptor number a session's kiosk writes its start-up notices to (see `--notice-fd`).
    NOTICE_FD = 3

    def __init__(self, config_path: Path | None, base_env: Mapping[str, str]) -> None:
        self.config_path = config_path
        self.base_env = dict(base_env)
        #: Notices already logged: every session starts the same way, the log says each once.
        self.noticed: set[str] = set()

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    def argv(self) -> list[str]:
        argv = [sys.executable, "-m", "kiosk", "--remote", "--notice-fd", str(self.NOTICE_FD)]
        if self.config_path is not None:
            argv += ["--config", str(self.config_path)]
        return argv

    async def spawn(self, term: str | None, width: int, height: int) -> Child:
        home = new_home()
        env = session_environment(self.base_env, term, home)
        master, slave = open_pty(width, height)
        # The pty is the customer's screen; start-up notices come back on a pipe for the log.
        notices, notice_end = os.pipe()
        argv = self.argv()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child only execs
            try:
                os.close(master)
                os.close(notices)
                os.login_tty(slave)
                if notice_end == self.NOTICE_FD:
                    os.set_inheritable(notice_end, True)
                else:
                    os.dup2(notice_end, self.NOTICE_FD)  # inheritable across exec
                    os.close(notice_end)
                os.chdir(home)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        os.close(slave)
        os.close(notice_end)
        self._log_notices(notices)
        process = SessionProcess(pid, os.pidfd_open(pid))

        def reap() -> None:
            try:
                _, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                status = None
            if not process.exited.done():
                process.exited.set_result(None if status is None else os.waitstatus_to_exitcode(status))

        process.when_gone(reap)
        return Child(process, master, home)

    def _log_notices(self, fd: int) -> None:
        """Copy each new line from `fd` to the server's standard error, until the kiosk closes it."""
        loop = asyncio.get_running_loop()
        pending = bytearray()

        def readable() -> None:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            pending.extend(data)
            lines = pending.split(b"\n")
            pending[:] = lines.pop() if data else b""  # at the end, a last unfinished line counts too
            if len(pending) > MAX_NOTICE:
                lines.append(bytearray(pending))
                pending.clear()
            for raw in lines:
                # A pack's print() lands here too: no escape sequences into the log, bounded size.
                line = sanitise(raw.decode("utf-8", "replace").rstrip())[:MAX_NOTICE]
                if line and line not in self.noticed and len(self.noticed) < MAX_NOTICES:
                    self.noticed.add(line)
                    print(f"kiosk ssh: {line}", file=sys.stderr, flush=True)
            if not data:
                loop.remove_reader(fd)
                os.close(fd)

        loop.add_reader(fd, readable)
