"""Packs that ship inside the host, registered through the same hook as any other pack."""

#: Module names of built-in pack plugins, loaded before installed ones.
BUILTIN_PLUGINS: tuple[str, ...] = ("kiosk.builtin.general",)
