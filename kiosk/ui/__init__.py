"""The Textual user interface. Nothing below `kiosk.ui` is imported by the data layer."""
