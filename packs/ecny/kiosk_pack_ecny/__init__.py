"""wallet-kiosk pack: e-CNY (数字人民币). The knowledge itself is data, in ecny.toml."""

from importlib.resources import files

from kiosk import hookimpl


@hookimpl
def kiosk_packs():
    return [files(__name__) / "ecny.toml"]
