"""The kiosk and its config checker never load the SSH server; the fork server never loads asyncssh."""

import json

from helpers import run_python


def test_cli_config_and_fork_server_modules_do_not_import_asyncssh():
    result = run_python(
        """
        import json, sys
        import kiosk.cli, kiosk.config, kiosk.config_cli, kiosk.config.remote, kiosk.ssh.cli
        import kiosk.forkserver.server, kiosk.forkserver.client, kiosk.forkserver.protocol
        import kiosk.forkserver.environment, kiosk.ssh.child, kiosk.ssh.spawn_exec, kiosk.ssh.pty
        import kiosk.ssh.filter
        print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('asyncssh', 'cryptography'))))
        """
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_the_ssh_server_loads_no_textual_and_no_web_server():
    """The kiosk runs in the session processes; the server itself stays small (see `make bench`)."""
    result = run_python(
        """
        import json, sys
        import kiosk.ssh.server, kiosk.ssh.cli, kiosk.forkserver.client
        print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_serve', 'aiohttp'))))
        """
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
