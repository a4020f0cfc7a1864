"""The authoring guide describes exactly the format and hooks the code implements."""

from conftest import REPO
from kiosk.formatdoc import BEGIN, END, reference


def test_format_reference_in_the_guide_matches_the_code():
    text = (REPO / "docs" / "packs.md").read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    embedded = text[text.index(BEGIN): text.index(END) + len(END)]
    assert embedded == reference(), (
        "docs/packs.md is out of date with kiosk/model.py or kiosk/hookspecs.py; "
        "regenerate its reference with `python -m kiosk.formatdoc`"
    )
