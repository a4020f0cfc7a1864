"""Write `kiosk/builtin/bundled.py`: what the kiosk records about every pack it ships.

Run from a checkout after changing a bundled pack's document (the test suite
fails until it is run, and `make bundled-record` does it):

    python -m kiosk.builtin.record_bundled

For the general pack and every distribution under packs/, it records the pack
id, the distribution, the document's path inside the distribution, the names
and the SHA-256 of the document. `kiosk.trust` explains what the kiosk does
with them.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

HEADER = '''"""What the kiosk records about the packs it ships: written by `python -m kiosk.builtin.record_bundled`.

Do not edit by hand. A pack is bundled only when its distribution has the name
and its document the SHA-256 recorded here (see kiosk.trust).
"""

from __future__ import annotations

BUNDLED_DOCUMENTS: tuple[dict, ...] = (
'''

GROUP = "kiosk.packs"


def repository_root() -> Path:
    return Path(__file__).resolve().parents[2]


def bundled_entries(root: Path) -> list[dict]:
    from kiosk.trust import document_digest, normalise_distribution

    general = root / "kiosk" / "builtin" / "general.toml"
    entries = [_entry(general, None, "kiosk/builtin/general.toml", document_digest)]
    for project in sorted((root / "packs").glob("*/pyproject.toml")):
        meta = tomllib.loads(project.read_text(encoding="utf-8"))["project"]
        distribution = normalise_distribution(meta["name"])
        for target in meta.get("entry-points", {}).get(GROUP, {}).values():
            module = target.partition(":")[0].strip()
            package = project.parent / Path(*module.split("."))
            for document in sorted(package.glob("*.toml")):
                relative = document.relative_to(project.parent).as_posix()
                entries.append(_entry(document, distribution, relative, document_digest))
    return entries


def _entry(document: Path, distribution: str | None, relative: str, digest) -> dict:
    data = document.read_bytes()
    manifest = tomllib.loads(data.decode("utf-8"))["pack"]
    return {
        "id": manifest["id"],
        "distribution": distribution,
        "document": relative,
        "sha256": digest(data),
        "names": sorted(set(manifest["name"].values())),
    }


def render(root: Path) -> str:
    lines = [HEADER]
    for entry in bundled_entries(root):
        lines.append("    {\n")
        for key, value in entry.items():
            # JSON spelling is Python's too here (strings, lists of strings), and what ruff keeps.
            literal = "None" if value is None else json.dumps(value, ensure_ascii=False)
            lines.append(f'        "{key}": {literal},\n')
        lines.append("    },\n")
    lines.append(")\n")
    return "".join(lines)


def main() -> int:
    root = repository_root()
    target = root / "kiosk" / "builtin" / "bundled.py"
    text = render(root)
    changed = not target.exists() or target.read_text(encoding="utf-8") != text
    target.write_text(text, encoding="utf-8")
    print(f"{'wrote' if changed else 'unchanged'}: {target.relative_to(root)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
