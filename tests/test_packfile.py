"""The pack validator: every kind of mistake is reported with file, line, field and a plain reason."""

from __future__ import annotations

import pytest
from helpers import MINIMAL_PACK, TODAY, minimal_pack_text, present

from kiosk.errors import PackInvalid, Severity
from kiosk.model import ChannelKind, Interval, ScheduleState, Value
from kiosk.packfile import read_pack, read_pack_file


def read(text: str):
    return read_pack(text, "demo.toml", today=TODAY)


def only_error(result):
    assert result.pack is None
    assert len(result.errors) == 1, [str(i) for i in result.issues]
    return result.errors[0]


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def test_minimal_pack_reads_into_the_model():
    result = read_pack_file(MINIMAL_PACK, today=TODAY)
    assert result.issues == ()
    pack = result.unwrap()
    assert pack.id == "demo"
    assert pack.pack.name["en"] == "Demo Wallet"
    hotline = present(pack.channel("hotline"))
    assert hotline.kind is ChannelKind.HOTLINE
    assert hotline.value.get("en").text == "95188"
    assert hotline.hours.rules[0].open == (Interval(9 * 60, 18 * 60),)
    app = present(pack.channel("app"))
    assert app.hours.state is ScheduleState.ALWAYS
    assert app.value == Value({"zh-CN": "我的 → 客服", "en": "Me → Help"})
    guide = present(pack.guide("forgot-password"))
    assert [s.text["en"] for s in guide.steps] == ["Open settings", "Choose forgot password"]
    assert guide.escalate == ("hotline", "general:pboc-12363")


def test_toml_syntax_error_names_the_line():
    text = minimal_pack_text(**{'id = "hotline"': 'id = "hotline'})
    issue = only_error(read(text))
    assert issue.file == "demo.toml"
    assert issue.line == line_of(text, 'id = "hotline')
    assert "not valid TOML" in issue.message


def test_unknown_key_is_an_error_with_a_suggestion():
    text = minimal_pack_text(**{'confidence = "high"': 'confidance = "high"'})
    result = read(text)
    messages = [str(i) for i in result.errors]
    assert (
        f"demo.toml:{line_of(text, 'confidance')}: channels[0].confidance: unknown key 'confidance'; "
        "did you mean 'confidence'?" in messages
    )
    # The real field is then missing, which is reported too.
    assert any("missing required field 'confidence'" in m for m in messages)


def test_missing_required_field_points_at_its_table():
    text = minimal_pack_text(**{'purpose = { zh-CN = "账户问题", en = "Account problems" }\n': ""})
    issue = only_error(read(text))
    assert issue.field == "channels[0]"
    assert issue.line == line_of(text, "[[channels]]")
    assert "missing required field 'purpose'" in issue.message


def test_wrong_type_is_explained():
    text = minimal_pack_text(**{"self_service = true": 'self_service = "yes"'})
    issue = only_error(read(text))
    assert issue.field == "channels[1].self_service"
    assert issue.message == "must be true or false, not the string 'yes'"


def test_enum_value_lists_the_choices():
    text = minimal_pack_text(**{'category = "refund"': 'category = "refunds"'})
    issue = only_error(read(text))
    assert issue.field == "guides[1].category"
    assert "did you mean 'refund'" in issue.message
    assert "account, password, payment" in issue.message


@pytest.mark.parametrize(
    "bad, description",
    [
        ("\\u001b]52;c;SGVsbG8=\\u0007", "U+001B (ESC)"),
        ("\\u009b2J", "U+009B (CSI)"),
        ("\\u202Eevil", "U+202E (bidirectional control)"),
        ("\\u0000", "U+0000 (NUL)"),
        ("line\\rover", "U+000D (CR)"),
    ],
)
def test_control_characters_in_text_are_rejected(bad, description):
    text = minimal_pack_text(**{'en = "Account problems"': f'en = "Account {bad}problems"'})
    issue = only_error(read(text))
    assert issue.field == "channels[0].purpose.en"
    assert issue.line == line_of(text, "Account ")
    assert description in issue.message


