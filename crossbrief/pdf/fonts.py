"""One font program per face in the joined print briefing: each piece embeds its own subset of each font,
and the join points them all at the union of those subsets."""

from __future__ import annotations

from collections import defaultdict
from io import BytesIO

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph
from pikepdf import Array, Dictionary, Name


def share(pdf: pikepdf.Pdf) -> None:
    """Point every piece's subset of a TrueType font at one font program, the union of the subsets: WeasyPrint
    subsets keeping each glyph's id (retain-gids), so a glyph is at the same id in every subset and the pieces'
    text and widths need no change (the seed's PDF embedded 66 subsets, 231 KB, for six faces). A font is
    known by its PostScript name (after the subset's tag), which names one font file: fontconfig finds the
    same file for each piece, as each asks with the same stylesheet."""
    fonts, seen = defaultdict(list), set()
    for page in pdf.pages:
        for cid in _cid_fonts(page.obj.get("/Resources", {}), seen):
            if "/W" in cid and "/FontFile2" in cid.FontDescriptor:
                name = str(cid.FontDescriptor.FontName).partition("+")[2]
                fonts[name].append((cid.FontDescriptor, _glyph_ids(cid.W)))
    for subsets in fonts.values():
        if len(subsets) < 2:  # a font only one piece uses has nothing to share
            continue
        # only the subsets that hold glyphs no subset before them does: after the first few, pieces in one
        # alphabet add none, and reading a font program is most of the union's time
        needed, found = [], set()
        for descriptor, used in subsets:
            if not used <= found:
                needed.append(descriptor)
                found |= used
        programs = list(dict.fromkeys(bytes(d.FontFile2.read_bytes()) for d in needed or subsets[:1]))
        merged = _union(programs) if len(programs) > 1 else programs[0]
        if merged is None:
            continue
        shared = pikepdf.Stream(pdf, merged)
        shared.Length1 = len(merged)
        for descriptor, _ in subsets:
            descriptor.FontFile2 = shared


def _cid_fonts(resources: Dictionary, seen: set):
    """The TrueType CID fonts in these resources and in those of their forms (the footers are one), each once."""
    for font in resources.get("/Font", {}).values():
        for cid in font.get("/DescendantFonts", ()):
            if cid.objgen not in seen and cid.get("/Subtype") == Name.CIDFontType2:
                seen.add(cid.objgen)
                yield cid
    for form in resources.get("/XObject", {}).values():
        if form.objgen not in seen and form.get("/Subtype") == Name.Form:
            seen.add(form.objgen)
            yield from _cid_fonts(form.get("/Resources", {}), seen)


def _glyph_ids(widths: Array) -> set[int]:
    """The glyphs a CID font's /W array gives widths for: the glyphs its piece draws (`c [w1 w2 ...]` gives
    c, c+1, ...; `c_first c_last w` gives c_first to c_last)."""
    found, items, i = set(), list(widths), 0
    while i < len(items):
        if isinstance(items[i + 1], Array):
            found.update(range(int(items[i]), int(items[i]) + len(items[i + 1])))
            i += 2
        else:
            found.update(range(int(items[i]), int(items[i + 1]) + 1))
            i += 3
    return found


def _union(programs: list[bytes]) -> bytes | None:
    """One TrueType font holding every glyph of these subsets of one font, or None when they may not be of the
    same font (then each piece keeps its own). Glyphs are matched by id, and copied as they are stored, never
    decoded: a subset names only the glyphs it keeps, so one id may have another name in each, and a
    composite glyph names its parts by id."""
    fonts = sorted(
        (TTFont(BytesIO(data), recalcBBoxes=False, recalcTimestamp=False) for data in programs),
        key=lambda f: -len(f["loca"]),
    )
    if len({_version(font) for font in fonts}) > 1 or any(tag in font for font in fonts for tag in _UNMERGED):
        return None
    base = fonts[0]
    names, glyphs, metrics = base.getGlyphOrder(), base["glyf"].glyphs, base["hmtx"]
    for font in fonts[1:]:
        # the other subsets' glyphs straight from their tables' bytes: decoding a whole table only to find the
        # few glyphs a subset keeps was most of the join's time at M
        loca, stored = font["loca"], font.reader["glyf"]
        for gid in range(len(loca) - 1):
            start, end = loca[gid], loca[gid + 1]
            if end > start and not hasattr(glyphs[names[gid]], "data"):  # a glyph not empty, ours so far
                glyphs[names[gid]] = Glyph(stored[start:end])
                metrics[names[gid]] = font["hmtx"][font.getGlyphOrder()[gid]]
    # the bounds and maxima the fonts' headers give, which are not worked out again from glyphs not decoded
    head, maxp = base["head"], base["maxp"]
    for font in fonts[1:]:
        head.xMin, head.yMin = min(head.xMin, font["head"].xMin), min(head.yMin, font["head"].yMin)
        head.xMax, head.yMax = max(head.xMax, font["head"].xMax), max(head.yMax, font["head"].yMax)
        for field in _MAXIMA:
            setattr(maxp, field, max(getattr(maxp, field), getattr(font["maxp"], field)))
    written = BytesIO()
    base.save(written)
    return written.getvalue()


_UNMERGED = ("gvar", "vmtx", "hdmx", "VORG", "sbix", "CBDT", "COLR", "SVG ", "EBDT", "CFF ", "CFF2")
"""Tables with data for each glyph that the union does not copy (it copies glyf and hmtx): a font that has
one (a variable font, a colour font, vertical metrics) keeps a subset in each piece."""

_MAXIMA = (
    "maxPoints maxContours maxCompositePoints maxCompositeContours maxZones maxTwilightPoints maxStorage "
    "maxFunctionDefs maxInstructionDefs maxStackElements maxSizeOfInstructions maxComponentElements "
    "maxComponentDepth"
).split()
"""The fields of a TrueType font's `maxp` table that are the most any of its glyphs needs."""


def _version(font: TTFont) -> tuple:
    """What tells one font from another of the same name: its units, revision and version string."""
    return font["head"].unitsPerEm, font["head"].fontRevision, font["name"].getDebugName(5)
