"""The fork server's messages: what each side may send, and how descriptors travel with them."""

from __future__ import annotations

import json
import os
import socket

import pytest

from kiosk.forkserver import protocol
from kiosk.forkserver.protocol import (
    MAX_FDS,
    MAX_MESSAGE,
    Exited,
    Failed,
    ProtocolError,
    Ready,
    Spawn,
    Spawned,
    Stdio,
    decode,
    encode,
)

EVERY_MESSAGE = [
    Spawn(1, {"TERM": "xterm", "HOME": "/tmp/h"}, "/tmp/h", Stdio.PTY),
    Spawn(2, {}, "/", Stdio.PIPES),
    Ready(4321),
    Spawned(1, 4322),
    Failed(2, "the fork server has threads; refusing to fork"),
    Exited(4322, 0),
    Exited(4323, -9),
    Exited(4324, None),
]


@pytest.fixture
def pair():
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    yield ours, theirs
    ours.close()
    theirs.close()


def open_fds() -> set[int]:
    return {int(name) for name in os.listdir("/proc/self/fd")}


@pytest.mark.parametrize("message", EVERY_MESSAGE, ids=lambda m: type(m).__name__)
def test_every_message_survives_the_wire(message):
    assert decode(encode(message)) == message


def test_the_wire_format_is_a_json_object_named_by_its_type():
    assert json.loads(encode(Spawn(7, {"A": "b"}, "/home", Stdio.PIPES))) == {
        "type": "spawn",
        "id": 7,
        "env": {"A": "b"},
        "cwd": "/home",
        "stdio": "pipes",
    }
    assert decode(b'{"type": "spawn", "id": 1, "env": {}, "cwd": "/"}') == Spawn(1, {}, "/", Stdio.PTY)  # the default


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"\xff\xfe", "not JSON"),
        (b"not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"id": 1}', "unknown message type None"),
        (b'{"type": "shutdown"}', "unknown message type 'shutdown'"),
        (b'{"type": ["spawn"]}', "unknown message type"),
        (b'{"type": "spawned", "id": 1}', "spawned: fields ['id'], expected ['id', 'pid']"),
        (b'{"type": "ready", "pid": 1, "extra": 2}', "ready: fields"),
        (b'{"type": "ready", "pid": "1"}', "ready: pid = '1'"),
        (b'{"type": "ready", "pid": true}', "ready: pid = True"),
        (b'{"type": "exited", "pid": 1, "code": 1.5}', "exited: code = 1.5"),
        (b'{"type": "spawn", "id": 1, "env": {"A": 1}, "cwd": "/"}', "env must map text to text"),
        (b'{"type": "spawn", "id": 1, "env": {}, "cwd": "/", "stdio": "socket"}', "stdio = 'socket'"),
    ],
)
def test_anything_else_is_a_protocol_error_that_says_what(data, problem):
    with pytest.raises(ProtocolError) as caught:
        decode(data)
    assert problem in str(caught.value)


def test_descriptors_travel_with_their_message(pair):
    ours, theirs = pair
    read_end, write_end = os.pipe()
    try:
        protocol.send(ours, Spawned(3, 99), [write_end])
        received = protocol.receive(theirs)
        assert received is not None
        assert received.message == Spawned(3, 99)
        [passed] = received.fds
        assert passed != write_end  # a new descriptor for the same pipe
        os.write(passed, b"through the passed descriptor")
        os.close(passed)
        os.close(write_end)
        assert os.read(read_end, 100) == b"through the passed descriptor"
    finally:
        os.close(read_end)


def test_the_end_of_the_other_side_reads_as_none(pair):
    ours, theirs = pair
    ours.close()
    assert protocol.receive(theirs) is None


def test_a_message_that_cannot_be_read_closes_the_descriptors_it_brought(pair):
    ours, theirs = pair
    read_end, write_end = os.pipe()
    before = open_fds()
    ours.sendmsg([b'{"type": "nonsense"}'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, write_end.to_bytes(4, "little"))])
    with pytest.raises(ProtocolError):
        protocol.receive(theirs)
    assert open_fds() == before  # the received copy is closed again
    os.close(read_end)
    os.close(write_end)


def test_an_oversized_datagram_is_refused_not_half_read(pair):
    ours, theirs = pair
    ours.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * MAX_MESSAGE)
    ours.send(b"{" + b" " * MAX_MESSAGE + b"}")
    with pytest.raises(ProtocolError, match="did not fit"):
        protocol.receive(theirs)


def test_the_sender_refuses_what_the_receiver_could_not_read(pair):
    ours, _ = pair
    with pytest.raises(ProtocolError, match="larger than"):
        protocol.send(ours, Spawn(1, {"BIG": "x" * MAX_MESSAGE}, "/"))
    with pytest.raises(ProtocolError, match="descriptors"):
        protocol.send(ours, Spawn(1, {}, "/", Stdio.PIPES), [0] * (MAX_FDS + 1))


def test_a_request_names_the_descriptors_its_terminal_needs():
    assert (Stdio.PTY.fd_count, Stdio.PIPES.fd_count) == (1, 3)
