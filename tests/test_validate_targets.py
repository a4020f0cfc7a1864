"""`kiosk packs validate` on every kind of target: file, folder, project folder, installed distribution, wheel."""

from __future__ import annotations

import json
import zipfile

import pytest
from helpers import MINIMAL_PACK, REPO, TODAY, minimal_pack_text, present

from kiosk import __version__
from kiosk.cli import main
from kiosk.scaffold import create_pack
from kiosk.validate_targets import TargetError, TargetKind, find_pack_documents, validate_target

STALE = minimal_pack_text(
    **{
        'verified = 2026-11-01\nconfidence = "high"': 'verified = 2020-01-01\nconfidence = "high"',
        'title = { zh-CN = "退款", en = "Refund" }': 'title = { zh-CN = "退款" }',
    }
)
BROKEN = minimal_pack_text(**{'kind = "in_app"': 'kind = "app"'})


def pack_text(pack_id: str) -> str:
    return minimal_pack_text(**{'id = "demo"': f'id = "{pack_id}"'})


def run(capsys, *args):
    code = main(["packs", "validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def make_wheel(
    path,
    *,
    module="kiosk_pack_wheelie",
    files=None,
    group="kiosk.packs",
    requires=("wallet-kiosk>=0.1,<1",),
    name="kiosk-pack-wheelie",
    version="1.0.0",
):
    """A wheel zipped by hand: the pieces `validate` reads, nothing more."""
    info = f"{name.replace('-', '_')}-{version}.dist-info"
    files = {"pack.toml": pack_text("wheelie")} if files is None else files
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{module}/__init__.py", "")
        for member, content in files.items():
            archive.writestr(f"{module}/{member}", content)
        meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
        meta += [f"Requires-Dist: {r}" for r in requires]
        archive.writestr(f"{info}/METADATA", "\n".join(meta) + "\n")
        archive.writestr(f"{info}/entry_points.txt", f"[{group}]\nwheelie = {module}\n")
        archive.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\n")
    return path


# -- a single file -------------------------------------------------------------------


def test_a_file_validates_as_before(capsys):
    code, out, _ = run(capsys, str(MINIMAL_PACK))
    assert code == 0
    assert out.splitlines() == [
        f"{MINIMAL_PACK}: sources: 4 facts by best source: official 1 (25%), regulator 0, government 0, "
        "media 0, other 3 (75%); 4 citations",
        f"{MINIMAL_PACK}: valid, pack 'demo' (0 warnings)",
    ]


def test_source_statistics_count_each_fact_by_its_best_source(tmp_path, capsys):
    from kiosk.model import SourceKind
    from kiosk.packfile import read_pack
    from kiosk.validate_targets import source_statistics

    text = minimal_pack_text(
        **{
            'source = "https://example.com/app"': 'source = "https://example.com/app"\n'
            'sources = [ { url = "https://news.example.com/a", kind = "media", verified = 2026-11-01, '
            'confidence = "medium" }, { url = "http://www.example.gov.cn/b", kind = "government", '
            'verified = 2026-11-01, confidence = "high" } ]',
            'url = "https://example.com/help", verified': 'url = "https://example.com/help", kind = "regulator", '
            "verified",
        }
    )
    stats = source_statistics(read_pack(text, "x.toml", today=TODAY).unwrap())
    # hotline (official), app (government beats media and other), two guides (regulator, other).
    assert stats.facts == {
        SourceKind.OFFICIAL: 1,
        SourceKind.REGULATOR: 1,
        SourceKind.GOVERNMENT: 1,
        SourceKind.MEDIA: 0,
        SourceKind.OTHER: 1,
    }
    assert stats.citation_count == 6 and stats.citations[SourceKind.MEDIA] == 1
    assert stats.share(SourceKind.OTHER) == 0.25
    path = tmp_path / "stats.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, str(path), "--json")
    assert code == 0
    [entry] = json.loads(out)
    assert entry["sources"] == {
        "facts": 4,
        "facts_by_kind": {"official": 1, "regulator": 1, "government": 1, "media": 0, "other": 1},
        "share_by_kind": {"official": 0.25, "regulator": 0.25, "government": 0.25, "media": 0.0, "other": 0.25},
        "citations": 6,
        "citations_by_kind": {"official": 1, "regulator": 1, "government": 1, "media": 1, "other": 2},
    }
    code, out, _ = run(capsys, str(path))
    assert (
        "sources: 4 facts by best source: official 1 (25%), regulator 1 (25%), government 1 (25%), media 0, "
        "other 1 (25%); 6 citations"
    ) in out


def test_reported_hours_with_a_source_count_as_a_fact():
    from kiosk.packfile import read_pack
    from kiosk.validate_targets import fact_sources

    text = minimal_pack_text(
        **{
            'hours = "always"': "hours = { reported = true, "
            'rules = [ { days = ["everyday"], open = ["08:00-24:00"] } ], '
            'source = { url = "https://example.com/hours", kind = "media", '
            'verified = 2026-11-01, confidence = "low" } }',
            "self_service = true\n": "",
        }
    )
    facts = dict(fact_sources(read_pack(text, "x.toml", today=TODAY).unwrap()))
    assert [s.url for s in facts["channels[1].hours"]] == ["https://example.com/hours"]


def test_stale_and_untranslated_facts_are_warnings_with_exit_0(tmp_path, capsys):
    path = tmp_path / "stale.toml"
    path.write_text(STALE, encoding="utf-8")
    code, out, _ = run(capsys, str(path))
    assert code == 0
    assert (
        f"{path}:20: warning: channels[0].verified: verified 2020-01-01, more than a year ago; check the fact again"
        in out
    )
    assert f"{path}:53: warning: guides[1].title: no en translation; the other language is shown instead" in out
    assert out.splitlines()[-1] == f"{path}: valid, pack 'demo' (2 warnings)"

    code, out, _ = run(capsys, str(path), "--json")
    assert code == 0
    [entry] = json.loads(out)
    assert (entry["valid"], entry["kind"], entry["target"], entry["errors"]) == (True, "file", str(path), [])
    assert [(w["field"], w["line"], w["severity"]) for w in entry["warnings"]] == [
        ("channels[0].verified", 20, "warning"),
        ("guides[1].title", 53, "warning"),
    ]


# -- folders -------------------------------------------------------------------------------


def test_a_folder_of_pack_files(tmp_path, capsys):
    (tmp_path / "a.toml").write_text(pack_text("desk-a"), encoding="utf-8")
    (tmp_path / "b.toml").write_text(BROKEN, encoding="utf-8")
    report = validate_target(str(tmp_path))
    assert report.kind is TargetKind.FOLDER
    assert [(r.file.rsplit("/", 1)[-1], bool(r.errors)) for r in report.documents] == [
        ("a.toml", False),
        ("b.toml", True),
    ]
    code, out, _ = run(capsys, str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'b.toml'}:25: channels[1].kind: 'app' is not one of" in out
    assert out.splitlines()[-1] == f"{tmp_path}: INVALID: 2 pack documents, 1 error, 0 warnings"


def test_the_same_id_twice_in_one_folder_is_an_error(tmp_path):
    (tmp_path / "a.toml").write_text(pack_text("desk"), encoding="utf-8")
    (tmp_path / "b.toml").write_text(pack_text("desk"), encoding="utf-8")
    [error] = validate_target(str(tmp_path)).errors
    assert str(error) == (
        f"{tmp_path / 'b.toml'}:5: pack.id: duplicate pack id 'desk' (also in {tmp_path / 'a.toml'}); "
        "the kiosk would quarantine one of them"
    )


def test_an_empty_folder_is_invalid(tmp_path, capsys):
    code, out, _ = run(capsys, str(tmp_path))
    assert code == 1
    assert f"{tmp_path}: no *.toml pack documents in this folder" in out


def test_a_pack_needing_another_kiosk_is_invalid(tmp_path):
    path = tmp_path / "picky.toml"
    path.write_text(
        pack_text("picky").replace('locales = ["zh-CN", "en"]', 'locales = ["zh-CN", "en"]\nrequires_kiosk = ">=9"'),
        encoding="utf-8",
    )
    [error] = validate_target(str(path)).errors
    assert (error.line, error.field) == (11, "pack.requires_kiosk")
    assert "upgrade wallet-kiosk to a version in that range" in error.message


def test_a_project_folder_made_by_the_scaffold_is_valid(tmp_path, capsys):
    folder = tmp_path / "kiosk-pack-desk"
    create_pack(folder, "desk")
    report = validate_target(str(folder))
    assert report.kind is TargetKind.PROJECT
    assert report.valid and report.warnings == ()
    assert [present(r.pack).id for r in report.documents] == ["desk"]
    assert report.notes == ("entry point desk = kiosk_pack_desk (group kiosk.packs)", "requires wallet-kiosk<1,>=0.1")
    assert find_pack_documents(folder) == [folder / "kiosk_pack_desk" / "desk.toml"]
    code, out, _ = run(capsys, str(folder), "--json")
    assert code == 0
    entries = json.loads(out)
    assert [(e["kind"], e["file"], e["valid"], e["pack_id"]) for e in entries] == [
        ("project", str(folder / "pyproject.toml"), True, None),
        ("project", str(folder / "kiosk_pack_desk" / "desk.toml"), True, "desk"),
    ]


def test_a_project_folder_with_mistakes_in_its_pyproject(tmp_path, capsys):
    folder = tmp_path / "kiosk-pack-desk"
    create_pack(folder, "desk")
    pyproject = folder / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8")
        .replace('[project.entry-points."kiosk.packs"]', '[project.entry-points."kiosk.pack"]')
        .replace('dependencies = ["wallet-kiosk>=0.1,<1"]', "dependencies = []"),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, str(folder))
    assert code == 1
    assert (
        f"{pyproject}: declares no entry point in the group 'kiosk.packs' "
        '([project.entry-points."kiosk.packs"]), so the kiosk will never find the pack; '
        "found group 'kiosk.pack': did you mean 'kiosk.packs'?"
    ) in out
    assert f"{pyproject}: declares no wallet-kiosk version range ([project] dependencies)" in out


