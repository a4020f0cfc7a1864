"""The fork server's protocol: one message vocabulary, one framing, one way to pass descriptors.

Both ends use this module: kiosk.forkserver.server (the pre-started process that forks a
kiosk per session) and kiosk.forkserver.client (the front door's side). Nothing here knows
SSH or the web. A session is a process with a terminal (a pty, or three pipes as Textual's
web driver uses), an environment its front door built from scratch, and an exit status.

Transport: an AF_UNIX SOCK_SEQPACKET socket pair. One message is one datagram (the kernel
keeps the boundaries, so there is no length prefix): a JSON object whose "type" names it,
with descriptors riding along as SCM_RIGHTS.

    front door -> server   spawn    {id, env, cwd, stdio}  + the pty slave, or stdin, stdout, stderr
    server -> front door   ready    {pid}                  once, when the slow work is done
                           spawned  {id, pid}              + a pidfd of the new process
                           failed   {id, error}
                           exited   {pid, code}            the server is the parent: it reaps

The front door signals a session's process itself, through its pidfd (no message, and no
risk of hitting a recycled pid): SIGUSR1 for "ending soon" (kiosk.ssh.bridge), SIGTERM to
stop it, SIGKILL if it is still there STOP_GRACE seconds later. Closing the socket stops the
server, which stops its sessions the same way.
"""

from __future__ import annotations

import array
import contextlib
import dataclasses
import enum
import json
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

#: Seconds a session's process has between SIGTERM and SIGKILL, on every side (front doors,
#: fork server, textual-serve's processes).
STOP_GRACE = 3.0
#: The largest message (a spawn request's environment is the only big part).
MAX_MESSAGE = 64 * 1024
#: The most descriptors one message carries (a session's stdin, stdout and stderr).
MAX_FDS = 3
_FD = array.array("i")
_ANCILLARY_SPACE = socket.CMSG_SPACE(MAX_FDS * _FD.itemsize)


class ProtocolError(ValueError):
    """A message that is not part of the vocabulary, or that did not fit."""


class Stdio(enum.StrEnum):
    """How a session's process is connected to its front door."""

    #: One descriptor, the slave side of a pty: it becomes the controlling terminal.
    PTY = "pty"
    #: Three descriptors: stdin, stdout and stderr (Textual's web driver speaks over pipes).
    PIPES = "pipes"

    @property
    def fd_count(self) -> int:
        return 1 if self is Stdio.PTY else 3


@dataclass(frozen=True)
class Spawn:
    """Fork a session: attach its stdio to the descriptors sent along, replace its environment."""

    id: int
    env: dict[str, str]
    cwd: str
    stdio: Stdio = Stdio.PTY


@dataclass(frozen=True)
class Ready:
    """The server has done its slow work once (imports, packs, search index) and takes requests."""

    pid: int


@dataclass(frozen=True)
class Spawned:
    """Request `id` is process `pid`; its pidfd comes along."""

    id: int
    pid: int


@dataclass(frozen=True)
class Failed:
    """Request `id` got no process, and why."""

    id: int
    error: str


@dataclass(frozen=True)
class Exited:
    """Process `pid` has exited (and is reaped) with `code`: negative for a signal, None if unknown."""

    pid: int
    code: int | None


Message = Spawn | Ready | Spawned | Failed | Exited

#: The vocabulary: each message's "type" on the wire.
TYPES: dict[str, type[Message]] = {
    "spawn": Spawn,
    "ready": Ready,
    "spawned": Spawned,
    "failed": Failed,
    "exited": Exited,
}
_TYPE_NAMES = {kind: name for name, kind in TYPES.items()}
#: What JSON must hold for each field (one meaning per field name across the vocabulary).
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "id": (int,),
    "pid": (int,),
    "env": (dict,),
    "cwd": (str,),
    "stdio": (str,),
    "error": (str,),
    "code": (int, type(None)),
}


def encode(message: Message) -> bytes:
    return json.dumps({"type": _TYPE_NAMES[type(message)], **dataclasses.asdict(message)}).encode()


def decode(data: bytes) -> Message:
    """The message in `data`; ProtocolError if it is not one of TYPES with exactly its fields."""
    try:
        fields = json.loads(data)
    except ValueError as exc:  # includes UnicodeDecodeError
        raise ProtocolError(f"not JSON: {exc}") from None
    if not isinstance(fields, dict):
        raise ProtocolError("not a JSON object")
    name = fields.pop("type", None)
    kind = TYPES.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ProtocolError(f"unknown message type {name!r}")
    expected = {field.name for field in dataclasses.fields(kind)}
    required = {field.name for field in dataclasses.fields(kind) if field.default is dataclasses.MISSING}
    if not required <= fields.keys() <= expected:
        raise ProtocolError(f"{name}: fields {sorted(fields)}, expected {sorted(expected)}")
    for key, value in fields.items():
        if not isinstance(value, _FIELD_TYPES[key]) or isinstance(value, bool):
            raise ProtocolError(f"{name}: {key} = {value!r}")
    if "env" in fields and not all(isinstance(k, str) and isinstance(v, str) for k, v in fields["env"].items()):
        raise ProtocolError(f"{name}: env must map text to text")
    if "stdio" in fields:
        try:
            fields["stdio"] = Stdio(fields["stdio"])
        except ValueError:
            raise ProtocolError(f"{name}: stdio = {fields['stdio']!r}") from None
    return kind(**fields)


# -- framing and descriptors ----------------------------------------------------------------


class Received(NamedTuple):
    message: Message
    #: Descriptors that came with it, now the receiver's to use or close.
    fds: list[int]


def send(sock: socket.socket, message: Message, fds: Sequence[int] = ()) -> None:
    """One message as one datagram, `fds` passed along (the sender keeps its own copies)."""
    payload = encode(message)
    if len(payload) > MAX_MESSAGE:
        raise ProtocolError(f"a {type(message).__name__} of {len(payload)} bytes is larger than {MAX_MESSAGE}")
    if len(fds) > MAX_FDS:
        raise ProtocolError(f"{len(fds)} descriptors are more than {MAX_FDS}")
    ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
    sock.sendmsg([payload], ancillary)


def receive(sock: socket.socket) -> Received | None:
    """The next message, or None once the other end has closed.

    BlockingIOError and InterruptedError pass through (nothing was read); any other OSError
    counts as the end. A message that cannot be read raises ProtocolError, its descriptors
    already closed.
    """
    try:
        data, ancdata, flags, _address = sock.recvmsg(MAX_MESSAGE, _ANCILLARY_SPACE)
    except (BlockingIOError, InterruptedError):
        raise
    except OSError:
        return None
    fds = received_fds(ancdata)
    if not data:  # the end (no message is ever empty)
        close_all(fds)
        return None
    if flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
        close_all(fds)
        raise ProtocolError("a message or its descriptors did not fit")
    try:
        return Received(decode(data), fds)
    except ProtocolError:
        close_all(fds)
        raise


def received_fds(ancdata: Iterable[tuple[int, int, bytes]]) -> list[int]:
    """The descriptors in recvmsg()'s ancillary data."""
    fds = array.array("i")
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    return list(fds)


def close_all(fds: Iterable[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)
