"""The catalogue: every key is read somewhere, so words nobody shows cannot pile up.

A key counts as read when kiosk/ spells it out, or when it belongs to a family
the code builds from a value (``f"category.{category}"``): then its suffix must
be one of the values the code can build. Every such family in kiosk/ must be
listed in `families()`, so a new family cannot slip past this test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from kiosk.i18n import CATALOG, LOCALES, other_locale, t
from kiosk.model import Audience, Category, ChannelKind, Confidence, SourceKind
from kiosk.numbers import Context, InvalidReason, PatternId, Unconfirmed, VerdictKind

KIOSK = Path(__file__).resolve().parents[1] / "kiosk"
SOURCES = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(KIOSK.rglob("*.py"))}
#: The leading constant of an f-string that builds a catalogue key: "category.", "number.pattern.".
_FAMILY = re.compile(r"[a-z][a-z_]*(\.[a-z_]+)*\.")
#: The first parts of catalogue keys ("number", "key"): f-strings starting otherwise build no key.
_CATALOG_GROUPS = {key.split(".")[0] for key in CATALOG}


def literal_strings() -> set[str]:
    return {
        node.value
        for path, tree in SOURCES.items()
        if path.name != "i18n.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def families_in_code() -> set[str]:
    found = set()
    for tree in SOURCES.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head = node.values[0].value
                if isinstance(head, str) and _FAMILY.fullmatch(head) and head.split(".")[0] in _CATALOG_GROUPS:
                    found.add(head)
    return found


def binding_ids() -> set[str]:
    """The ids of every key binding (the footer labels a binding by `key.<id>`)."""
    return {
        keyword.value.value
        for tree in SOURCES.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding"
        for keyword in node.keywords
        if keyword.arg == "id" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str)
    }


def qr_payload_kinds() -> set[str]:
    """What `kiosk.qr.Payload.kind` can be: its default and every kind a payload is built with."""
    tree = SOURCES[KIOSK / "qr.py"]
    kinds = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Payload" and len(node.args) >= 3:
            kinds.add(node.args[2].value)  # type: ignore[attr-defined]
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "kind" and node.value is not None:
            kinds.add(node.value.value)  # type: ignore[attr-defined]
    return kinds


def families() -> dict[str, set[str]]:
    """Each family of keys the code builds, and the suffixes it can build."""
    return {
        "key.": binding_ids(),
        "fallback.marker.": set(LOCALES),
        "category.": set(Category),
        "kind.": set(ChannelKind),
        "audience.": set(Audience),
        "confidence.": set(Confidence),
        "source.kind.": set(SourceKind),
        "qr.explain.": qr_payload_kinds(),
        "number.context.": set(Context),
        "number.verdict.": set(VerdictKind),
        "number.invalid.": set(InvalidReason),
        "number.unconfirmed.": set(Unconfirmed),
        # Wordings of their own (kiosk.number_text.pattern_key): the caller-ID pattern for a text message,
        # the international prefix when it is China's own (+86), a long 95 number found online.
        "number.pattern.": set(PatternId)
        | {f"{PatternId.CALLER_ID}.sms", f"{PatternId.INTERNATIONAL_PREFIX}.cn", f"{PatternId.LONG_95}.found_online"},
    }


def test_every_family_of_keys_built_in_code_is_known_here():
    assert families_in_code() == set(families())


def test_every_catalogue_key_is_read_somewhere():
    literal = literal_strings()
    built = {prefix + suffix for prefix, suffixes in families().items() for suffix in suffixes}
    assert [key for key in CATALOG if key not in literal and key not in built] == []


def test_the_families_are_not_empty():
    # A family whose values were not found would make the test above pass for nothing.
    assert all(families().values())
    assert {"back", "home", "language", "search", "next"} <= binding_ids()
    assert {"tel", "web", "email", "text", "guide"} == qr_payload_kinds()


def test_lookup_formats_and_falls_back_to_the_first_locale():
    assert t("search.count", "en", n=3) != t("search.count", "zh-CN", n=3)
    assert t("app.title", "fr") == t("app.title", LOCALES[0])
    assert other_locale(LOCALES[0]) == LOCALES[1] and other_locale("fr") == LOCALES[1]
