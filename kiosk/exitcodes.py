"""Exit codes: the one convention of every `kiosk` command and of the kiosk itself.

A script can tell "found problems" (1) from "called wrongly" (2); a supervisor
(systemd, the SSH front door) knows why the kiosk stopped: deploy/wallet-kiosk.service
keeps the kiosk down after a staff maintenance exit (RestartPreventExitStatus) and
restarts it after anything else. DESCRIPTIONS is the exit-code table of
docs/operating.md, word for word (a test compares them).
"""

OK = 0
ERROR = 1  # also what Python exits with on an uncaught exception
# The same code, named for commands that refuse what the operator gave (a configuration, a password).
INVALID = ERROR
USAGE = 2  # argparse's own code for a bad command line
STAFF_MAINTENANCE = 10
STAFF_RESTART = 11
IDLE_TIMEOUT = 12  # remote sessions only
TERMINAL_LOST = 13  # no key can arrive any more (also SIGHUP)
UNEXPECTED_ERROR = 14  # the kiosk showed "sorry, starting again"; the traceback is in the operator log

DESCRIPTIONS = {
    OK: "done: a command succeeded, a remote customer ended their session, a development run was quit, "
    "the kiosk was told to stop (SIGTERM)",
    ERROR: "a check found problems (`kiosk config check`, `kiosk packs validate`, `kiosk status`: degraded), "
    "a command failed, or an unexpected error",
    USAGE: "bad command line (`kiosk status`: broken)",
    STAFF_MAINTENANCE: "staff exit for maintenance",
    STAFF_RESTART: "staff restart (e.g. after installing a pack)",
    IDLE_TIMEOUT: "a remote session ended because nobody was there",
    TERMINAL_LOST: "the terminal hung up (closed or disconnected, or SIGHUP)",
    UNEXPECTED_ERROR: "the kiosk stopped on an unexpected error: the customer saw a short "
    '"sorry, starting again" screen and the traceback is in the operator log',
}