def test_plain_newlines_and_tabs_in_text_are_allowed():
    text = minimal_pack_text(**{'en = "Account problems"': 'en = "Account\\n\\tproblems"'})
    assert read(text).errors == ()


def test_sources_may_be_http_but_a_web_channel_address_stays_https_only():
    # Many government pages are served over http only; citing one is fine.
    http_source = minimal_pack_text(
        **{'source = "https://example.com/contact"': 'source = "http://example.com/contact"'}
    )
    assert read(http_source).pack is not None
    http_guide_source = minimal_pack_text(**{'url = "https://example.com/help"': 'url = "http://example.com/help"'})
    assert read(http_guide_source).pack.guides[0].sources[0].url == "http://example.com/help"
    # A web channel's address goes into QR codes a customer opens: https only.
    web = minimal_pack_text(
        **{
            'kind = "in_app"': 'kind = "web"',
            'value = { zh-CN = "我的 → 客服", en = "Me → Help" }': 'value = "http://example.com/help"',
            'source = "https://example.com/app"': 'source = "https://example.com/app"\nsource_kind = "official"',
        }
    )
    issue = only_error(read(web))
    assert issue.field == "channels[1].value"
    assert "only https: addresses are allowed" in issue.message
    ftp = minimal_pack_text(**{'source = "https://example.com/contact"': 'source = "ftp://example.com/contact"'})
    issue = only_error(read(ftp))
    assert issue.field == "channels[0].source"
    assert "an https: or http: address" in issue.message


# -- the source policy: a number or an address needs a source better than "other" --------------


def test_source_kinds_are_ordered_by_trust():
    from kiosk.model import SourceKind

    assert SourceKind.OTHER < SourceKind.MEDIA < SourceKind.GOVERNMENT < SourceKind.REGULATOR < SourceKind.OFFICIAL
    assert max(SourceKind) is SourceKind.OFFICIAL and min(SourceKind) is SourceKind.OTHER
    assert sorted(["other", "official", "media"], key=SourceKind) == ["other", "media", "official"]
    assert [k for k in SourceKind if k > SourceKind.OTHER] == ["official", "regulator", "government", "media"]


def test_kinds_are_read_and_a_missing_kind_counts_as_other():
    from kiosk.model import SourceKind

    pack = read_pack_file(MINIMAL_PACK, today=TODAY).unwrap()
    hotline, app = pack.channels
    assert hotline.source_kind is SourceKind.OFFICIAL
    assert app.source_kind is SourceKind.OTHER  # not written
    assert pack.guides[0].sources[0].kind is SourceKind.OTHER
    text = minimal_pack_text(**{'confidence = "medium" } ]\nsteps': 'confidence = "medium", kind = "media" } ]\nsteps'})
    assert read(text).pack.guides[0].sources[0].kind is SourceKind.MEDIA
    typo = minimal_pack_text(**{'source_kind = "official"': 'source_kind = "oficial"'})
    issue = only_error(read(typo))
    assert issue.field == "channels[0].source_kind"
    assert "did you mean 'official'" in issue.message


@pytest.mark.parametrize("kind", ["hotline", "regulator", "police"])
def test_a_number_sourced_only_by_other_is_refused_with_what_to_add(kind):
    text = minimal_pack_text(**{'kind = "hotline"': f'kind = "{kind}"', 'source_kind = "official"\n': ""})
    result = read(text)
    issue = only_error(result)
    assert issue.field == "channels[0].source_kind"
    # The line of the source the kind would describe, so the author sees where the fix goes.
    assert issue.line == line_of(text, 'source = "https://example.com/contact"')
    assert f"a {kind} number needs at least one source better than 'other'" in issue.message
    assert "source_kind is not set" in issue.message
    assert "set source_kind to one of 'official', 'regulator', 'government', 'media'" in issue.message
    assert f'sources = [{{ url = "https://...", kind = "official", verified = {TODAY}' in issue.message


def test_an_explicit_other_is_refused_at_its_own_line():
    text = minimal_pack_text(**{'source_kind = "official"': 'source_kind = "other"'})
    issue = only_error(read(text))
    assert issue.line == line_of(text, 'source_kind = "other"')
    assert "source_kind is 'other'" in issue.message


