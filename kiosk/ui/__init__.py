"""The Textual user interface. Nothing below `kiosk.ui` is imported by the data layer.

Modules, one job each:
app         KioskApp: packs, clock and settings come in; lockdown, idle reset, staff, Navigate
messages    Navigate(target): how screens and widgets ask for another screen
navigation  where each target leads: the only module that knows the screens (loaded on first use)
context     KioskContext: what screens and widgets may use of the app, typed
lookup      the pack, guide, channel or scam warning a screen was opened for, by id
render      pack text as inert on-screen content
themes      the colour themes (high contrast included)
screens/    one module per screen on a shared base; a screen imports no other screen
widgets/    tiles, channel cards, QR codes, header, footer, tick lists, bullet lists
kiosk.tcss  the one stylesheet: where things go on each screen (widgets keep their own looks)

Importing this package imports nothing: the app is imported only once the
environment is clean and the packs are loaded.
"""
