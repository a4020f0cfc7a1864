"""wallet-kiosk pack: Apple Pay. The knowledge itself is data, in applepay.toml."""

from importlib.resources import files

from kiosk import hookimpl


@hookimpl
def kiosk_packs():
    return [files(__name__) / "applepay.toml"]
