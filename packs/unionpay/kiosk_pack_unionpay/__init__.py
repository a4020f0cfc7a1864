"""wallet-kiosk pack: UnionPay QuickPass (云闪付). The knowledge itself is data, in unionpay.toml."""

from importlib.resources import files

from kiosk import hookimpl


@hookimpl
def kiosk_packs():
    return [files(__name__) / "unionpay.toml"]
