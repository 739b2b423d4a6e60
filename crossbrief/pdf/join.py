"""Join the print briefing's pieces, each a PDF WeasyPrint wrote on its own, into one PDF, with qpdf
(pikepdf): pypdf took five times as long at 900 pages.

The pieces' pages go one after the other; their named destinations (every id)
into one name tree, their outlines into one outline, in order (a link a piece
could only keep as a URI to an id in another piece was pointed at that id's
name when the piece was laid out: named_links); and each page gets its
footer ("page X of Y") laid over it from a PDF of footers alone, so that a
piece's layout does not depend on where it lands.
Each piece embeds its own subset of each font; the join embeds one font
program per face instead (fonts.py).
"""

from __future__ import annotations

import warnings
from io import BytesIO
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, OutlineItem, String

from crossbrief.pdf import fonts


def join(pieces: list[tuple[bytes, bool]], footers: bytes) -> bytes:
    """One PDF of the pieces, in order, each with whether it goes on with the one before (its outline's
    entries then go under the last entry before it)."""
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
        pages = [out.pages[offset + i].obj for i in range(len(index))]

        def moved(dest):
            """A destination array of the piece's, pointing at the joined document's page."""
            return Array([pages[index[dest[0].objgen]], *dest[1:]])

        if "/Names" in source.Root and "/Dests" in source.Root.Names:
            for name, dest in NameTree(source.Root.Names.Dests).items():
                destinations[name] = moved(dest)
        with source.open_outline() as outline:
            copied = [_copied(item, moved) for item in outline.root]
        (items[-1].children if continued and items else items).extend(copied)
    # one node holding every name, sorted, as a name tree may be: qpdf's balanced tree took a tenth of the join
    named = Array([item for name in sorted(destinations) for item in (String(name), destinations[name])])
    out.Root.Names = Dictionary(Dests=Dictionary(Names=named))
    with out.open_outline() as outline:
        outline.root.extend(items)
    overlay = pikepdf.open(BytesIO(footers))
    saved = pikepdf.Stream(out, b"q\n")  # the graphics state before the page, one stream for every page
    for number, (page, footer) in enumerate(zip(out.pages, overlay.pages), 1):
        _overlay(out, page, footer, Name(f"/CbFooter{number}"), saved)
    fonts.share(out)
    written = BytesIO()
    out.save(written, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return written.getvalue()


def named_links(piece: bytes, elsewhere: str) -> bytes:
    """A piece's PDF with its links to ids in other pieces, which WeasyPrint kept as URIs starting with
    `elsewhere`, made links to the named destinations they will find once the pieces are joined (done to each
    piece as it is laid out, and kept with it, rather than to every page at each join)."""
    document = pikepdf.open(BytesIO(piece))
    for page in document.pages:
        for annot in page.get("/Annots", ()):
            uri = annot.get("/A", {}).get("/URI")
            if uri is not None and str(uri).startswith(elsewhere):
                del annot["/A"]
                annot.Dest = String(unquote(str(uri)[len(elsewhere) :]))
    written = BytesIO()
    document.save(written, deterministic_id=True)
    return written.getvalue()


def _overlay(pdf: pikepdf.Pdf, page: pikepdf.Page, footer: pikepdf.Page, name: Name, saved: pikepdf.Stream) -> None:
    """Lay the footer's page over the page, as pikepdf's add_overlay() does, but under a name of ours where
    that picks a random one (the same pieces make the same PDF, byte for byte; the name is the page's own, as
    WeasyPrint's pages share one dictionary of resources), and with the page's content left as it is, in
    streams before and after it, where that writes it again whole (which took half the join's time)."""
    formx = footer.as_form_xobject()
    page.add_resource(formx, Name.XObject, name)
    placed = page.calc_form_xobject_placement(formx, name, pikepdf.Rectangle(page.trimbox))
    contents = page.obj.Contents
    drawn = list(contents) if isinstance(contents, Array) else [contents]
    page.obj.Contents = Array([saved, *drawn, pikepdf.Stream(pdf, b"Q\n" + placed)])


def _copied(item: OutlineItem, moved) -> OutlineItem:
    """An outline entry and its children, their destinations moved to the joined document's pages."""
    copy = OutlineItem(item.title, moved(item.destination))
    copy.children.extend(_copied(child, moved) for child in item.children)
    return copy