def test_a_project_whose_package_is_missing(tmp_path):
    folder = tmp_path / "kiosk-pack-desk"
    create_pack(folder, "desk")
    (folder / "kiosk_pack_desk" / "desk.toml").rename(folder / "desk.toml")
    [error] = validate_target(str(folder)).errors
    assert error.message == f"package {folder / 'kiosk_pack_desk'} contains no pack .toml document"


# -- installed distributions ---------------------------------------------------------------


def test_an_installed_bundled_distribution_by_name(capsys):
    code, out, err = run(capsys, "kiosk-pack-alipay")
    assert code == 0, out + err
    expected = REPO / "packs" / "alipay" / "kiosk_pack_alipay" / "alipay.toml"
    assert f"{expected}: valid, pack 'alipay'" in out
    assert out.splitlines()[0] == "kiosk-pack-alipay: installed distribution"
    # A pack's entry-point name works too.
    assert present(validate_target("alipay").documents[0].pack).id == "alipay"


def test_an_installed_distribution_found_from_its_record_without_importing_it(fake_site):
    fake_site.add(
        "kiosk-pack-recorded",
        module="recorded_mod",
        code="raise SystemExit('imported!')\n",
        files={"pack.toml": pack_text("recorded")},
        entry_point="recorded",
        requires=["wallet-kiosk>=0.1,<1"],
    )
    info = fake_site.root / "kiosk_pack_recorded-1.0.0.dist-info"
    (info / "RECORD").write_text("recorded_mod/__init__.py,,\nrecorded_mod/pack.toml,,\n", encoding="utf-8")
    report = validate_target("kiosk-pack-recorded")
    assert report.kind is TargetKind.INSTALLED
    assert report.valid, [str(i) for i in report.errors]
    assert [r.file for r in report.documents] == [str(fake_site.root / "recorded_mod" / "pack.toml")]


