"""Join the print briefing's pieces, each a PDF WeasyPrint wrote on its own, into one PDF, with qpdf
(pikepdf): pypdf took five times as long at 900 pages.

The pieces' pages go one after the other; their named destinations (every id)
into one name tree, their outlines into one outline, in order; a link a piece
could only keep as a URI to an id in another piece points at that id again;
and each page gets its footer ("page X of Y") laid over it from a PDF of
footers alone, so that a piece's layout does not depend on where it lands.
"""

from __future__ import annotations

import warnings
from io import BytesIO
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, NameTree, OutlineItem, String


def join(pieces: list[tuple[bytes, bool]], footers: bytes, elsewhere: str) -> bytes:
    """One PDF of the pieces, in order, each with whether it goes on with the one before (its outline's
    entries then go under the last entry before it); `elsewhere`: the URI prefix of links to ids in other pieces."""
    out = pikepdf.new()
    opened = [pikepdf.open(BytesIO(data)) for data, _ in pieces]
    first = opened[0]
    out.Root.Lang = first.Root.get("/Lang", String("en"))
    out.docinfo = out.copy_foreign(first.docinfo)
    destinations, items = {}, []
    for source, (_, continued) in zip(opened, pieces):
        offset = len(out.pages)
        index = {page.objgen: i for i, page in enumerate(source.pages)}
        with warnings.catch_warnings():  # that pages.extend() leaves out the named destinations: they are joined below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(source.pages)
        pages = out.pages

        def moved(dest):
            """A destination array of the piece's, pointing at the joined document's page."""
            return Array([pages[offset + index[dest[0].objgen]].obj, *dest[1:]])

        if "/Names" in source.Root and "/Dests" in source.Root.Names:
            for name, dest in NameTree(source.Root.Names.Dests).items():
                destinations[name] = moved(dest)
        with source.open_outline() as outline:
            copied = [_copied(item, moved) for item in outline.root]
        (items[-1].children if continued and items else items).extend(copied)
    tree = NameTree.new(out)
    for name in sorted(destinations):
        tree[name] = destinations[name]
    out.Root.Names = Dictionary(Dests=tree.obj)
    with out.open_outline() as outline:
        outline.root.extend(items)
    overlay = pikepdf.open(BytesIO(footers))
    for page, footer in zip(out.pages, overlay.pages):
        for annot in page.get("/Annots", ()):
            uri = annot.get("/A", {}).get("/URI")
            if uri is not None and str(uri).startswith(elsewhere):
                del annot["/A"]
                annot.Dest = String(unquote(str(uri)[len(elsewhere) :]))
        page.add_overlay(footer)
    written = BytesIO()
    out.save(written, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return written.getvalue()


def _copied(item: OutlineItem, moved) -> OutlineItem:
    """An outline entry and its children, their destinations moved to the joined document's pages."""
    copy = OutlineItem(item.title, moved(item.destination))
    copy.children.extend(_copied(child, moved) for child in item.children)
    return copy
