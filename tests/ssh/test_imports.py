"""The kiosk and its config checker never load the SSH server; the fork server never loads asyncssh."""

import json

from helpers import run_python


def test_cli_config_and_fork_server_modules_do_not_import_asyncssh():
    result = run_python(
        """
        import json, sys
        import kiosk.cli, kiosk.config, kiosk.config_cli, kiosk.ssh.settings, kiosk.ssh.cli
        import kiosk.ssh.forkserver, kiosk.ssh.child, kiosk.ssh.filter
        print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('asyncssh', 'cryptography'))))
        """
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