def test_an_installed_distribution_with_problems(fake_site):
    fake_site.add_pack(
        "kiosk-pack-oldhost", "oldhost_mod", BROKEN, entry_point="oldhost", requires=["wallet-kiosk>=0.0.1,<0.1"]
    )
    report = validate_target("kiosk-pack-oldhost")
    messages = [str(i) for i in report.errors]
    assert any(
        "needs wallet-kiosk<0.1,>=0.0.1 but this kiosk is " + __version__ in m
        and "install a newer version of this pack" in m
        for m in messages
    )
    assert any(m.startswith(f"{fake_site.root / 'oldhost_mod' / 'pack.toml'}:25: channels[1].kind:") for m in messages)


def test_documents_outside_the_package_are_asked_for_through_the_guarded_hook(fake_site):
    data = fake_site.root / "shared-data"
    data.mkdir()
    (data / "desk.toml").write_text(pack_text("far-away"), encoding="utf-8")
    fake_site.add(
        "kiosk-pack-faraway",
        module="faraway_mod",
        entry_point="faraway",
        requires=["wallet-kiosk>=0.1,<1"],
        code="""
        from pathlib import Path
        from kiosk import hookimpl

        @hookimpl
        def kiosk_packs():
            return [Path(__file__).parent.parent / "shared-data" / "desk.toml"]
    """,
    )
    report = validate_target("kiosk-pack-faraway")
    assert report.valid, [str(i) for i in report.errors]
    assert [present(r.pack).id for r in report.documents] == ["far-away"]


