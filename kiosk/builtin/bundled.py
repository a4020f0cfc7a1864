"""What the kiosk records about the packs it ships: written by `python -m kiosk.builtin.record_bundled`.

Do not edit by hand. A pack is bundled only when its distribution has the name
and its document the SHA-256 recorded here (see kiosk.trust).
"""

from __future__ import annotations

BUNDLED_DOCUMENTS: tuple[dict, ...] = (
    {
        "id": "general",
        "distribution": None,
        "document": "kiosk/builtin/general.toml",
        "sha256": "04c20965d8150ab718878c4a6565098572666dbfd2e3d9bf7b5a511618f24926",
        "names": ["General help", "通用帮助"],
    },
    {
        "id": "alipay",
        "distribution": "kiosk-pack-alipay",
        "document": "kiosk_pack_alipay/alipay.toml",
        "sha256": "37ee0ebb88acd16c9e96182cfe9821f82784f1b1fe624698511f637c8b965d53",
        "names": ["Alipay", "支付宝"],
    },
    {
        "id": "applepay",
        "distribution": "kiosk-pack-applepay",
        "document": "kiosk_pack_applepay/applepay.toml",
        "sha256": "802c9eeca7d1dc18fddd97fdb58171fa5a45995406655f1c2ebd4ccef3c6bd23",
        "names": ["Apple Pay"],
    },
    {
        "id": "ecny",
        "distribution": "kiosk-pack-ecny",
        "document": "kiosk_pack_ecny/ecny.toml",
        "sha256": "7930eccece91ce74738261f6268cabe7aa571c7845038d237247be7d7e7a6b48",
        "names": ["e-CNY (digital yuan)", "数字人民币"],
    },
    {
        "id": "unionpay",
        "distribution": "kiosk-pack-unionpay",
        "document": "kiosk_pack_unionpay/unionpay.toml",
        "sha256": "9beecdb630bdfa6fda528301a6ec25b51af215d0a6d7ee44f475a37738a5faff",
        "names": ["UnionPay QuickPass", "云闪付"],
    },
    {
        "id": "wechat",
        "distribution": "kiosk-pack-wechat",
        "document": "kiosk_pack_wechat/wechat.toml",
        "sha256": "a652dca9ce4bb42290c2f855034e009fe269eaf6bcda134c82b88a21dd6aa536",
        "names": ["WeChat Pay", "微信支付"],
    },
)
