"""Packs that ship inside the host, registered through the same hook as any other pack."""

#: Module names of built-in pack plugins, loaded before installed ones.
BUILTIN_PLUGINS: tuple[str, ...] = ("kiosk.builtin.general",)

#: The wallet packs shipped in this repository's packs/ folder, by pack id, in the order their home
#: tiles appear after any the operator names in `pack_order`. The three most used come first, in the
#: order they always had, so that the digits on a branch's signage did not move when more shipped.
BUNDLED_WALLETS: tuple[str, ...] = ("alipay", "applepay", "wechat", "unionpay", "ecny")