def test_a_plugin_that_fails_is_reported_not_raised(fake_site):
    fake_site.add(
        "kiosk-pack-crashy",
        module="crashy_mod",
        entry_point="crashy",
        requires=["wallet-kiosk>=0.1,<1"],
        code="raise RuntimeError('boom')\n",
    )
    [error] = validate_target("kiosk-pack-crashy").errors
    assert error.field == "entry point crashy"
    assert error.message == "could not import crashy_mod: RuntimeError: boom"


# -- wheels -------------------------------------------------------------------------------------


def test_a_wheel(tmp_path, capsys):
    wheel = make_wheel(tmp_path / "kiosk_pack_wheelie-1.0.0-py3-none-any.whl")
    report = validate_target(str(wheel))
    assert report.kind is TargetKind.WHEEL
    assert report.valid, [str(i) for i in report.errors]
    assert [r.file for r in report.documents] == [f"{wheel}/kiosk_pack_wheelie/pack.toml"]
    code, out, _ = run(capsys, str(wheel), "--json")
    assert code == 0
    entries = json.loads(out)
    assert [(e["kind"], e["pack_id"], e["valid"]) for e in entries] == [
        ("wheel", None, True),
        ("wheel", "wheelie", True),
    ]
    assert entries[0]["file"] == f"{wheel}/kiosk_pack_wheelie-1.0.0.dist-info"


def test_a_wheel_with_an_invalid_document_names_the_member_and_line(tmp_path, capsys):
    wheel = make_wheel(tmp_path / "bad.whl", files={"pack.toml": BROKEN})
    code, out, _ = run(capsys, str(wheel))
    assert code == 1
    assert f"{wheel}/kiosk_pack_wheelie/pack.toml:25: channels[1].kind: 'app' is not one of" in out


def test_a_wheel_in_the_wrong_group_or_for_another_kiosk(tmp_path):
    wrong_group = make_wheel(tmp_path / "group.whl", group="kiosk_packs")
    [error] = validate_target(str(wrong_group)).errors
    assert "declares no entry point in the group 'kiosk.packs' (entry_points.txt)" in error.message
    assert "found group 'kiosk_packs': did you mean 'kiosk.packs'?" in error.message

    too_new = make_wheel(tmp_path / "new.whl", requires=("wallet-kiosk>=7",))
    [error] = validate_target(str(too_new)).errors
    assert error.message == (
        f"distribution kiosk-pack-wheelie needs wallet-kiosk>=7 but this kiosk is {__version__}; "
        "upgrade wallet-kiosk to a version in that range"
    )

    no_host = make_wheel(tmp_path / "nohost.whl", requires=())
    [error] = validate_target(str(no_host)).errors
    assert error.message.startswith("declares no wallet-kiosk version range (METADATA Requires-Dist)")

    general = make_wheel(
        tmp_path / "general.whl", files={"pack.toml": pack_text("general").replace('"general:pboc-12363"', '"app"')}
    )
    [error] = validate_target(str(general)).errors
    assert (error.field, error.message) == (
        "pack.id",
        "'general' is the id of the kiosk's built-in pack; choose another id",
    )


def test_a_file_named_whl_that_is_not_a_zip(tmp_path, capsys):
    fake = tmp_path / "fake.whl"
    fake.write_text("hello", encoding="utf-8")
    code, out, _ = run(capsys, str(fake))
    assert code == 1
    assert "not a readable wheel (zip) file" in out


# -- usage errors -------------------------------------------------------------------------------


def test_a_target_that_is_none_of_these_is_a_usage_error(tmp_path, capsys):
    code, out, err = run(capsys, str(MINIMAL_PACK), str(tmp_path / "nope.toml"), "no-such-distribution-xyz")
    assert code == 2
    assert out == ""
    assert f"{tmp_path / 'nope.toml'}: no such file, folder or installed distribution" in err
    assert "no-such-distribution-xyz: no such file, folder or installed distribution" in err
    with pytest.raises(TargetError):
        validate_target("not a name!")
