"""What the access log says about the real OpenSSH client: its keys by `ssh-keygen -lf`'s
fingerprint, a refused key, a forwarding request, each with its own reason."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import pytest

from ssh.conftest import wait_until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("ssh") is None or shutil.which("ssh-keygen") is None, reason="needs the OpenSSH client"
    ),
]


def keypair(folder: Path, name: str) -> tuple[Path, str]:
    """A new ed25519 key made by ssh-keygen, and its fingerprint as ssh-keygen prints it."""
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30)
    shown = subprocess.run(["ssh-keygen", "-lf", f"{key}.pub"], check=True, capture_output=True, text=True)
    return key, shown.stdout.split()[1]


async def openssh(port: int, key: Path, *args: str) -> int:
    process = await asyncio.create_subprocess_exec(
        "ssh",
        "-F",
        "/dev/null",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "LogLevel=ERROR",
        "-i",
        str(key),
        "-p",
        str(port),
        *args,
        "customer@127.0.0.1",
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return await asyncio.wait_for(process.wait(), 30)


async def test_openssh_keys_are_logged_by_fingerprint_with_a_reason_for_each_refusal(server):
    allowed, allowed_print = keypair(server.tmp_path, "allowed")
    other, other_print = keypair(server.tmp_path, "other")
    keys_file = server.tmp_path / "authorized_keys"
    keys_file.write_text(Path(f"{allowed}.pub").read_text())
    front = await server.start(auth="keys", authorized_keys=str(keys_file))

    assert await openssh(front.port, other, "-T") != 0  # not authorized
    assert await openssh(front.port, allowed, "-T") != 0  # authorized, but no terminal
    assert await openssh(front.port, allowed, "-W", "127.0.0.1:9") != 0  # a forwarding request, nothing else
    await wait_until(lambda: len(server.log_lines()) == 3, 15, "three log lines")
    rejected, no_terminal, forwarding = server.log_lines()
    assert f"key={other_print} " in rejected and 'exit="refused: rejected-key"' in rejected
    assert f"key={allowed_print} " in no_terminal and 'exit="refused: no terminal"' in no_terminal
    assert f"key={allowed_print} " in forwarding and 'exit="refused: forwarding"' in forwarding
    refused = front.health.tally.refused()
    assert (refused["rejected-key"], refused["no-terminal"], refused["forwarding"]) == (1, 1, 1)
