"""Widgets shared by the kiosk's screens."""
