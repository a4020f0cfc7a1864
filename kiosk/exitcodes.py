"""Exit codes, so a supervisor (systemd, the SSH front door) knows why the kiosk stopped.

docs/operating.md lists them; deploy/wallet-kiosk.service keeps the kiosk down
after a staff maintenance exit (RestartPreventExitStatus) and restarts it
after anything else.
"""

OK = 0  # a remote customer ended their session, or a development run was quit
ERROR = 1  # an unexpected error (Python's default for an uncaught exception)
INVALID = 1  # what the operator gave was refused (a configuration, a password) and reported; nothing changed
USAGE = 2  # bad command line
STAFF_MAINTENANCE = 10  # staff exited with the PIN: keep the kiosk down for maintenance
STAFF_RESTART = 11  # staff asked for a fresh start (e.g. after installing a pack)
IDLE_TIMEOUT = 12  # a remote session ended because nobody was there
TERMINAL_LOST = 13  # the terminal hung up (closed, disconnected): no key can arrive any more

DESCRIPTIONS = {
    OK: "session ended normally",
    ERROR: "unexpected error",
    USAGE: "bad command line",
    STAFF_MAINTENANCE: "staff exit for maintenance",
    STAFF_RESTART: "staff restart",
    IDLE_TIMEOUT: "remote session idle",
    TERMINAL_LOST: "terminal hung up",
}
