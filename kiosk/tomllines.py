"""Map field paths of a TOML document to the line they are written on.

`tomllib` returns plain values without positions, but a pack author needs
"alipay.toml:42", not just "channels[3].value". This scanner walks the source
once, following table headers, arrays of tables, dotted keys, inline tables
and multi-line arrays, and records the line where each path starts. It does
not validate TOML (tomllib already did); on anything it does not follow it
simply knows fewer lines, and `line_of` falls back to the nearest parent.

Every "which line?" in the kiosk goes through here: pack documents, kiosk.toml
and its [ssh] table, and the position in a TOML syntax error.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


_ERROR_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)")


def error_position(error: ValueError) -> tuple[int | None, str]:
    """(line, message without the position) of a `tomllib.TOMLDecodeError`, for an Issue."""
    text = str(error)
    match = _ERROR_POSITION.search(text)
    return (int(match.group(1)) if match else None), _ERROR_POSITION.sub("", text).strip()


class LineMap:
    def __init__(self, lines: dict[Path, int]) -> None:
        self._lines = lines

    def line_of(self, path: Path) -> int | None:
        """Line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            line = self._lines.get(path)
            if line is not None:
                return line
            path = path[:-1]
        return None


def scan(source: str) -> LineMap:
    return LineMap(_Scanner(source).run())


class _Scanner:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.array_counts: dict[Path, int] = {}

    # -- low-level helpers -------------------------------------------------
    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.src[index] if index < len(self.src) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.pos < len(self.src):
                if self.src[self.pos] == "\n":
                    self.line += 1
                self.pos += 1

    def skip_ws(self, newlines: bool) -> None:
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.advance()
            elif char == "#":
                while self.pos < len(self.src) and self.src[self.pos] != "\n":
                    self.advance()
            else:
                return

    def record(self, path: Path) -> None:
        self.lines.setdefault(path, self.line)

    # -- grammar -----------------------------------------------------------
    def run(self) -> dict[Path, int]:
        table: Path = ()
        while True:
            self.skip_ws(newlines=True)
            if self.pos >= len(self.src):
                return self.lines
            if self.peek() == "[":
                table = self.header()
            else:
                self.key_value(table)

    def header(self) -> Path:
        is_array = self.peek(1) == "["
        self.advance(2 if is_array else 1)
        self.skip_ws(newlines=False)
        keys = self.key()
        self.skip_ws(newlines=False)
        self.advance(2 if is_array else 1)
        path = self.resolve(keys)
        if is_array:
            index = self.array_counts.get(path, 0)
            self.array_counts[path] = index + 1
            self.record(path)
            path = (*path, index)
        self.record(path)
        return path

    def resolve(self, keys: list[str]) -> Path:
        """Turn a header's dotted keys into a path, entering the latest element of arrays of tables."""
        path: Path = ()
        last = len(keys) - 1
        for position, key in enumerate(keys):
            path = (*path, key)
            # Only the final key of `[[a.b]]` names the array being extended.
            if position < last and path in self.array_counts:
                path = (*path, self.array_counts[path] - 1)
        return path

    def key(self) -> list[str]:
        keys = []
        while True:
            self.skip_ws(newlines=False)
            char = self.peek()
            if char in "\"'":
                keys.append(self.string_value(capture=True))
            else:
                match = _BARE_KEY.match(self.src, self.pos)
                if not match:
                    return keys
                keys.append(match.group())
                self.advance(match.end() - self.pos)
            self.skip_ws(newlines=False)
            if self.peek() != ".":
                return keys
            self.advance()

    def key_value(self, table: Path) -> None:
        start_line = self.line
        keys = self.key()
        if not keys:
            # Not something we follow; skip the line so we never loop.
            while self.pos < len(self.src) and self.peek() != "\n":
                self.advance()
            return
        path = table + tuple(keys)
        self.lines.setdefault(path, start_line)
        self.skip_ws(newlines=False)
        if self.peek() == "=":
            self.advance()
        self.skip_ws(newlines=False)
        self.value(path)

    def value(self, path: Path) -> None:
        char = self.peek()
        if char in "\"'":
            self.string_value(capture=False)
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            while self.pos < len(self.src) and self.peek() not in ",]}\n#":
                self.advance()

    def array(self, path: Path) -> None:
        self.advance()  # [
        index = 0
        while self.pos < len(self.src):
            self.skip_ws(newlines=True)
            char = self.peek()
            if char == "]":
                self.advance()
                return
            if char == ",":
                self.advance()
                continue
            self.record((*path, index))
            self.value((*path, index))
            index += 1

    def inline_table(self, path: Path) -> None:
        self.advance()  # {
        while self.pos < len(self.src):
            self.skip_ws(newlines=True)
            char = self.peek()
            if char == "}":
                self.advance()
                return
            if char == ",":
                self.advance()
                continue
            before = self.pos
            keys = self.key()
            if not keys:
                self.advance()
                if self.pos == before:
                    return
                continue
            sub = path + tuple(keys)
            self.record(sub)
            self.skip_ws(newlines=False)
            if self.peek() == "=":
                self.advance()
            self.skip_ws(newlines=False)
            self.value(sub)

    def string_value(self, capture: bool) -> str:
        quote = self.peek()
        triple = self.src.startswith(quote * 3, self.pos)
        delimiter = quote * 3 if triple else quote
        self.advance(len(delimiter))
        start = self.pos
        while self.pos < len(self.src):
            if quote == '"' and self.peek() == "\\":
                self.advance(2)
                continue
            if self.src.startswith(delimiter, self.pos):
                text = self.src[start : self.pos]
                self.advance(len(delimiter))
                # A multi-line string may end with up to two extra quotes ("""a"""").
                while triple and self.peek() == quote:
                    self.advance()
                return text if capture else ""
            if not triple and self.peek() == "\n":
                break
            self.advance()
        return self.src[start : self.pos] if capture else ""
