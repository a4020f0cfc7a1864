"""Bytes from the terminal that are not UTF-8 are dropped, not fatal.

Textual's Linux driver decodes input with a strict UTF-8 decoder: one invalid byte (0xFF, or
an 8-bit C1 control such as 0x9B from a console in meta or Latin-1 mode, a terminal set to
GB18030, a paste, a client over SSH) raises in its input thread, which then ends the app. A
kiosk must shrug such bytes off: they are not a key it knows. The driver looks up its decoder
factory by name when its input thread starts, so the name is pointed at a factory that makes
decoders which skip invalid bytes (a test checks that the driver still reads that name).
"""

from __future__ import annotations

import codecs
import functools


def _lenient_incremental_decoder(encoding: str) -> functools.partial[codecs.IncrementalDecoder]:
    return functools.partial(codecs.getincrementaldecoder(encoding), errors="ignore")


def tolerate_invalid_input() -> None:
    """From now on, terminal input that is not valid UTF-8 is skipped by Textual's Linux driver."""
    from textual.drivers import linux_driver

    linux_driver.getincrementaldecoder = _lenient_incremental_decoder  # type: ignore[assignment]


__all__ = ["tolerate_invalid_input"]
