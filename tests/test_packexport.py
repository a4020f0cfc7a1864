"""Export writes a pack back as TOML: reading the export gives an equal pack, and it validates clean."""

from __future__ import annotations

import datetime as _dt
import tomllib

import pytest
from helpers import MINIMAL_PACK, REPO, TODAY, minimal_pack_text, present, run_kiosk

from kiosk.model import Interval, Schedule
from kiosk.packexport import export_pack, pack_to_document
from kiosk.packfile import read_pack, read_pack_file

PACK_FILES = [
    REPO / "kiosk" / "builtin" / "general.toml",
    REPO / "packs" / "alipay" / "kiosk_pack_alipay" / "alipay.toml",
    REPO / "packs" / "wechat" / "kiosk_pack_wechat" / "wechat.toml",
    REPO / "packs" / "applepay" / "kiosk_pack_applepay" / "applepay.toml",
    MINIMAL_PACK,
]


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: p.stem)
def test_read_export_read_gives_an_equal_pack(path):
    pack = read_pack_file(path, today=TODAY).unwrap()
    text = export_pack(pack)
    again = read_pack(text, f"exported-{path.name}", today=TODAY)
    assert again.issues == (), [str(i) for i in again.issues]
    assert again.pack == pack
    # Exporting is stable: the second export is the same text.
    assert export_pack(again.pack) == text


def test_defaults_are_left_out_and_values_take_their_toml_shape():
    pack = read_pack_file(MINIMAL_PACK, today=TODAY).unwrap()
    doc = pack_to_document(pack)
    hotline, app = doc["channels"]
    assert hotline["value"] == "95188"  # a neutral value is a plain string
    assert app["value"] == {"zh-CN": "我的 → 客服", "en": "Me → Help"}
    assert hotline["verified"] == _dt.date(2026, 11, 1)  # dates stay dates
    assert hotline["hours"] == {"calendar": "cn-mainland", "rules": [{"days": ["workday"], "open": ["09:00-18:00"]}]}
    assert app["hours"] == "always"
    for default in ("audience", "country", "automated_hours", "note", "self_service"):
        assert default not in hotline
    assert app["self_service"] is True
    assert "state" not in str(doc)  # internal field never written
    step = doc["guides"][0]["steps"][1]
    assert step == {"text": {"zh-CN": "选择忘记密码", "en": "Choose forgot password"}}
    assert "requires_kiosk" not in doc["pack"]


def test_an_interval_past_midnight_is_written_as_it_was_read():
    pack = read_pack(
        minimal_pack_text(**{'"09:00-18:00"': '"22:00-02:00", "00:00-24:00"'}), "x.toml", today=TODAY
    ).unwrap()
    assert present(pack.channel("hotline")).hours.rules[0].open == (Interval(22 * 60, 26 * 60), Interval(0, 24 * 60))
    assert pack_to_document(pack)["channels"][0]["hours"]["rules"][0]["open"] == ["22:00-02:00", "00:00-24:00"]


def test_unknown_hours_and_overrides_round_trip():
    text = minimal_pack_text(
        **{
            'hours = "always"': 'hours = "unknown"',
            'rules = [ { days = ["workday"], open = ["09:00-18:00"] } ]': (
                'rules = [ { days = ["workday"], open = ["09:00-18:00"] } ], overrides = [ { date = 2026-10-01, '
                'until = 2026-10-07, open = [], note = { en = "Closed for the holiday" } } ]'
            ),
        }
    )
    pack = present(read_pack(text, "x.toml", today=TODAY).pack)
    assert present(pack.channel("app")).hours == Schedule.unknown()
    doc = pack_to_document(pack)
    assert doc["channels"][1]["hours"] == "unknown"
    assert doc["channels"][0]["hours"]["overrides"] == [
        {
            "date": _dt.date(2026, 10, 1),
            "open": [],
            "until": _dt.date(2026, 10, 7),
            "note": {"en": "Closed for the holiday"},
        }
    ]
    assert read_pack(export_pack(pack), "y.toml", today=TODAY).pack == pack


def test_export_is_plain_toml_with_a_comment_header():
    pack = read_pack_file(MINIMAL_PACK, today=TODAY).unwrap()
    text = export_pack(pack)
    assert text.startswith("# Exported by `kiosk packs export`.")
    assert tomllib.loads(text)["pack"]["id"] == "demo"
    assert not export_pack(pack, header=False).startswith("#")


@pytest.mark.slow
def test_cli_exports_a_loaded_pack_to_stdout_or_a_file(tmp_path):
    result = run_kiosk("packs", "export", "alipay")
    assert result.returncode == 0, result.stderr
    original = read_pack_file(PACK_FILES[1], today=TODAY).unwrap()
    assert read_pack(result.stdout, "stdout.toml", today=TODAY).pack == original

    out = tmp_path / "wechat.toml"
    result = run_kiosk("packs", "export", "wechat", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert f"wrote pack 'wechat' to {out}" in result.stderr
    assert read_pack_file(out, today=TODAY).pack == read_pack_file(PACK_FILES[2], today=TODAY).pack

    missing = run_kiosk("packs", "export", "nosuchpack")
    assert missing.returncode == 1
    assert "kiosk packs export: no pack 'nosuchpack'" in missing.stderr
