"""`python -m kiosk.calendars check FOLDER`: check a folder of extra calendar year files.

Prints each problem as `file:line: field: problem` and exits 1 if there is any,
0 when every file would be used. Nothing is changed.
"""

from __future__ import annotations

import sys

from kiosk.calendars import check_calendar_dir


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "check":
        print("usage: python -m kiosk.calendars check FOLDER", file=sys.stderr)
        return 2
    problems = check_calendar_dir(argv[1])
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{argv[1]}: every calendar file is valid")
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
