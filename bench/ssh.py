"""Remote sessions over `kiosk ssh`: the place for its benchmarks once the command exists.

To measure, per the issue:
* connect to first screen, as a ratio to the local cold start of `bench.startup`
  (budget 1.5x), with the same first-paint hook as `bench.start`;
* 50 concurrent sessions: keystroke-to-update p95 (budget under 150 ms) and
  memory per session (server RSS growth divided by sessions).

Until `kiosk ssh` exists this section is listed as not run, with the reason.
"""

from __future__ import annotations

from bench.sections import Context, Section, SectionResult


def _kiosk_commands() -> set[str]:
    import argparse

    from kiosk.cli import build_parser

    return {name for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices}


def available() -> str | None:
    if "ssh" not in _kiosk_commands():
        return "`kiosk ssh` does not exist yet (connect-to-first-screen ≤ 1.5x local start; " \
               "50 sessions: keystroke-to-update p95 < 150 ms, memory per session)"
    return "`kiosk ssh` exists but bench/ssh.py does not measure it yet"


def _rows(ctx: Context) -> SectionResult:
    raise NotImplementedError(available())


SECTION = Section("ssh", "kiosk ssh: connect to first screen, concurrent sessions", _rows, available)
