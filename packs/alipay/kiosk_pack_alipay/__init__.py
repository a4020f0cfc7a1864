"""wallet-kiosk pack: Alipay (支付宝). The knowledge itself is data, in alipay.toml."""

from importlib.resources import files

from kiosk import hookimpl


@hookimpl
def kiosk_packs():
    return [files(__name__) / "alipay.toml"]
