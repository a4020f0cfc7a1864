"""Synthetic installed pack distributions, laid out like site-packages.

`build_site(root, n_packs, guides_per_pack)` writes one distribution per pack
of `bench.corpus.synthetic_packs`: a package `kiosk_pack_synth_NNN` whose
`kiosk_packs` hook returns its `pack.toml` (the pack exported with
`kiosk.packexport.export_pack`), written like the bundled packs, plus
`kiosk_pack_synth_NNN-1.0.0.dist-info` with METADATA and an `entry_points.txt`
in the `kiosk.packs` group. Put `root` on PYTHONPATH and the real
`importlib.metadata.entry_points()` finds them. Bytecode is compiled up front,
as pip does on install.
"""

from __future__ import annotations

import compileall
from pathlib import Path

from bench.corpus import synthetic_packs
from kiosk.discovery import ENTRY_POINT_GROUP
from kiosk.packexport import export_pack

VERSION = "1.0.0"

_PLUGIN = '''"""wallet-kiosk pack: {name} (synthetic, for benchmarks)."""

from importlib.resources import files

from kiosk import hookimpl


@hookimpl
def kiosk_packs():
    return [files(__name__) / "pack.toml"]
'''


def module_name(number: int) -> str:
    return f"kiosk_pack_synth_{number:03d}"


def build_site(root: Path, n_packs: int, guides_per_pack: int, seed: int = 0) -> list[str]:
    """Write `n_packs` pack distributions into `root`; the pack ids they provide."""
    root.mkdir(parents=True, exist_ok=True)
    ids = []
    for number, pack in enumerate(synthetic_packs(n_packs, guides_per_pack, seed=seed)):
        module = module_name(number)
        package = root / module
        package.mkdir()
        (package / "__init__.py").write_text(_PLUGIN.format(name=pack.pack.name["en"]), encoding="utf-8")
        (package / "pack.toml").write_text(export_pack(pack), encoding="utf-8", newline="\n")
        info = root / f"{module}-{VERSION}.dist-info"
        info.mkdir()
        metadata = [
            "Metadata-Version: 2.1",
            f"Name: {module.replace('_', '-')}",
            f"Version: {VERSION}",
            "Requires-Dist: wallet-kiosk<1,>=0.1",
        ]
        (info / "METADATA").write_text("\n".join(metadata) + "\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{pack.id} = {module}\n", encoding="utf-8")
        (info / "top_level.txt").write_text(module + "\n", encoding="utf-8")
        ids.append(pack.id)
    compileall.compile_dir(root, quiet=1)
    return ids
