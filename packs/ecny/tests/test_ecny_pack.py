"""The pack document is valid and renders, checked through the kiosk's pytest plugin."""

from kiosk.testing import assert_pack_valid, render_pack_screen, screen_text


def test_document_is_valid(kiosk_pack_file):
    assert_pack_valid(kiosk_pack_file, strict=True)


def test_every_phone_number_names_its_source(kiosk_pack):
    for channel in kiosk_pack.channels:
        assert channel.source.startswith(("https:", "http:")), channel.id


def test_renders(kiosk_pack):
    shown = screen_text(render_pack_screen(kiosk_pack, locale="en"))
    assert kiosk_pack.pack.name["en"].split()[0] in shown
