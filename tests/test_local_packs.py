"""Local packs: TOML files in the operator's packs folder load like installed packs, under the same rules."""

from __future__ import annotations

import json
import os

import pytest
from helpers import minimal_pack_text, run_kiosk

from kiosk.discovery import ENV_PACKS_DIR, discover_local, load_packs, local_packs_dir
from kiosk.packset import PackStatus, Selection


def pack_text(pack_id: str) -> str:
    # A name of its own: packs whose names read alike are quarantined as imitations.
    return minimal_pack_text(
        **{
            'id = "demo"': f'id = "{pack_id}"',
            'name = { zh-CN = "演示钱包", en = "Demo Wallet" }': f'name = {{ zh-CN = "{pack_id}", en = "{pack_id}" }}',
        }
    )


def load(folder, site=None, **kwargs):
    kwargs.setdefault("selection", Selection())
    return load_packs(eps=site.entry_points() if site else [], local_dir=folder, **kwargs)


def test_local_packs_load_after_installed_ones_in_file_name_order(tmp_path, fake_site):
    fake_site.add_pack("kiosk-pack-good", "local_good_mod", pack_text("good"), entry_point="good")
    (tmp_path / "b-desk.toml").write_text(pack_text("branch-b"), encoding="utf-8")
    (tmp_path / "a-desk.toml").write_text(pack_text("branch-a"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a pack", encoding="utf-8")
    (tmp_path / ".hidden.toml").write_text("editor backup", encoding="utf-8")
    packset = load(tmp_path, fake_site)
    assert [p.id for p in packset.packs] == ["general", "good", "branch-a", "branch-b"]
    record = packset.record("branch-a")
    assert (record.status, record.entry_point, record.distribution, record.version, record.pack_version) == (
        PackStatus.LOADED,
        "local:a-desk.toml",
        None,
        None,
        "1.0.0",
    )
    assert record.file == str(tmp_path / "a-desk.toml")
    assert not record.builtin


def test_a_broken_local_pack_is_quarantined_with_file_line_and_field(tmp_path):
    (tmp_path / "good.toml").write_text(pack_text("branch"), encoding="utf-8")
    (tmp_path / "broken.toml").write_text(
        pack_text("broken").replace('brand_colour = "#AA3300"', 'brand_colour = "orange"'), encoding="utf-8"
    )
    (tmp_path / "syntax.toml").write_text("format = 1\n[pack\n", encoding="utf-8")
    packset = load(tmp_path)
    assert [p.id for p in packset.packs] == ["general", "branch"]
    broken = packset.record("local:broken.toml")
    assert broken.status is PackStatus.QUARANTINED
    assert broken.error == f"{tmp_path / 'broken.toml'}:8: pack.brand_colour: 'orange' is not a colour like \"#1677FF\""
    assert [i.field for i in broken.issues] == ["pack.brand_colour"]
    syntax = packset.record("local:syntax.toml")
    assert syntax.status is PackStatus.QUARANTINED
    assert syntax.error.startswith(f"{tmp_path / 'syntax.toml'}:2: not valid TOML")


def test_a_local_pack_cannot_take_an_installed_packs_id(tmp_path, fake_site):
    fake_site.add_pack("kiosk-pack-good", "local_dup_mod", pack_text("good"), entry_point="good")
    (tmp_path / "good.toml").write_text(pack_text("good"), encoding="utf-8")
    (tmp_path / "general.toml").write_text(
        pack_text("general").replace('"general:pboc-12363"', '"app"'), encoding="utf-8"
    )
    packset = load(tmp_path, fake_site)
    assert [p.id for p in packset.packs] == ["general", "good"]
    copies = [r for r in packset.records if r.entry_point == "local:good.toml"]
    assert [(r.status, r.error) for r in copies] == [
        (PackStatus.QUARANTINED, "duplicate pack id 'good': already provided by kiosk-pack-good")
    ]
    general_copy = next(r for r in packset.records if r.entry_point == "local:general.toml")
    assert general_copy.error == (
        f"pack id 'general' belongs to the bundled pack from wallet-kiosk; "
        f"local file {tmp_path / 'general.toml'} may not use it"
    )


def test_two_local_files_with_one_id_keep_the_first(tmp_path):
    (tmp_path / "1.toml").write_text(pack_text("desk"), encoding="utf-8")
    (tmp_path / "2.toml").write_text(pack_text("desk"), encoding="utf-8")
    packset = load(tmp_path)
    assert [(r.entry_point, r.status) for r in packset.records if r.id == "desk"] == [
        ("local:1.toml", PackStatus.LOADED),
        ("local:2.toml", PackStatus.QUARANTINED),
    ]
    assert packset.records[-1].error == "duplicate pack id 'desk': already provided by local:1.toml"


def test_local_packs_obey_the_allow_and_block_lists_by_pack_id(tmp_path):
    (tmp_path / "a.toml").write_text(pack_text("desk-a"), encoding="utf-8")
    (tmp_path / "b.toml").write_text(pack_text("desk-b"), encoding="utf-8")
    allowed = load(tmp_path, selection=Selection.from_environment({"KIOSK_PACKS_ALLOW": "desk-a"}))
    assert [p.id for p in allowed.packs] == ["general", "desk-a"]
    assert (allowed.record("desk-b").status, allowed.record("desk-b").error) == (
        PackStatus.DISABLED,
        "not in KIOSK_PACKS_ALLOW",
    )
    blocked = load(tmp_path, selection=Selection.from_environment({"KIOSK_PACKS_BLOCK": "desk-a"}))
    assert [p.id for p in blocked.packs] == ["general", "desk-b"]
    assert blocked.record("desk-a").error == "blocked by KIOSK_PACKS_BLOCK"


def test_local_pack_needing_another_kiosk_is_quarantined(tmp_path):
    (tmp_path / "picky.toml").write_text(
        pack_text("picky").replace('locales = ["zh-CN", "en"]', 'locales = ["zh-CN", "en"]\nrequires_kiosk = ">=9"'),
        encoding="utf-8",
    )
    record = load(tmp_path).record("picky")
    assert record.status is PackStatus.QUARANTINED
    assert "upgrade wallet-kiosk to a version in that range" in record.error


def test_a_missing_packs_folder_is_reported_not_fatal(tmp_path):
    packset = load(tmp_path / "nowhere")
    assert [p.id for p in packset.packs] == ["general"]
    [problem] = [r for r in packset.records if r.status is PackStatus.QUARANTINED]
    assert problem.error == f"local packs folder {tmp_path / 'nowhere'} is not a folder (KIOSK_PACKS_DIR)"


def test_the_folder_comes_from_the_environment(tmp_path):
    assert local_packs_dir({}) is None
    assert local_packs_dir({ENV_PACKS_DIR: ""}) is None
    assert local_packs_dir({ENV_PACKS_DIR: str(tmp_path)}) == tmp_path
    (tmp_path / "x.toml").write_text("", encoding="utf-8")
    assert [p.entry_point for p in discover_local(tmp_path)] == ["local:x.toml"]
    assert discover_local(None) == []


@pytest.mark.slow
def test_packs_list_shows_local_packs(tmp_path):
    (tmp_path / "branch.toml").write_text(pack_text("branch-desk"), encoding="utf-8")
    (tmp_path / "broken.toml").write_text("format = 1\n", encoding="utf-8")
    env = {ENV_PACKS_DIR: str(tmp_path)}
    result = run_kiosk("packs", "list", "--json", env_extra=env)
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    # Loaded and valid, but nobody approved it: kept from customers.
    assert (rows["branch-desk"]["status"], rows["branch-desk"]["provenance"]) == ("awaiting-approval", "unapproved")
    assert rows["branch-desk"]["entry_point"] == "local:branch.toml"
    assert rows["branch-desk"]["distribution"] is None
    assert rows["local:broken.toml"]["status"] == "quarantined"
    assert "pack 'local:broken.toml' (local:broken.toml) quarantined" in result.stderr

    human = run_kiosk("packs", "list", env_extra=env)
    assert any(
        line.split()[0] == "branch-desk"
        and "local:branch.toml" in line
        and line.endswith("unapproved  awaiting approval")
        for line in human.stdout.splitlines()
    )
    listed = run_kiosk("packs", "list", "--no-load", "--json", env_extra=env)
    assert {"local:branch.toml", "local:broken.toml"} <= {row["id"] for row in json.loads(listed.stdout)}
    shown = run_kiosk("packs", "show", "branch-desk", "--json", env_extra=env)
    assert json.loads(shown.stdout)["id"] == "branch-desk"


# -- who may write the folder (sshd's StrictModes) ------------------------------------------------


def test_a_folder_others_may_write_is_not_read(tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "desk.toml").write_text(pack_text("desk"), encoding="utf-8")
    folder.chmod(0o1777)  # world-writable, even with the sticky bit
    packset = load(folder)
    assert "desk" not in [p.id for p in packset.packs]
    (problem,) = [r for r in packset.records if r.status is PackStatus.QUARANTINED]
    assert "can be written by others" in str(problem.error) and str(folder) in str(problem.error)


def test_a_file_others_may_write_is_not_read_and_the_rest_still_load(tmp_path):
    (tmp_path / "good.toml").write_text(pack_text("good"), encoding="utf-8")
    shared = tmp_path / "shared.toml"
    shared.write_text(pack_text("shared"), encoding="utf-8")
    shared.chmod(0o666)
    packset = load(tmp_path)
    assert "good" in [p.id for p in packset.packs] and "shared" not in [p.id for p in packset.packs]
    record = packset.record("local:shared.toml")
    assert record is not None and record.status is PackStatus.QUARANTINED
    assert "chmod go-w" in str(record.error)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_file_another_user_owns_is_not_read(tmp_path):
    other = tmp_path / "other.toml"
    other.write_text(pack_text("other"), encoding="utf-8")
    os.chown(other, 65534, 65534)  # nobody
    record = load(tmp_path).record("local:other.toml")
    assert record is not None and record.status is PackStatus.QUARANTINED
    assert "belongs to another user (uid 65534)" in str(record.error)
