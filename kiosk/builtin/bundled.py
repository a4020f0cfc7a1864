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
        "sha256": "a37ccca73dab8b3d084493eb173d8433e4bf7b5959324d98d113d93d81ce06e0",
        "names": ["General help", "通用帮助"],
    },
    {
        "id": "alipay",
        "distribution": "kiosk-pack-alipay",
        "document": "kiosk_pack_alipay/alipay.toml",
        "sha256": "f58112f4a8ed1d939ab011e9b4907b42c13c9dcf6e861ed2e6ecd864478ef13d",
        "names": ["Alipay", "支付宝"],
    },
    {
        "id": "applepay",
        "distribution": "kiosk-pack-applepay",
        "document": "kiosk_pack_applepay/applepay.toml",
        "sha256": "82565bad7503b900f460eefd411ed0e40b5de4fc639106eb581175ad51b78850",
        "names": ["Apple Pay"],
    },
    {
        "id": "ecny",
        "distribution": "kiosk-pack-ecny",
        "document": "kiosk_pack_ecny/ecny.toml",
        "sha256": "bdc49c3020c5a17168ff2bc02b0c72f1f7cfa373f9255ef6f4cc3d3c2b13b81d",
        "names": ["e-CNY (digital yuan)", "数字人民币"],
    },
    {
        "id": "unionpay",
        "distribution": "kiosk-pack-unionpay",
        "document": "kiosk_pack_unionpay/unionpay.toml",
        "sha256": "87476c5ebff893db8c6baffd072802abf0f69195ae38cb53ed3ecb247c379f1d",
        "names": ["UnionPay QuickPass", "云闪付"],
    },
    {
        "id": "wechat",
        "distribution": "kiosk-pack-wechat",
        "document": "kiosk_pack_wechat/wechat.toml",
        "sha256": "14c8503d2a62426814cf033abe5de0f5c71ef5bdbf82a0e7e997b49dc6033f27",
        "names": ["WeChat Pay", "微信支付"],
    },
)
