"""The take-home QR screen for a channel and for a guide, in both languages.

At 80x24 the code is drawn compact (half blocks), at 120x40 full size.
"""

from __future__ import annotations

import pytest

from ui.helpers import make_app

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
LOCALES = ["zh-CN", "en"]
TARGETS = {
    "channel": ("alipay", {"channel_id": "hotline-95188"}),
    "guide": ("wechat", {"guide_id": "forgot-payment-password"}),
}


def _open(target: str):
    async def run_before(pilot) -> None:
        from kiosk.ui.screens.qr import QRScreen

        pack_id, ref = TARGETS[target]
        pilot.app.push_screen(QRScreen(pack_id, **ref))
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("target", list(TARGETS))
def test_qr_screen(snap_compare, target, locale, size):
    assert snap_compare(make_app(locale), terminal_size=SIZES[size], run_before=_open(target))