def test_a_better_source_under_sources_satisfies_the_policy():
    from kiosk.model import SourceKind

    extra = (
        'source = "https://example.com/contact"\n'
        'sources = [ { url = "http://www.example.gov.cn/notice.html", kind = "government", '
        'verified = 2026-11-01, confidence = "high", title = "A city notice" } ]'
    )
    text = minimal_pack_text(**{'source_kind = "official"\n': "", 'source = "https://example.com/contact"': extra})
    hotline = read(text).unwrap().channels[0]
    assert hotline.source_kind is SourceKind.OTHER
    assert hotline.best_source.kind is SourceKind.GOVERNMENT
    assert hotline.best_source.url == "http://www.example.gov.cn/notice.html"
    # Extra sources that are all "other" do not help.
    weak = extra.replace('kind = "government"', 'kind = "other"')
    result = read(
        minimal_pack_text(**{'source_kind = "official"\n': "", 'source = "https://example.com/contact"': weak})
    )
    assert "and so do all 1 entries of 'sources'" in only_error(result).message


def test_a_web_address_needs_a_better_source_too_but_an_app_path_does_not():
    web = minimal_pack_text(
        **{
            'kind = "in_app"': 'kind = "web"',
            'value = { zh-CN = "我的 → 客服", en = "Me → Help" }': 'value = "https://example.com/help"',
        }
    )
    issue = only_error(read(web))
    assert issue.field == "channels[1].source_kind"
    assert "a web address needs at least one source better than 'other'" in issue.message
    # The in-app channel of the fixture has no kind at all and is valid.
    assert read(minimal_pack_text()).pack is not None


@pytest.mark.parametrize(
    "value, reason",
    [
        ("9518", "numbers starting 95 have 5 to 8 digits, this one has 4"),
        ("1380013800", "not a mobile number"),
        ("951888888", "numbers starting 95 have 5 to 8 digits, this one has 9"),
        ("400-666-880", "400 and 800 numbers have 10 digits"),
        ("95188 ext", "only digits"),
    ],
)
def test_phone_numbers_are_checked(value, reason):
    text = minimal_pack_text(**{'value = "95188"': f'value = "{value}"'})
    issue = only_error(read(text))
    assert issue.field == "channels[0].value"
    assert issue.line == line_of(text, f'value = "{value}"')
    assert reason in issue.message


def test_a_phone_channel_value_cannot_be_a_translation_table():
    text = minimal_pack_text(**{'value = "95188"': 'value = { en = "95188" }'})
    issue = only_error(read(text))
    assert "write it as a plain string" in issue.message


def test_escalating_to_a_missing_channel_is_an_error():
    text = minimal_pack_text(
        **{'escalate = ["hotline", "general:pboc-12363"]': 'escalate = ["hotlne", "general:pboc-1236"]'}
    )
    result = read(text)
    messages = sorted(str(i) for i in result.errors)
    line = line_of(text, "escalate =")
    assert messages == [
        f"demo.toml:{line}: guides[0].escalate[0]: no channel with id 'hotlne' in this pack; did you mean 'hotline'?",
        f"demo.toml:{line}: guides[0].escalate[1]: pack 'general' has no channel 'pboc-1236'; "
        "did you mean 'pboc-12363'?",
    ]


def test_references_to_other_installed_packs_are_refused():
    text = minimal_pack_text(**{'"general:pboc-12363"': '"alipay:hotline"'})
    issue = only_error(read(text))
    assert "refers to pack 'alipay'" in issue.message


def test_related_guide_must_exist():
    text = minimal_pack_text(**{'related = ["refund"]': 'related = ["refunds"]'})
    issue = only_error(read(text))
    assert issue.field == "guides[0].related[0]"
    assert issue.message == "no guide with id 'refunds' in this pack; did you mean 'refund'?"


def test_step_channel_must_exist():
    text = minimal_pack_text(**{'channel = "app"': 'channel = "ap"'})
    issue = only_error(read(text))
    assert issue.field == "guides[0].steps[0].channel"


