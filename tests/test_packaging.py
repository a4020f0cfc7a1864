"""Every pack distribution in the repository agrees with the host: group name, host range, data file."""

from __future__ import annotations

import re
import tomllib

import pytest
from helpers import REPO
from packaging.requirements import Requirement

from kiosk import __version__
from kiosk.compat import HOST_DISTRIBUTION
from kiosk.discovery import ENTRY_POINT_GROUP

PACK_DIRS = sorted(p.parent for p in (REPO / "packs").glob("*/pyproject.toml"))


def test_the_three_bundled_packs_are_present():
    assert {p.name for p in PACK_DIRS} >= {"alipay", "wechat", "applepay"}


@pytest.mark.parametrize("pack_dir", PACK_DIRS, ids=lambda p: p.name)
def test_pack_pyproject_matches_the_host(pack_dir):
    project = tomllib.loads((pack_dir / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == f"kiosk-pack-{pack_dir.name}"
    groups = project["entry-points"]
    assert list(groups) == [ENTRY_POINT_GROUP]
    assert groups[ENTRY_POINT_GROUP] == {pack_dir.name: f"kiosk_pack_{pack_dir.name}"}
    hosts = [Requirement(r) for r in project["dependencies"] if Requirement(r).name == HOST_DISTRIBUTION]
    assert len(hosts) == 1, "each pack must declare the host version range it works with"
    assert hosts[0].specifier.contains(__version__), f"{hosts[0]} excludes this kiosk ({__version__})"
    data = pack_dir / f"kiosk_pack_{pack_dir.name}" / f"{pack_dir.name}.toml"
    assert data.is_file()
    assert tomllib.loads(data.read_text(encoding="utf-8"))["pack"]["id"] == pack_dir.name


def test_host_version_is_declared_once():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == HOST_DISTRIBUTION
    assert project["version"] == __version__
    assert "textual==8.2.8" in project["dependencies"]


def test_docs_name_the_entry_point_group_exactly():
    mentioned = set()
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        mentioned |= set(re.findall(r"entry-points\.\"?([a-z._]+)\"?", doc.read_text(encoding="utf-8")))
        mentioned |= set(re.findall(r"group\s*[=:]?\s*`?\"?(kiosk\.[a-z_]+)", doc.read_text(encoding="utf-8")))
    assert mentioned == {ENTRY_POINT_GROUP}
