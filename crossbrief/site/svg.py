"""Drawing helpers the pictures share: escaping, coordinates, short labels, the <figure> around the SVG."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from crossbrief.site.markup import escaped_text


def _e(text: object) -> str:
    """Text or an attribute value, escaped for HTML and SVG alike."""
    return escaped_text(str(text))


def _n(x: float) -> str:
    """A coordinate, rounded to a tenth, without a trailing `.0`."""
    s = f"{x:.1f}"
    return s if s[-1] != "0" else "0" if s == "-0.0" else s[:-2]


@lru_cache(maxsize=1 << 16)
def _label(text: str, limit: int) -> str:
    """A label cut to `limit` characters and escaped; remembered, as each name is drawn on the page of
    everything it is related to, in each of two layouts."""
    return _e(_short(text, limit))


def _short(text: str, limit: int) -> str:
    """A label cut to `limit` characters, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class _Svg:
    """One drawing of a picture: its size and its SVG elements."""

    width: float
    height: float
    body: list[str]
    variant: str = ""
    """"wide" or "narrow" when a picture has a layout for each (CSS shows the one that fits), else ""."""


def _figure(kind: str, title: str, desc: str, caption: str, drawings: list[_Svg], interactive: bool) -> Markup:
    """SVG pictures in a <figure>: each named by its <title>, described by its <desc>; one caption.

    A picture whose parts are links is a group (its links stay reachable by
    keyboard and screen reader); one without links is an image. The figure is
    left out of the search index: the page's text already says what it shows.
    """
    role = 'role="group"' if interactive else 'role="img"'
    parts = []
    for svg in drawings:
        ident = f"cb-{kind}" + (f"-{svg.variant}" if svg.variant else "")
        variant = f" cb-{svg.variant}" if svg.variant else ""
        parts.append(
            f'<div class="cb-figure-scroll{variant}">\n'
            f'<svg class="cb-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(svg.width)} {_n(svg.height)}" '
            f'width="{_n(svg.width)}" height="{_n(svg.height)}" {role} aria-labelledby="{ident}-title {ident}-desc">\n'
            f'<title id="{ident}-title">{_e(title)}</title>\n<desc id="{ident}-desc">{_e(desc)}</desc>\n'
            + "\n".join(svg.body)
            + "\n</svg>\n</div>"
        )
    return Markup(
        f'<figure class="cb-figure cb-figure-{kind}" data-search-exclude>\n'
        + "\n".join(parts)
        + f"\n<figcaption>{_e(caption)}</figcaption>\n</figure>"
    )


_NARROW = set("iljtf.,:;'!|()[] ")
_WIDE = set("mwMW—")


def _text_width(text: str, size: float) -> float:
    """About how wide a text is drawn in a semibold sans-serif of `size` px, erring wide: each
    character by its class (the fonts differ by system, and the SVG is laid out before any is chosen)."""
    units = sum(
        0.36 if c in _NARROW else 0.95 if c in _WIDE else 0.76 if c.isupper() or c.isdigit() else 0.64
        for c in " ".join(str(text).split())
    )
    return units * size


def _wrap(text: str, width: float, size: float) -> list[str]:
    """A label on as many lines as it needs to fit `width` (at `size` px), broken between words; two lines
    at most, the second cut with an ellipsis only when a single word is wider than the whole line."""
    words, lines = " ".join(str(text).split()).split(" "), [""]
    for word in words:
        joined = f"{lines[-1]} {word}".strip()
        if lines[-1] and _text_width(joined, size) > width and len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] = joined
    while _text_width(lines[-1], size) > width and len(lines[-1]) > 1:
        lines[-1] = lines[-1][:-2].rstrip() + "…"
    return lines


def _link(href: str, inner: str) -> str:
    return f'<a href="{_e(href)}">{inner}</a>'