def test_duplicate_ids_within_a_section():
    text = minimal_pack_text(**{'id = "refund"': 'id = "forgot-password"', 'related = ["refund"]': "related = []"})
    issue = only_error(read(text))
    assert issue.field == "guides[1].id"
    assert "duplicate id 'forgot-password' (first used by guides[0])" in issue.message


def test_verified_in_the_future_and_old_are_both_warnings():
    """A future date is a clock that is behind as often as a typo: the pack still loads."""
    future = read(
        minimal_pack_text(
            **{'verified = 2026-11-01\nconfidence = "high"': 'verified = 2027-01-01\nconfidence = "high"'}
        )
    )
    assert future.errors == () and future.pack is not None
    [warning] = future.warnings
    assert warning.field == "channels[0].verified" and warning.message.startswith("2027-01-01 is in the future")
    stale = read(
        minimal_pack_text(
            **{'verified = 2026-11-01\nconfidence = "high"': 'verified = 2024-01-01\nconfidence = "high"'}
        )
    )
    assert stale.errors == ()
    assert [w.field for w in stale.warnings] == ["channels[0].verified"]
    assert "more than a year ago" in stale.warnings[0].message


def test_missing_translation_is_a_warning_not_an_error():
    result = read(minimal_pack_text(**{'title = { zh-CN = "退款", en = "Refund" }': 'title = { zh-CN = "退款" }'}))
    assert result.errors == ()
    assert [(w.field, w.severity) for w in result.warnings] == [("guides[1].title", Severity.WARNING)]
    assert "no en translation" in result.warnings[0].message


def test_plain_string_where_translations_are_expected():
    issue = only_error(
        read(minimal_pack_text(**{'summary = { zh-CN = "联系商家", en = "Ask the merchant" }': 'summary = "Ask"'}))
    )
    assert issue.field == "guides[1].summary"
    assert "table of translations" in issue.message


@pytest.mark.parametrize(
    "interval, problem",
    [("9:00-18:00", "is not an interval"), ("09:00-25:00", "impossible time"), ("09:00-09:00", "is empty")],
)
def test_bad_intervals(interval, problem):
    issue = only_error(read(minimal_pack_text(**{'"09:00-18:00"': f'"{interval}"'})))
    assert issue.field == "channels[0].hours.rules[0].open[0]"
    assert problem in issue.message


def test_overnight_interval_runs_past_midnight():
    pack = read(minimal_pack_text(**{'"09:00-18:00"': '"22:00-02:00"'})).unwrap()
    assert pack.channel("hotline").hours.rules[0].open == (Interval(22 * 60, 26 * 60),)


def test_unknown_calendar_and_time_zone():
    result = read(
        minimal_pack_text(**{'calendar = "cn-mainland"': 'calendar = "cn"', '"Asia/Shanghai"': '"Asia/Beijing"'})
    )
    messages = {i.field: i.message for i in result.errors}
    assert "not a bundled calendar" in messages["channels[0].hours.calendar"]
    assert "not an IANA time zone" in messages["channels[0].hours.timezone"]


@pytest.mark.parametrize(
    "declared, expected",
    [
        ("format = 2", "newer than this kiosk reads (1); upgrade wallet-kiosk"),
        ("format = 0", "older than this kiosk reads (1); install a newer version of this pack"),
        ('format = "1"', "must be an integer"),
    ],
)
def test_incompatible_format_versions(declared, expected):
    issue = only_error(read(minimal_pack_text(**{"format = 1": declared})))
    assert issue.field == "format"
    assert issue.line == 2
    assert expected in issue.message


def test_every_error_is_reported_not_just_the_first():
    text = minimal_pack_text(
        **{'brand_colour = "#AA3300"': 'brand_colour = "red"', 'version = "1.0.0"': 'version = "one"'}
    )
    result = read(text)
    assert {i.field for i in result.errors} == {"pack.brand_colour", "pack.version"}
    with pytest.raises(PackInvalid) as raised:
        result.unwrap()
    assert "(and 1 more)" in str(raised.value)


def test_windows_line_endings_are_accepted():
    assert read(MINIMAL_PACK.read_text(encoding="utf-8").replace("\n", "\r\n")).errors == ()


