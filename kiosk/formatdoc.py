"""Generate the pack format and hook reference from the code itself.

docs/packs.md embeds this output between markers, and a test regenerates it:
a field or hook added, renamed or removed in code without the guide fails
the suite (and the reverse), so the guide can never describe another format.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing

from kiosk import hookspecs, model

BEGIN = "<!-- BEGIN GENERATED REFERENCE (python -m kiosk.formatdoc) -->"
END = "<!-- END GENERATED REFERENCE -->"

#: Tables in the order a pack author meets them, with the TOML header they appear under.
SECTIONS: tuple[tuple[str, type], ...] = (
    ("top level", model.Pack),
    ("[pack]", model.Manifest),
    ("[[channels]]", model.Channel),
    ("hours / automated_hours (a table)", model.Schedule),
    ("hours.rules", model.Rule),
    ("hours.overrides", model.Override),
    ("[[guides]]", model.Guide),
    ("guides.steps", model.Step),
    ("sources (of guides, scams, never_asks, escalation)", model.Source),
    ("[[checklist]]", model.ChecklistItem),
    ("[[scams]]", model.ScamWarning),
    ("[[never_asks]]", model.NeverAsks),
    ("[[escalation]]", model.EscalationRung),
    ("[[prepare]]", model.PrepareItem),
)


def reference() -> str:
    parts = [BEGIN, "", "### Fields", ""]
    for header, cls in SECTIONS:
        parts.append(f"#### `{header}`")
        parts.append("")
        parts.append("| key | type | required | meaning |")
        parts.append("|---|---|---|---|")
        hints = typing.get_type_hints(cls, vars(model))
        for f in dataclasses.fields(cls):
            if f.metadata.get("kind") == "internal":
                continue
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            default = "yes" if required else f"no (default {_default(f)})"
            parts.append(f"| `{f.name}` | {_type_name(hints[f.name])} | {default} | {f.metadata['doc']} |")
        parts.append("")
    parts += ["### Hooks", ""]
    for name, func in sorted(inspect.getmembers(hookspecs, inspect.isfunction)):
        if not name.startswith("kiosk_"):
            continue
        signature = inspect.signature(func)
        returns = str(signature.return_annotation).strip("'\"")
        params = ", ".join(signature.parameters)
        parts.append(f"#### `{name}({params}) -> {returns}`")
        parts.append("")
        parts.append(inspect.cleandoc(func.__doc__ or ""))
        parts.append("")
    parts.append(END)
    return "\n".join(parts)


def _default(f: dataclasses.Field) -> str:
    if "default_doc" in f.metadata:
        return f"`{f.metadata['default_doc']}`"
    value = f.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value == ():
        return "`[]`"
    return f"`{value}`"


def _type_name(tp: object) -> str:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or (origin is not None and type(None) in args):
        inner = [a for a in args if a is not type(None)]
        return _type_name(inner[0])
    if origin is tuple:
        return f"list of {_type_name(args[0])}"
    if tp is model.Text:
        return "text (locale table)"
    if tp is model.Value:
        return "string or locale table"
    if tp is model.Schedule:
        return '`"unknown"`, `"always"` or table'
    if tp is model.Interval:
        return '`"HH:MM-HH:MM"`'
    if isinstance(tp, type) and issubclass(tp, str) and tp is not str:
        return "one of " + ", ".join(f"`{m.value}`" for m in tp)  # type: ignore[attr-defined]
    names = {str: "string", int: "integer", bool: "boolean"}
    if tp in names:
        return names[tp]
    if getattr(tp, "__name__", "") == "date":
        return "date"
    if dataclasses.is_dataclass(tp):
        return "table"
    return str(tp)


if __name__ == "__main__":  # pragma: no cover
    print(reference())
