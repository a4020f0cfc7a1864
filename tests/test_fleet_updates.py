"""The fleet update procedure of docs/operating.md, end to end and offline.

Two versions of a pack distribution are built, published in a private PEP 503 index (a plain
folder, as a web server would serve it), pinned in lock files with hashes, installed with
`pip install --require-hashes`, upgraded and rolled back, and the kiosk is asked each time
which version it runs. A wheel that is not the one the lock names is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from helpers import TODAY

from kiosk.scaffold import create_pack

pytestmark = pytest.mark.slow

PACK_ID = "fleet-demo"
DISTRIBUTION = "kiosk-pack-fleet-demo"
SCAFFOLD_VERSION = "0.1.0"


def isolated_env(tmp_path: Path) -> dict[str, str]:
    """No pip configuration of this machine (its indexes, find-links, constraints), no kiosk settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "KIOSK_", "TEXTUAL"))}
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / "config"),
        XDG_CACHE_HOME=str(tmp_path / "home" / "cache"),
    )
    return env


def pip(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, env=env, timeout=180, check=False
    )


def build_versions(tmp_path: Path, env: dict[str, str], versions: list[str]) -> dict[str, Path]:
    """One wheel per version of the same pack, built here with no network and no build isolation."""
    wheels = {}
    for version in versions:
        tree = tmp_path / f"build-{version}"
        create_pack(tree, PACK_ID, today=TODAY)
        for path in (tree / "pyproject.toml", tree / "kiosk_pack_fleet_demo" / f"{PACK_ID}.toml"):
            text = path.read_text(encoding="utf-8")
            assert f'version = "{SCAFFOLD_VERSION}"' in text
            path.write_text(text.replace(f'version = "{SCAFFOLD_VERSION}"', f'version = "{version}"', 1), "utf-8")
        out = tmp_path / f"wheel-{version}"
        built = pip(env, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", str(out), str(tree))
        assert built.returncode == 0, built.stderr
        [wheels[version]] = out.glob("*.whl")
    return wheels


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def publish(index: Path, wheels: list[Path]) -> str:
    """A PEP 503 "simple" index in a folder: the project list, one page per project, files with
    #sha256= fragments. Returns the index URL for pip."""
    files = index / "files"
    files.mkdir(parents=True, exist_ok=True)
    links = []
    for wheel in wheels:
        (files / wheel.name).write_bytes(wheel.read_bytes())
        links.append(f'<a href="../../files/{wheel.name}#sha256={sha256(files / wheel.name)}">{wheel.name}</a>')
    project = re.sub(r"[-_.]+", "-", DISTRIBUTION).lower()  # PEP 503 normalisation
    page = index / "simple" / project
    page.mkdir(parents=True, exist_ok=True)
    (page / "index.html").write_text("<!DOCTYPE html>\n<html><body>\n" + "\n".join(links) + "\n</body></html>\n")
    (index / "simple" / "index.html").write_text(
        f'<!DOCTYPE html>\n<html><body>\n<a href="{project}/">{project}</a>\n</body></html>\n'
    )
    return (index / "simple").as_uri() + "/"


def write_lock(path: Path, version: str, wheel: Path) -> Path:
    path.write_text(f"{DISTRIBUTION}=={version} \\\n    --hash=sha256:{sha256(wheel)}\n", encoding="utf-8")
    return path


def branch_environment(tmp_path: Path) -> Path:
    """A fresh virtual environment standing for a branch's /opt/wallet-kiosk/.venv: packs are
    installed into its own site-packages; the kiosk itself comes from this test environment."""
    venv = tmp_path / "branch-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    here = sysconfig.get_paths()["purelib"]
    (Path(site) / "_kiosk_from_the_test_environment.pth").write_text(f"import site; site.addsitedir({here!r})\n")
    return python


def install(env: dict[str, str], python: Path, index_url: str, lock: Path) -> subprocess.CompletedProcess:
    """The documented command: hashes required, only the private index, only wheels."""
    return pip(
        env,
        "--python",
        str(python),
        "install",
        "--require-hashes",
        "--no-deps",
        "--only-binary",
        ":all:",
        "--no-cache-dir",
        "--index-url",
        index_url,
        "-r",
        str(lock),
    )


def kiosk_sees(env: dict[str, str], python: Path) -> tuple[str, str, str]:
    """(status, distribution version, pack version) of the pack, from `kiosk packs list --json`.

    In development mode's view: what is installed and loads, whether or not an operator approved it
    (approving is tests/test_approvals.py's subject; here the question is which files are installed).
    """
    listed = subprocess.run(
        [str(python), "-m", "kiosk", "--no-kiosk", "packs", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    [row] = [row for row in json.loads(listed.stdout) if row["id"] == PACK_ID]
    assert row["distribution"] == DISTRIBUTION
    return row["status"], row["version"], row["pack_version"]


def tampered(wheel: Path, out: Path) -> Path:
    """The same wheel name with different contents: a changed pack document inside."""
    out.mkdir(parents=True, exist_ok=True)
    copy = out / wheel.name
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith(f"{PACK_ID}.toml"):
                data = data.replace(b'version = "2.0.0"', b'version = "2.0.1"', 1)
            dst.writestr(item, data)
    assert sha256(copy) != sha256(wheel)
    return copy


def test_packs_are_installed_from_a_private_index_by_lock_upgraded_and_rolled_back(tmp_path):
    env = isolated_env(tmp_path)
    wheels = build_versions(tmp_path, env, ["1.0.0", "2.0.0"])
    index_url = publish(tmp_path / "index", list(wheels.values()))
    lock_1 = write_lock(tmp_path / "packs-2026.11.lock", "1.0.0", wheels["1.0.0"])
    lock_2 = write_lock(tmp_path / "packs-2026.12.lock", "2.0.0", wheels["2.0.0"])
    python = branch_environment(tmp_path)

    first = install(env, python, index_url, lock_1)
    assert first.returncode == 0, first.stderr
    assert kiosk_sees(env, python) == ("loaded", "1.0.0", "1.0.0")

    upgrade = install(env, python, index_url, lock_2)
    assert upgrade.returncode == 0, upgrade.stderr
    # (The pack cache, warm from the last start, holds version 1's document: it must not be used.)
    assert kiosk_sees(env, python) == ("loaded", "2.0.0", "2.0.0")

    rollback = install(env, python, index_url, lock_1)
    assert rollback.returncode == 0, rollback.stderr
    assert kiosk_sees(env, python) == ("loaded", "1.0.0", "1.0.0")


def test_a_wheel_that_is_not_the_locked_one_is_refused(tmp_path):
    """Someone replaced version 2 on the index, and even fixed the index page's hash: the lock's
    hash still refuses it, and the branch keeps what it had."""
    env = isolated_env(tmp_path)
    wheels = build_versions(tmp_path, env, ["1.0.0", "2.0.0"])
    lock_1 = write_lock(tmp_path / "packs-2026.11.lock", "1.0.0", wheels["1.0.0"])
    lock_2 = write_lock(tmp_path / "packs-2026.12.lock", "2.0.0", wheels["2.0.0"])
    python = branch_environment(tmp_path)
    genuine_url = publish(tmp_path / "genuine", list(wheels.values()))
    assert install(env, python, genuine_url, lock_1).returncode == 0

    forged = tampered(wheels["2.0.0"], tmp_path / "forged")
    forged_url = publish(tmp_path / "forged-index", [wheels["1.0.0"], forged])
    refused = install(env, python, forged_url, lock_2)
    assert refused.returncode != 0
    assert "DO NOT MATCH THE HASHES" in refused.stderr, refused.stderr
    assert f"Expected sha256 {sha256(wheels['2.0.0'])}" in refused.stderr
    assert kiosk_sees(env, python) == ("loaded", "1.0.0", "1.0.0")

    # A lock line without a hash is refused as well: --require-hashes allows nothing unpinned.
    unhashed = tmp_path / "unhashed.lock"
    unhashed.write_text(f"{DISTRIBUTION}==2.0.0\n", encoding="utf-8")
    refused = install(env, python, genuine_url, unhashed)
    assert refused.returncode != 0 and "Hashes are required" in refused.stderr, refused.stderr
    assert kiosk_sees(env, python) == ("loaded", "1.0.0", "1.0.0")
