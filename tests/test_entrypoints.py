"""The start-up entry-point scanner finds exactly what importlib.metadata finds."""

from __future__ import annotations

from importlib.metadata import distributions

from kiosk.discovery import ENTRY_POINT_GROUP
from kiosk.entrypoints import entry_points


def reference(paths: list[str]):
    seen, found = set(), []
    for dist in distributions(path=paths):
        name = dist.metadata["Name"].lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        found += [
            (ep.name, ep.value, dist.metadata["Name"], dist.version, tuple(dist.requires or ()))
            for ep in dist.entry_points
            if ep.group == ENTRY_POINT_GROUP
        ]
    return sorted(found)


def scanned(paths: list[str]):
    return sorted(
        (ep.name, ep.value, ep.dist.metadata["Name"], ep.dist.version, tuple(ep.dist.requires))
        for ep in entry_points(ENTRY_POINT_GROUP, paths)
    )


def test_same_answer_as_importlib_metadata(fake_site, tmp_path):
    fake_site.add("kiosk-pack-one", module="ep_one_mod", entry_point="one", requires=["wallet-kiosk>=0.1,<1", "rich"])
    fake_site.add("Kiosk_Pack.Two", module="ep_two_mod", entry_point="two", target="ep_two_mod:plugin", version="2.0")
    shadow = type(fake_site)(tmp_path / "later")
    shadow.add("kiosk-pack-one", module="ep_one_shadow", entry_point="one-shadow")  # later on the path: shadowed
    paths = [str(fake_site.root), str(shadow.root)]
    winners = [ep for ep in entry_points(ENTRY_POINT_GROUP, paths) if ep.dist.shadowed_by is None]
    assert sorted(_row(ep) for ep in winners) == reference(paths)
    assert [e[0] for e in scanned(paths)] == ["one", "one-shadow", "two"]


def test_a_later_copy_of_a_distribution_is_listed_with_the_copy_that_shadows_it(fake_site, tmp_path):
    fake_site.add("kiosk-pack-one", module="ep_first_mod", entry_point="one")
    later = type(fake_site)(tmp_path / "later")
    later.add("Kiosk_Pack_One", module="ep_later_mod", entry_point="one", version="2.0")
    first, second = entry_points(ENTRY_POINT_GROUP, [str(fake_site.root), str(later.root)])
    assert first.dist.shadowed_by is None
    assert second.dist.shadowed_by is not None
    assert second.dist.shadowed_by.path == first.dist.path
    assert (second.dist.version, second.dist.shadowed_by.version) == ("2.0", "1.0.0")


def test_a_folder_named_twice_on_the_path_is_read_once(fake_site):
    fake_site.add("kiosk-pack-one", module="ep_twice_mod", entry_point="one")
    found = entry_points(ENTRY_POINT_GROUP, [str(fake_site.root), str(fake_site.root)])
    assert [(ep.name, ep.dist.shadowed_by) for ep in found] == [("one", None)]


def _row(ep):
    return (ep.name, ep.value, ep.dist.metadata["Name"], ep.dist.version, tuple(ep.dist.requires))


def test_other_groups_and_missing_folders_are_ignored(tmp_path):
    info = tmp_path / "other-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Name: other\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[console_scripts]\nother = other:main\n", encoding="utf-8")
    assert entry_points(ENTRY_POINT_GROUP, [str(tmp_path), str(tmp_path / "missing")]) == []


def test_load_resolves_module_and_attribute(fake_site):
    fake_site.add(
        "kiosk-pack-attr",
        module="ep_attr_mod",
        code="class Holder:\n    plugin = 42\n",
        entry_point="attr",
        target="ep_attr_mod:Holder.plugin",
    )
    [ep] = entry_points(ENTRY_POINT_GROUP, [str(fake_site.root)])
    assert ep.load() == 42
