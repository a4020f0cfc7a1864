"""`kiosk number check NUMBER`: the verdict the kiosk's number-check screen gives, for staff and scripts.

It judges against the packs the kiosk shows (kiosk.packselect, in the profile
of the command line), so it answers exactly as the screen would. `--json`
has `verdict` and, for each listing, the pack, its distribution, provenance
and confidence. Nothing typed here is written anywhere.
"""

from __future__ import annotations

import argparse
import sys

from kiosk import exitcodes
from kiosk.textsafety import escape

#: The command line's names for how the number reached the customer.
CONTEXTS = {"call": "incoming_call", "sms": "sms", "online": "found_online"}


def run(args: argparse.Namespace) -> int:
    from kiosk.number_text import verdict_text
    from kiosk.numbers import Context, check_number
    from kiosk.packselect import select_configured
    from kiosk.profile import Profile

    context = Context(CONTEXTS[args.context])
    selected, problems = select_configured(getattr(args, "config", None), args.profile or Profile.KIOSK)
    for problem in problems:
        print(f"kiosk: {escape(problem)}", file=sys.stderr)
    packs = selected.packs
    verdict = check_number(args.number, context, packs)
    if args.json:
        import json  # only `--json` needs it

        json.dump(verdict.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for line in verdict_text(verdict, context, args.locale).lines():
            print(escape(line))  # pack text (labels, names) is in these lines
    return exitcodes.OK


__all__ = ["CONTEXTS", "run"]
