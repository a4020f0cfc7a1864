"""Benchmarks for the kiosk: synthetic corpora and timing helpers."""
