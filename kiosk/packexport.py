"""Write a pack back as a TOML document: the reverse of `kiosk.packfile`.

The walk is generic over the dataclasses in `kiosk.model`, like the reader:
a field equal to its default is left out, texts become locale tables, a
language-neutral value a plain string, a schedule `"unknown"`, `"always"` or
a table, an interval `"HH:MM-HH:MM"` (one that runs past midnight is written
as `"22:00-02:00"` again), enums their value, and dates stay TOML dates.
Reading the exported text gives a pack equal to the one exported.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
from typing import TYPE_CHECKING

from kiosk.model import Interval, Pack, Schedule, ScheduleState, Text, Value

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

HEADER = "# Exported by `kiosk packs export`. Pack format {format}; see docs/packs.md for every field.\n"

_DAY_MINUTES = 24 * 60


def pack_to_document(pack: Pack) -> dict:
    """The pack as plain TOML values (dicts, lists, strings, numbers, booleans, dates)."""
    return _table(pack)


def export_pack(pack: Pack, *, header: bool = True) -> str:
    """The pack as TOML text that `kiosk.packfile.read_pack` reads back into an equal pack."""
    import tomli_w

    text = tomli_w.dumps(pack_to_document(pack))
    return (HEADER.format(format=pack.format) + "\n" + text) if header else text


def _table(obj: DataclassInstance) -> dict[str, object]:
    out: dict = {}
    for f in dataclasses.fields(obj):
        if f.metadata.get("kind") == "internal":
            continue
        value = getattr(obj, f.name)
        if _is_default(f, value):
            continue
        out[f.name] = _value(value)
    return out


def _is_default(f: dataclasses.Field, value: object) -> bool:
    if f.default is not dataclasses.MISSING:
        return value == f.default
    if f.default_factory is not dataclasses.MISSING:
        return value == f.default_factory()
    return False


def _value(value: object) -> object:
    if isinstance(value, Value) and value.neutral is not None:
        return value.neutral
    if isinstance(value, Text):
        return dict(value.items())
    if isinstance(value, Schedule):
        if value.state is ScheduleState.UNKNOWN:
            return str(ScheduleState.UNKNOWN)
        if value.state is ScheduleState.ALWAYS:
            return str(ScheduleState.ALWAYS)
        return _table(value)
    if isinstance(value, Interval):
        return _interval(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return [_value(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _table(value)
    if isinstance(value, (str, int, bool, _dt.date)):
        return value
    raise TypeError(f"cannot export {type(value).__name__} {value!r}")  # a model bug, not a pack problem


def _interval(interval: Interval) -> str:
    end = interval.end - _DAY_MINUTES if interval.end > _DAY_MINUTES else interval.end
    return f"{_hhmm(interval.start)}-{_hhmm(end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


__all__ = ["export_pack", "pack_to_document"]
