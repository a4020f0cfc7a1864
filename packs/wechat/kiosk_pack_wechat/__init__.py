"""wallet-kiosk pack: WeChat Pay (微信支付). The knowledge itself is data, in wechat.toml."""

from importlib.resources import files

from kiosk import hookimpl


@hookimpl
def kiosk_packs():
    return [files(__name__) / "wechat.toml"]
