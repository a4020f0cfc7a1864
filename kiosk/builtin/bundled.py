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
        "sha256": "eb59b76902228ccfcf3659dbe335632ca68b84a4441ca918361b5b8d06cb7e6c",
        "names": ["General help", "通用帮助"],
    },
    {
        "id": "alipay",
        "distribution": "kiosk-pack-alipay",
        "document": "kiosk_pack_alipay/alipay.toml",
        "sha256": "9a2aa0ffc1fe16d256546044bed818c799fca2b3ca497e01da2ba116bca1339d",
        "names": ["Alipay", "支付宝"],
    },
    {
        "id": "applepay",
        "distribution": "kiosk-pack-applepay",
        "document": "kiosk_pack_applepay/applepay.toml",
        "sha256": "88f2c4069e251f75d744b5c21907dd8fe637fcf47d6f2fd6c73e8c2eeb7e3e14",
        "names": ["Apple Pay"],
    },
    {
        "id": "ecny",
        "distribution": "kiosk-pack-ecny",
        "document": "kiosk_pack_ecny/ecny.toml",
        "sha256": "41ef37a3fefb7b5fa9586d82c2c96737055afda746ad93fa303edf3509488d13",
        "names": ["e-CNY (digital yuan)", "数字人民币"],
    },
    {
        "id": "unionpay",
        "distribution": "kiosk-pack-unionpay",
        "document": "kiosk_pack_unionpay/unionpay.toml",
        "sha256": "b00fd638714b81bc11d3551b150ca5d4fc17809fc9c5ad6f2a244e57ec50b9c3",
        "names": ["UnionPay QuickPass", "云闪付"],
    },
    {
        "id": "wechat",
        "distribution": "kiosk-pack-wechat",
        "document": "kiosk_pack_wechat/wechat.toml",
        "sha256": "5d5609a4040fdea38caa79e42b584dc7718429c94656d49813357cc078a27470",
        "names": ["WeChat Pay", "微信支付"],
    },
)