def test_invalid_utf8_is_reported_with_its_line():
    data = MINIMAL_PACK.read_bytes().replace(b"Demo Wallet", b"Demo \xff Wallet")
    result = read_pack(data, "demo.toml", today=TODAY)
    assert only_error(result).line == 6


def test_reported_hours_are_read_and_need_their_source():
    reported = (
        'hours = { reported = true, rules = [ { days = ["everyday"], open = ["08:00-24:00"] } ], '
        'source = { url = "https://example.com/hours", kind = "media", verified = 2026-11-01, confidence = "low" } }'
    )
    text = minimal_pack_text(**{'hours = "always"': reported, "self_service = true\n": ""})
    hours = read(text).unwrap().channels[1].hours
    assert hours.reported and not hours.confirmed and hours.source.url == "https://example.com/hours"
    unsourced = reported.replace(
        ', source = { url = "https://example.com/hours", kind = "media", verified = 2026-11-01, confidence = "low" }',
        "",
    )
    issue = only_error(read(minimal_pack_text(**{'hours = "always"': unsourced, "self_service = true\n": ""})))
    assert issue.field == "channels[1].hours.reported"
    assert "reported hours need the source that reports them" in issue.message


# -- text and addresses that could deceive -------------------------------------------------------


@pytest.mark.parametrize(
    "char",
    ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u3164", "\ufe0f", "\U000e0041", "\ufffc", "\ufff9"],
)
def test_invisible_and_format_characters_are_refused(char):
    text = minimal_pack_text(**{'en = "Demo Wallet"': f'en = "Demo{char} Wallet"'})
    result = read_pack(text, "pack.toml", today=TODAY)
    assert result.pack is None
    assert any(f"U+{ord(char):04X}" in i.message and i.field == "pack.name.en" for i in result.errors)


def test_every_format_character_of_this_python_is_refused():
    import unicodedata

    from kiosk import textsafety

    format_characters = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert [c for c in format_characters if not textsafety.forbidden_characters(c)] == []


def test_a_pile_of_combining_marks_is_refused():
    text = minimal_pack_text(**{'en = "Demo Wallet"': 'en = "De\u0301\u0302\u0303\u0304\u0305\u0306mo"'})
    result = read_pack(text, "pack.toml", today=TODAY)
    assert any("combining marks" in i.message for i in result.errors)
    fine = minimal_pack_text(**{'en = "Demo Wallet"': 'en = "Café Wallet"'})
    assert read_pack(fine, "pack.toml", today=TODAY).errors == ()


def test_a_name_or_label_with_a_line_break_is_refused():
    text = minimal_pack_text(**{'en = "Customer hotline"': 'en = "Customer hotline\\n✔ official number, verified"'})
    result = read_pack(text, "pack.toml", today=TODAY)
    assert any(i.field == "channels[0].label.en" and "one line" in i.message for i in result.errors)


@pytest.mark.parametrize(
    "url, why",
    [
        ("https://www.alipay.com@evil.example/x", "user-info"),
        ("https://user:pw@evil.example/", "user-info"),
        ("https://www.аlipay.com/", "non-ASCII"),  # Cyrillic а
        ("https://www.xn--lipay-3ve.com/", "punycode"),
        ("https://203.0.113.9/help", "IP address"),
    ],
)
@pytest.mark.parametrize("where", ["web", "source"])
def test_addresses_that_hide_their_real_host_are_refused(url, why, where):
    if where == "web":
        old, new = 'value = { zh-CN = "我的 → 客服", en = "Me → Help" }', f'value = "{url}"'
        text = minimal_pack_text(
            **{
                old: new,
                'kind = "in_app"': 'kind = "web"',
                'source = "https://example.com/app"': 'source = "https://example.com/app"\nsource_kind = "official"',
            }
        )
    else:
        text = minimal_pack_text(**{'source = "https://example.com/contact"': f'source = "{url}"'})
    result = read_pack(text, "pack.toml", today=TODAY)
    assert result.pack is None
    assert any(why in i.message for i in result.errors), [i.message for i in result.errors]
