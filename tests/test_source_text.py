"""Sources as customers read them: who published a fact and when it was checked, in their language."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from helpers import channel_of, pack_of
from ui.helpers import bundled_packs

from kiosk.model import Confidence, Source, SourceKind
from kiosk.source_text import describe_source, describe_sources

LATIN = re.compile(r"[A-Za-z]")


def src(kind: str, confidence: str = "high", url: str = "https://example.com/x") -> Source:
    return Source(url=url, verified=dt.date(2026, 12, 2), confidence=Confidence(confidence), kind=SourceKind(kind))


def test_the_examples_of_the_brief():
    assert describe_source(src("official"), "zh-CN") == "来源：官方网站 · 2026-12-02 核实 · 可信度高"
    assert describe_source(src("official"), "en") == "Source: official website · checked 2026-12-02 · high confidence"


@pytest.mark.parametrize("kind", list(SourceKind))
@pytest.mark.parametrize("confidence", list(Confidence))
def test_no_english_word_and_no_address_in_chinese(kind, confidence):
    text = describe_source(src(kind, confidence), "zh-CN")
    assert not LATIN.search(text), text
    assert "example.com" not in describe_source(src(kind, confidence), "en")


def test_several_sources_most_trusted_first_and_each_reading_once():
    sources = (src("other", "low"), src("media", "medium"), src("other", "low", "https://example.com/y"))
    assert describe_sources(sources, "zh-CN") == (
        "资料来源：媒体或机构发布 · 2026-12-02 核实 · 可信度中；非官方网站 · 2026-12-02 核实 · 可信度低"
    )
    assert describe_sources(sources, "en") == (
        "Sources: news media or institution · checked 2026-12-02 · medium confidence; "
        "unofficial website · checked 2026-12-02 · low confidence"
    )


def test_every_bundled_source_reads_without_latin_letters_in_chinese():
    for pack in bundled_packs().packs:
        groups = [c.all_sources for c in pack.channels]
        groups += [item.sources for section in (pack.guides, pack.scams, pack.never_asks) for item in section]
        for sources in groups:
            assert not LATIN.search(describe_sources(sources, "zh-CN")), (pack.id, sources)


def test_a_channel_shows_its_most_trusted_source():
    hotline = channel_of(pack_of(bundled_packs(), "alipay"), "hotline-95188")
    # A channel whose own page is weak but whose extra source is a news outlet.
    weak = dataclasses.replace(
        hotline,
        source_kind=SourceKind.OTHER,
        sources=(
            Source("https://news.example.cn/95188", dt.date(2026, 12, 2), Confidence.MEDIUM, kind=SourceKind.MEDIA),
        ),
    )
    assert weak.best_source.kind is SourceKind.MEDIA
    assert describe_source(weak.best_source, "en").startswith("Source: news media or institution · checked ")
