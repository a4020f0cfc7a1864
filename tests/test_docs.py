"""The authoring guide describes exactly the format and hooks the code implements."""

from helpers import REPO, present

from kiosk.formatdoc import BEGIN, END, reference


def test_format_reference_in_the_guide_matches_the_code():
    text = (REPO / "docs" / "packs.md").read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    embedded = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert embedded == reference(), (
        "docs/packs.md is out of date with kiosk/model.py or kiosk/hookspecs.py; "
        "regenerate its reference with `python -m kiosk.formatdoc`"
    )


def guide() -> str:
    return (REPO / "docs" / "packs.md").read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_the_compatibility_rule_is_stated_completely_and_matches_the_messages():
    import re

    from kiosk import __version__
    from kiosk.compat import suggested_requirement, version_problem
    from kiosk.model import SUPPORTED_FORMATS
    from kiosk.packfile import read_pack

    rule = " ".join(section(guide(), "Compatibility").split())
    formats = ", ".join(str(v) for v in sorted(SUPPORTED_FORMATS))
    assert f"This kiosk reads pack format **{formats}**." in rule
    assert "`format = 1`" in rule
    assert f"`{suggested_requirement()}` while the kiosk is 0.x" in rule
    # The advice quoted in the guide is the advice the kiosk gives, word for word.
    newer = read_pack(f"format = {max(SUPPORTED_FORMATS) + 1}\n", "x.toml").errors[0].message
    older = read_pack(f"format = {min(SUPPORTED_FORMATS) - 1}\n", "x.toml").errors[0].message
    too_new = present(version_problem(">=2", "pack 'x'")).split("; ", 1)[1]
    too_old = present(version_problem("<0.1", "pack 'x'")).split("; ", 1)[1]
    for message in (newer, older, too_new, too_old):
        assert " ".join(message.split()) in rule, message
    assert "upgrade wallet-kiosk" in newer and "upgrade wallet-kiosk" in too_new
    assert "install a newer version of this pack" in older and "install a newer version of this pack" in too_old
    assert f"this kiosk is {__version__}" in rule
    assert re.search(r"\*\*too new\*\*.*\*\*too old\*\*", rule)


def test_the_guide_covers_every_packs_command_variable_and_testing_helper():
    import argparse

    import kiosk.testing
    from kiosk import discovery, packset
    from kiosk.cli import build_parser

    text = guide()
    parser = build_parser()
    packs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["packs"]
    commands = next(a for a in packs._actions if isinstance(a, argparse._SubParsersAction)).choices
    for command in commands:
        assert f"kiosk packs {command}" in text, command
    for variable in (packset.ENV_ALLOW, packset.ENV_BLOCK, discovery.ENV_TRACE, discovery.ENV_PACKS_DIR):
        assert f"`{variable}`" in text, variable
    testing = section(text, "Testing a pack")
    public = set(kiosk.testing.__all__) - {"SAMPLE_INSTANT", "find_project_pack"}
    fixtures = {"kiosk_pack_file", "kiosk_pack", "kiosk_render"}
    for name in public | fixtures | {kiosk.testing.INI_OPTION}:
        assert f"`{name}" in testing, name


def test_the_operator_guide_lists_every_exit_code_as_the_code_describes_it():
    from kiosk import exitcodes

    text = (REPO / "docs" / "operating.md").read_text(encoding="utf-8")
    rows = [line.split(" | ") for line in section(text, "Exit codes").splitlines() if line.startswith("| ")]
    table = {int(cells[0].strip("| ")): cells[1] for cells in rows if cells[0].strip("| ").isdigit()}
    assert table == exitcodes.DESCRIPTIONS
    constants = {name: value for name, value in vars(exitcodes).items() if name.isupper() and isinstance(value, int)}
    assert set(constants.values()) == set(exitcodes.DESCRIPTIONS), "every exit code is described, once"


def operating() -> str:
    return (REPO / "docs" / "operating.md").read_text(encoding="utf-8")


def test_the_operator_guide_lists_every_key_of_kiosk_toml_and_of_ssh():
    from kiosk import config
    from kiosk.config import remote

    text = operating()
    table = section(text, "Configuration: `kiosk.toml`")
    for key in config.KEYS:
        assert f"| `{key}` |" in table, f"docs/operating.md's key table lacks {key}"
    ssh = section(text, "Help over SSH")
    for key in remote.KEYS:
        assert f"\n{key} = " in ssh, f"docs/operating.md's [ssh] example lacks {key}"


def test_the_operator_guide_covers_kiosk_status_its_options_exit_codes_and_metrics():
    import argparse
    import datetime
    import re

    from kiosk.cli import build_parser
    from kiosk.status import DOORS, Health

    text = operating()
    health = section(text, "Health checks: `kiosk status`")
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for action in commands["status"]._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help", "--config"):
                assert f"`{option}" in health, option
    for level in Health:
        assert f"| {int(level)} | {level}" in health, level
    for door in DOORS:
        assert f"`{door}-status.json`" in health or f"{door}-status.json" in health
    # Every metric the status report and the pack collector give is in the table.
    from ui.helpers import bundled_packs

    from kiosk import metrics
    from kiosk.status import evaluate

    report = evaluate(
        now=datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC),
        packs=bundled_packs(),
        config_file="-",
        config_issues=(),
        max_fact_age_days=365,
    )
    names = set(re.findall(r"^# TYPE (\w+) ", metrics.exposition(metrics.status_registry(report)), re.M))
    assert names and all(f"| `{name}" in health for name in names), names
