"""Chinese text on a layer above other widgets is drawn whole, never torn at their edges.

Textual's compositor cuts every screen line at every edge of every visible widget, then
fills each piece from the topmost widget there. A toast, tooltip or menu drawn over the
tiles is cut at the tiles' edges too, and where such an edge falls inside a double-width
character, Rich's cell splitter replaces both halves with spaces: "即将达到" reached the
customer as "即  达到" (upstream: Textualize/textual#6357, open as of Textual 8.2.8). Because
the kiosk shows Chinese by default, every overlay could lose characters this way.

The fix: a widget is cut only where the piece it wins changes hands, not at edges that lie
entirely under it. The pieces it wins in a row are drawn as one strip in the first, and the
rest hold an empty strip so that nothing below claims them. A partial update then has to
know that such a piece reaches past its own cut, so its end is taken from the strip.

Patched once, at import of the UI. Textual is pinned (pyproject); `apply()` leaves alone a
compositor whose methods are not the ones this was written against (an upgrade must not
mix the two, nor stop the kiosk from starting), and tests/ui/test_wide_chars.py fails then.
"""

from __future__ import annotations

import hashlib
import inspect
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

#: Hashes of the two methods' source as shipped in the pinned Textual (see `_fingerprint`).
_EXPECTED = {
    "_render_chops": "ca8c3359d7af",
    "render_partial_update": "888dccc892d8",
}
_EMPTY = Strip([], 0)
_applied = False


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """Textual's `_render_chops`, cutting each widget only where ownership of the line changes."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    intersection = Region.intersection
    # Front to back: the first widget to fill a piece wins it.
    for region, clip, strips in self._get_renders(crop):
        render_region = intersection(region, clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            chops_line = chops[y]
            line_cuts = cuts[y]  # sorted (Compositor.cuts): the region's edges are one slice of them
            edges = line_cuts[bisect_left(line_cuts, first_cut) : bisect_right(line_cuts, last_cut)]
            pieces = edges[:-1]
            free = [chops_line.get(cut) is None for cut in pieces]
            # Cut only where a run of free pieces begins or ends, and at the region's end.
            run_starts = [n for n in range(len(pieces)) if n == 0 or free[n] != free[n - 1]]
            boundaries = [edges[n] for n in run_starts[1:]] + [edges[-1]]
            parts = strip.divide([edge - render_x for edge in boundaries])
            for run, part in zip(run_starts, parts, strict=False):
                if not free[run]:
                    continue
                chops_line[pieces[run]] = part
                following = run + 1
                while following < len(pieces) and free[following]:
                    chops_line[pieces[following]] = _EMPTY
                    following += 1
    return cast("Sequence[Mapping[int, Strip]]", chops)


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """Textual's `render_partial_update`, with each piece's end reaching as far as its strip does."""
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(update_regions).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    chops = self._render_chops(crop, is_rendered_line)
    chop_ends = []
    for line, cut_set in zip(chops, self.cuts, strict=False):
        ends = []
        for (x, strip), natural_end in zip(line.items(), cut_set[1:], strict=False):
            reach = x + strip.cell_length if strip is not None else natural_end
            ends.append(max(natural_end, reach))
        chop_ends.append(ends)
    return ChopsUpdate(chops, spans, chop_ends)


def _fingerprint(method: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(method).encode()).hexdigest()[:12]


def apply() -> bool:
    """Install the two methods on Textual's compositor (once); False if it is not the expected one."""
    global _applied
    if _applied:
        return True
    for name, expected in _EXPECTED.items():
        if _fingerprint(getattr(Compositor, name)) != expected:
            return False
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]
    Compositor.render_partial_update = _render_partial_update  # type: ignore[method-assign]
    _applied = True
    return True
