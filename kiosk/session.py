"""What one customer has done at the kiosk. Nothing here outlives them.

The UI keeps every piece of customer state in one `Session`, so the end of a
visit (idle reset, "end session") can drop it in one assignment and nothing
of the previous customer is reachable by the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.model import LOCALES


@dataclass
class Session:
    locale: str = LOCALES[0]
    search_query: str = ""
    #: Checklist ticks as (pack id, item id).
    ticked: set[tuple[str, str]] = field(default_factory=set)
    #: Wallet packs whose checklist items the customer added.
    checklist_wallets: set[str] = field(default_factory=set)
    #: Guide feedback given in this visit, by (pack id, guide id): True helpful, False not.
    feedback: dict[tuple[str, str], bool] = field(default_factory=dict)
    #: Text typed on the "is this number official?" screen; never written anywhere.
    number_entered: str = ""
    #: How that number reached the customer (a `kiosk.numbers.Context` value), or "" until they say;
    #: never written anywhere. No default: "do not call back" is advice for a call or a text only.
    number_context: str = ""
