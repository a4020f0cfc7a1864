"""Home: one tile per wallet, then tiles for each kind of help. Digits open tiles."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from kiosk.ui.attribution import pack_name
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.tile import Tile

#: Columns of the tile grid (kiosk.tcss, #tiles), and the room kept for its scrollbar (Textual's default).
TILE_COLUMNS = 3
SCROLLBAR = 2

#: Wallets with a tile and a digit of their own (1-3); the help tiles after them keep 4-9 and 0
#: however many wallets are installed, so "6 is the number check" holds at every branch. Any
#: further wallets are behind one "all wallets" tile, last and without a digit, naming them.
FEATURED_WALLETS = 3

#: Help tiles after the wallet tiles: (target, title key, subtitle key).
HELP_TILES = (
    ("search", "tile.search", "tile.search.sub"),
    ("checklist", "tile.checklist", "tile.checklist.sub"),
    ("number", "tile.number", "tile.number.sub"),
    ("escalation", "tile.escalation", "tile.escalation.sub"),
    ("prepare", "tile.prepare", "tile.prepare.sub"),
    ("contacts", "tile.contacts", "tile.contacts.sub"),
    ("language", "tile.language", "tile.language.sub"),
)


class HomeScreen(KioskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n % 10), f"choose({n})", "Select", id="select", show=n == 1, key_display="0-9")
            for n in range(1, 11)
        ),
        Binding("slash", "open('search')", "Search", id="search"),
        Binding("question_mark", "open('about')", "About", id="about"),
        # The tiles are a grid, and the arrows move on it as they look: ↓ to the tile below, → to the
        # next tile in the row. At an edge the focus stays where it is (it never leaves the tiles).
        Binding("down", "move(0, 1)", show=False),
        Binding("up", "move(0, -1)", show=False),
        Binding("right", "move(1, 0)", show=False),
        Binding("left", "move(-1, 0)", show=False),
    ]

    def compose_body(self):
        yield Static(plain(self.tr("home.greeting")), id="greeting")
        with VerticalScroll(id="home-scroll"):
            with Grid(id="tiles"):
                tiles = self.tiles()
                numbered = [t for t in tiles if t.id != "tile-wallets"]
                for number, tile in enumerate(numbered, start=1):
                    tile.number = number % 10 if number <= 10 else None
                self.fit_tiles(tiles)  # before the first layout, so the tiles are laid out once
                yield from tiles
            # Problems only staff can fix (broken config, a pack that did not load), said plainly but
            # quietly, under the tiles: whole and wrapped at any size, reached by scrolling if need be.
            for notice in self.kiosk.notices:
                yield Static(plain(self.tr("home.staff_notice", notice=notice)), classes="staff-notice")

    def tiles(self) -> list[Tile]:
        locale = self.locale
        wallets = self.kiosk.packs.wallets
        featured, others = wallets[:FEATURED_WALLETS], wallets[FEATURED_WALLETS:]
        tiles = [
            Tile(
                None,
                pack_name(self.kiosk.packs, p, locale),
                localized(p.pack.summary, locale),
                f"wallet:{p.id}",
                colour=p.pack.brand_colour,
                id=f"tile-wallet-{p.id}",
            )
            for p in featured
        ]
        for target, title, subtitle in HELP_TILES:
            tiles.append(Tile(None, plain(self.tr(title)), plain(self.tr(subtitle)), target, id=f"tile-{target}"))
        if others:
            separator = "、" if locale == "zh-CN" else ", "
            names = separator.join(str(pack_name(self.kiosk.packs, p, locale)) for p in others)
            tiles.append(
                Tile(
                    None,
                    plain(self.tr("tile.all_wallets", n=len(wallets))),
                    plain(self.tr("tile.all_wallets.sub", names=names)),
                    "wallets",
                    id="tile-wallets",
                )
            )
        return tiles

    # The first tile takes the focus as the screen is composed (no second styling pass).
    AUTO_FOCUS = "Tile"

    def focus_first_tile(self) -> None:
        tiles = self.query(Tile)
        if tiles:
            tiles.first().focus()

    def action_choose(self, number: int) -> None:
        tiles = list(self.query(Tile))
        if 1 <= number <= len(tiles):
            tiles[number - 1].focus()
            tiles[number - 1].choose()

    def on_resize(self) -> None:
        self.fit_tiles()

    def fit_tiles(self, tiles: list[Tile] | None = None) -> None:
        """Give the tiles' descriptions as many lines as the screen has room for with every tile in view.

        A tile is a blank line, its title and its description (at least four lines in all); rows have
        a gutter between them; the header, greeting and footer take three lines. The most lines
        that still fit are given (at least one each: below that the screen scrolls).
        """
        tiles = list(self.query(Tile)) if tiles is None else tiles
        size = self.size if self.size.height else self.app.size  # before its first layout a screen has no size
        if not tiles or not size.height:
            return
        # The narrowest a tile's text can be in this grid (padding, gutters, a tile's border and padding),
        # known before any layout, so the tiles are laid out once, at the height they keep.
        width = max(1, (size.width - SCROLLBAR - 2 - (TILE_COLUMNS - 1)) // TILE_COLUMNS - 3)
        sizes = [(len(tile.heading().wrap(width)), len(tile.subtitle.wrap(width))) for tile in tiles]
        rows = [sizes[i : i + TILE_COLUMNS] for i in range(0, len(sizes), TILE_COLUMNS)]
        room = size.height - 4 - (len(rows) - 1)  # one line spare: a full screen would show a scrollbar

        def height(lines: int) -> int:
            return sum(max(max(4, 1 + title + min(lines, need)) for title, need in row) for row in rows)

        lines = max(need for _, need in sizes)
        while lines > 1 and height(lines) > room:
            lines -= 1
        for tile in tiles:
            if tile.subtitle_lines != lines:
                tile.subtitle_lines = lines
                if tile.is_mounted:
                    tile.refresh(layout=True)

    def action_move(self, across: int, down: int) -> None:
        tiles = list(self.query(Tile))
        if not tiles:
            return
        current = self.focused if isinstance(self.focused, Tile) else None
        if current is None:
            tiles[0].focus()
            return
        target = tile_towards(tiles, current, across, down)
        if target is not None:
            target.focus()

    def action_open(self, target: str) -> None:
        self.navigate(target)


def tile_towards(tiles: list[Tile], current: Tile, across: int, down: int) -> Tile | None:
    """The tile next to `current` in the direction (`across`, `down`) as laid out now, or None at an edge.

    Rows are read from where the grid put the tiles, so this holds for any number of columns. Going
    down or up lands on the nearest tile of the next row (the last row may be shorter).
    """
    rows: dict[int, list[Tile]] = {}
    for tile in tiles:
        rows.setdefault(tile.region.y, []).append(tile)
    row_keys = sorted(rows)
    for row in rows.values():
        row.sort(key=lambda t: t.region.x)
    here = current.region
    row_index = row_keys.index(here.y) if here.y in rows else 0
    row = rows[row_keys[row_index]]
    if across:
        column = row.index(current) + across if current in row else 0
        return row[column] if 0 <= column < len(row) else None
    next_index = row_index + down
    if not 0 <= next_index < len(row_keys):
        return None
    return min(rows[row_keys[next_index]], key=lambda t: abs(t.region.x - here.x))
