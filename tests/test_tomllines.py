"""Line numbers for field paths, so validation errors can say where."""

from kiosk.tomllines import scan

SOURCE = '''\
format = 1
[pack]
id = "x"
name = { zh-CN = "甲", en = "A" }
notes = """
a "quoted" line
"""

[[channels]]
id = "a"
[channels.hours]
timezone = "Asia/Shanghai"
[[channels.hours.rules]]
days = ["mon"]

[[channels]]
id = "b"
"quoted key" = 1
dotted.key = 2

[[guides]]
steps = [
  { text = { en = "one" } },
  # a comment between elements
  { text = { en = "two" }, channel = "a" },
]
'''


def test_paths_map_to_their_lines():
    lines = scan(SOURCE)
    assert lines.line_of(("format",)) == 1
    assert lines.line_of(("pack", "name", "en")) == 4
    assert lines.line_of(("channels", 0, "id")) == 10
    assert lines.line_of(("channels", 0, "hours", "timezone")) == 12
    assert lines.line_of(("channels", 0, "hours", "rules", 0, "days")) == 14
    assert lines.line_of(("channels", 1)) == 16
    assert lines.line_of(("channels", 1, "quoted key")) == 18
    assert lines.line_of(("channels", 1, "dotted", "key")) == 19
    assert lines.line_of(("guides", 0, "steps", 1, "channel")) == 25


def test_unknown_paths_fall_back_to_the_nearest_parent():
    lines = scan(SOURCE)
    assert lines.line_of(("channels", 1, "missing")) == 16
    assert lines.line_of(("nowhere",)) is None


def test_the_position_of_a_syntax_error_becomes_a_line_and_a_plain_message():
    import tomllib

    from kiosk.tomllines import error_position

    try:
        tomllib.loads("a = 1\nb = = 2\n")
    except tomllib.TOMLDecodeError as exc:
        line, message = error_position(exc)
    assert line == 2 and message == "Invalid value"
    try:
        tomllib.loads('a = "open')
    except tomllib.TOMLDecodeError as exc:
        line, message = error_position(exc)
    assert line is None and message == "Unterminated string (at end of document)"
