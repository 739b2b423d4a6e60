"""The print briefing: what the PDF says, its contents and outline, and what its fetcher refuses."""

from __future__ import annotations

import io
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pikepdf
import pytest
from conftest import FIXTURES, REPO, missing_tool
from fontTools.ttLib import TTFont, newTable
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from crossbrief import pdf, site
from crossbrief.build import inspect
from crossbrief.infra.i18n import ENGLISH
from crossbrief.pdf import fonts as pdffonts

SECTIONS = [
    "Contents",
    "Summary and key points",
    "Disagreements",
    "People",
    "Organisations",
    "Events",
    "Timeline",
    "Sources",
]


def squash(text: str) -> str:
    """Text without white space: lines may wrap anywhere, URLs included."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The pdf fixture's briefing, printed once: (root, reader, page texts, Printed)."""
    root = tmp_path_factory.mktemp("pdf") / "project"
    shutil.copytree(FIXTURES / "pdf", root)
    analysis = inspect(root).analysis
    result = pdf.render_pdf(analysis, pdf.briefing_of(analysis), inspect=True)
    target = root / "briefing.pdf"
    target.write_bytes(result.pdf)
    reader = PdfReader(target)
    return root, reader, [page.extract_text() for page in reader.pages], result


def outline(reader: PdfReader, items=None) -> list[tuple[str, int, list]]:
    """The outline as (title, page number from 1, children)."""
    items = reader.outline if items is None else items
    found = []
    for item in items:
        if isinstance(item, list):
            title, page, _ = found[-1]
            found[-1] = (title, page, outline(reader, item))
        else:
            found.append((item.title, reader.get_destination_page_number(item) + 1, []))
    return found


def contents(texts: list[str], pages: range) -> dict[str, int]:
    """The entries of the contents (on `pages`, numbered from 1), title to page number."""
    entries = {}
    for number in pages:
        for line in texts[number - 1].splitlines():
            m = re.fullmatch(r"(.*?\S)\s*(?:\.\s*)+(\d+)", line.strip())
            if m:
                entries[m[1]] = int(m[2])
    return entries


def flat(items) -> dict[str, int]:
    """Every outline entry at any depth, title to page number."""
    found = {}
    for title, page, children in items:
        found[title] = page
        found.update(flat(children))
    return found


def layout_faults(documents) -> list[str]:
    """What a print reader would mind: a page ending on a heading, a table row split, text past the margins;
    in a Document or in the pieces of the briefing, one after the other."""
    if not isinstance(documents, (list, tuple)):
        documents = [documents]
    assert documents, "no laid-out pages to look at"
    faults, rows, firsts, lasts = [], {}, {}, {}
    for number, page in enumerate((page for document in documents for page in document.pages), 1):
        box = page._page_box
        right, bottom = box.content_box_x() + box.width, box.content_box_y() + box.height
        found = list(_boxes(box, ()))
        lines = [(line, chain) for line, chain in found if isinstance(line, boxes.LineBox)]
        for text, chain in found:
            if isinstance(text, boxes.TextBox) and text.text.strip():
                if text.position_x + text.width > right + 1 or text.position_y + text.height > bottom + 1:
                    faults.append(f"page {number}: {text.text!r} runs past the margin")
            if isinstance(text, boxes.TableRowBox) and "thead" not in [tag for tag, _, _ in chain]:
                rows.setdefault(id(text.element), set()).add(number)  # (a table's header repeats on its pages)
        body = [(line, chain) for line, chain in lines if not any("fn" in c.split() for _, c, _ in chain)]
        if body:
            firsts[number] = body[0][1]
            lasts[number] = body[-1]
    for number, (line, chain) in lasts.items():
        heading = any(
            tag in ("h1", "h2", "h3") or {"dossier-head", "meta"} & set(classes.split()) for tag, classes, _ in chain
        )
        if (
            heading and number + 1 in firsts and _owner(chain) is _owner(firsts[number + 1])
        ):  # what it heads goes on over
            words = " ".join(t.text for t, _ in _boxes(line, ()) if isinstance(t, boxes.TextBox))
            faults.append(f"page {number} ends with a heading: {words!r}")
    faults += [f"a table row is split over pages {sorted(pages)}" for pages in rows.values() if len(pages) > 1]
    return faults


def _owner(chain):
    """The innermost dossier, disagreement or section a line is part of."""
    return next((element for tag, _, element in reversed(chain) if tag in ("article", "section", "nav")), None)


def _boxes(box, chain):
    """Every box of a page but its margins, with the elements it sits in: (tag, classes, element), outermost first."""
    if isinstance(box, boxes.MarginBox):
        return
    element = getattr(box, "element", None)
    if element is not None and (not chain or chain[-1][2] is not element):
        chain = (*chain, (box.element_tag, element.get("class") or "", element))
    yield box, chain
    for child in getattr(box, "children", ()):
        yield from _boxes(child, chain)


def test_no_heading_is_stranded_no_row_split_and_nothing_overflows(printed):
    *_, result = printed
    assert layout_faults(result.documents) == []


def test_the_layout_check_sees_a_stranded_heading_a_split_row_and_an_overflow():
    from weasyprint import HTML

    document = HTML(
        string=f"""<style>@page {{ size: A6; margin: 10mm }} h2 {{ break-after: auto }}</style>
        <section><div style="height: 110mm"></div><h2>Stranded</h2><p style="height: 30mm">Body</p></section>
        <table><tr><td>{"line<br>" * 80}</td></tr></table>
        <p style="white-space: nowrap">Averyveryveryveryveryveryveryveryveryveryveryveryverylongword</p>"""
    ).render()
    faults = layout_faults(document)
    assert "page 1 ends with a heading: 'Stranded'" in faults
    assert any(f.startswith("a table row is split over pages") for f in faults)
    assert any("runs past the margin" in f for f in faults)


def test_the_pdf_holds_every_section_dossier_disagreement_and_source(printed):
    root, reader, texts, _ = printed
    analysis = inspect(root).analysis
    everything = " ".join(" ".join(t.split()) for t in texts)
    for heading in [*SECTIONS, "Key points", "Facts at a glance", "Relations", "Claims"]:
        assert heading.lower() in everything.lower(), heading
    for d in analysis.project.dossiers:
        assert d.name in everything, d.id
    for d in analysis.disagreements:
        assert f"{d.dossier.name}: {d.property.label}" in everything
    appendix = squash(texts[-1])
    for s in analysis.project.sources:
        outlet = analysis.dossiers[s.outlet].name
        for field in (outlet, s.title, ENGLISH.date(s.published), *s.authors, s.url):
            assert squash(field) in appendix, (s.id, field)
        marked = squash(s.title + "(title supplied by the editors)") in appendix
        assert marked == s.title_by_editors, s.id  # only the editors' own headline is marked


def test_the_cover_has_title_date_handling_line_and_counts(printed):
    _, _, texts, _ = printed
    cover = " ".join(texts[0].split())
    for expected in (
        "Dock strike at the port of Velmora",
        "6 March 2021",
        "For the recipient only",
        "Sources 3",
        "People 3",
        "Organisations 6",
        "Events 2",
        "Claims 16",
        "Disagreements 2 (1 open)",
    ):
        assert expected in cover


def test_the_contents_give_the_pages_the_sections_start_on(printed):
    _, reader, texts, _ = printed
    sections = flat(outline(reader))
    listed = contents(texts, range(sections["Contents"], sections["Summary and key points"]))
    assert set(listed) == set(sections) - {"Contents"}
    assert listed == {title: sections[title] for title in listed}
    for title, page in sections.items():
        assert title in " ".join(texts[page - 1].split()), f"{title} is not on page {page}"
    # The contents are links: each goes to the page its entry names.
    # (Each entry's line is several link areas: the title, the leader, the number.)
    names = {a.get_object()["/Dest"] for a in reader.pages[1]["/Annots"] if a.get_object().get("/Dest")}
    targets = {name: reader.get_destination_page_number(reader.named_destinations[name]) + 1 for name in names}
    assert sorted(targets.values()) == sorted(listed.values())


def test_the_outline_lists_the_sections_then_each_disagreement_and_dossier(printed):
    root, reader, _, _ = printed
    analysis = inspect(root).analysis
    tree = outline(reader)
    assert [title for title, _, _ in tree] == SECTIONS
    children = {title: [c[0] for c in kids] for title, _, kids in tree}
    assert children["Disagreements"] == ["Ana Ruiz: Age", "Velmora dock strike: Deaths"]
    assert children["People"] == ["Ana Ruiz", "Li Chen", "Tomas Berg"]
    assert children["Events"] == ["Collapse of the harbour talks", "Velmora dock strike"]
    assert len(children["Organisations"]) == sum(d.section == "organisations" for d in analysis.project.dossiers)


def test_every_page_has_the_running_header_and_page_x_of_y(printed):
    _, reader, texts, _ = printed
    total = len(texts)
    for number, text in enumerate(texts, 1):
        assert f"page {number} of {total}" in text
        if number > 1:
            assert "Dock strike at the port of Velmora" in text


def test_pages_are_a4_and_fonts_embedded(printed):
    _, reader, _, _ = printed
    fonts = set()
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert any("DejaVu" in f for f in fonts), fonts


def test_each_face_is_embedded_once_and_the_same_pieces_make_the_same_pdf(printed, monkeypatch, tmp_path):
    root, _, _, result = printed
    programs = {}
    with pikepdf.open(io.BytesIO(result.pdf)) as joined:
        for obj in joined.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                programs.setdefault(str(obj.FontName).partition("+")[2], set()).add(obj.FontFile2.objgen)
    assert len(programs) >= 3 and all(len(found) == 1 for found in programs.values()), programs
    analysis = inspect(root).analysis
    assert pdf.render_pdf(analysis, pdf.briefing_of(analysis), inspect=True).pdf == result.pdf
    # each piece keeping its own subsets draws the very same pages
    monkeypatch.setattr(pdffonts, "share", lambda joined: None)
    apart = pdf.render_pdf(analysis, pdf.briefing_of(analysis), inspect=True).pdf
    assert len(result.pdf) < len(apart)
    assert pages_drawn(result.pdf, tmp_path / "shared") == pages_drawn(apart, tmp_path / "apart")


def test_fonts_with_glyph_data_the_union_does_not_copy_keep_their_own_subsets(printed):
    _, _, _, result = printed
    with pikepdf.open(io.BytesIO(result.pdf)) as joined:
        program = next(
            bytes(obj.FontFile2.read_bytes())
            for obj in joined.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
        )
    assert pdffonts._union([program, program]) is not None
    font = TTFont(io.BytesIO(program))
    font["VORG"] = vertical = newTable("VORG")  # vertical origins, one for each glyph that has its own
    vertical.majorVersion, vertical.minorVersion, vertical.defaultVertOriginY, vertical.VOriginRecords = 1, 0, 900, {}
    written = io.BytesIO()
    font.save(written)
    assert pdffonts._union([program, written.getvalue()]) is None


def pages_drawn(data: bytes, folder: Path) -> list[bytes]:
    """The PDF's pages as poppler draws them, as PNGs."""
    if shutil.which("pdftoppm") is None:
        missing_tool("pdftoppm is not installed: apt-get install poppler-utils")
    folder.mkdir()
    (folder / "b.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(folder / "b.pdf"), str(folder / "page")], check=True)
    return [page.read_bytes() for page in sorted(folder.glob("page*.png"))]


def test_citations_are_numbered_notes_on_the_page_of_their_claim(printed):
    root, reader, texts, _ = printed
    analysis = inspect(root).analysis
    first = flat(outline(reader))["People"]
    pages = [squash(t) for t in texts]
    checked = 0
    for d in analysis.project.dossiers:
        for claim in d.claims:
            prop = analysis.project.properties[claim.property]
            if prop.type == "entity":
                continue  # its value reads like a relation; the head is not unique on the page
            head = squash(f"{prop.label}: {ENGLISH.value(claim.value)}")
            page = next(i for i in range(first - 1, len(pages)) if head in pages[i])
            for citation in claim.citations:
                assert squash(citation.quote) in pages[page], f"the note for {claim.ref} is not on page {page + 1}"
                checked += 1
    assert checked >= 8
    assert re.search(r"^1\. “Ana Ruiz, the 46-year-old", texts[first - 1], re.M)


def test_markup_in_fields_is_text_and_links_stay_in_the_document(printed):
    root, reader, texts, _ = printed
    assert "Spoken at the gates, <b>not</b> a written statement." in " ".join(" ".join(t.split()) for t in texts)
    analysis = inspect(root).analysis
    html = "".join(pdf.html(analysis, pdf.briefing_of(analysis)).values())
    assert "<b>not</b>" not in html
    # [[links]] in Markdown fields point into the document, at ids that exist
    hrefs = set(re.findall(r'class="cb-xref" href="#([^"]+)"|href="#([^"]+)" class="cb-xref"', html))
    ids = set(re.findall(r' id="([^"]+)"', html))
    targets = {a or b for a, b in hrefs}
    assert targets and targets <= ids
    assert "cb-ana-ruiz--claim-statement-strike" in targets


def test_the_command_writes_the_pdf_and_prints_its_timings(project, cli):
    root = project("minimal")
    run = cli("pdf", "-C", root, "--timings")
    assert run.status == 0, run.err
    target = root / "build" / "resignation.pdf"
    assert run.out == f"{target}: {len(PdfReader(target).pages)} pages\n"
    assert re.fullmatch(
        r"timings: check [\d.]+ s, html [\d.]+ s, layout [\d.]+ s, pdf [\d.]+ s; total [\d.]+ s for \d+ pages, \d+ pieces laid out\n",
        run.err,
    ), run.err
    # as the other commands take it, a project folder in place of BRIEFING is the root
    again = cli("pdf", root, "-o", root / "again.pdf")
    assert again.status == 0, again.err
    assert (root / "again.pdf").read_bytes().startswith(b"%PDF-")


def test_letter_pages_an_output_file_and_a_briefing_by_id(project, cli, tmp_path):
    root = project("minimal")
    target = tmp_path / "out" / "brief.pdf"
    run = cli("pdf", "resignation", "-C", root, "--letter", "-o", target)
    assert run.status == 0, run.err
    page = PdfReader(target).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    assert [p.name for p in target.parent.iterdir()] == ["brief.pdf"]  # written whole, nothing left beside it


def test_an_unknown_briefing_is_a_usage_error(project, cli):
    run = cli("pdf", "no-such-briefing", "-C", project("minimal"))
    assert run.status == 2
    assert "no briefing 'no-such-briefing'; the project has: resignation" in run.err


def test_a_project_with_errors_prints_no_pdf(project, cli):
    root = project("minimal")
    (root / "briefings/people/jane-roe.yaml").write_text("name: Jane Roe\nclaims: [{id: x}]\n")
    run = cli("pdf", "-C", root)
    assert run.status == 1
    assert "error[" in run.err
    assert not (root / "build").exists()


class Listener:
    """A TCP port on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stop.is_set():
            try:
                connection, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self):
        time.sleep(0.2)
        self.stop.set()
        self.thread.join()
        self.server.close()


@pytest.fixture
def listener():
    found = Listener()
    yield found
    found.close()


def test_the_fetcher_serves_project_files_and_refuses_everything_else(tmp_path, listener):
    root = tmp_path / "project"
    (root / "templates").mkdir(parents=True)
    (root / "templates/logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (root / ".git").mkdir()
    (root / ".git/config").write_text("secret")
    (root / "templates/escape.txt").symlink_to("/etc/hostname")
    fetcher = pdf.ProjectFetcher([root])
    assert fetcher.fetch((root / "templates/logo.svg").as_uri()).read().startswith(b"<svg")
    refused = [
        "file:///etc/hostname",
        f"http://127.0.0.1:{listener.port}/logo.png",
        f"https://127.0.0.1:{listener.port}/x.css",
        (root / "templates/escape.txt").as_uri(),
        (root / ".git/config").as_uri(),
        (root / "templates").as_uri(),
        (root / "templates/../../outside.css").as_uri(),
        "file://example.org/etc/hostname",
        "data:text/css,p{}",
        f"ftp://127.0.0.1:{listener.port}/x",
    ]
    for url in refused:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    listener.close()
    assert listener.connections == 0


def test_a_template_asking_for_other_files_or_the_network_is_refused_and_reported(project, cli, listener):
    root = project("minimal")
    (root / "templates/print").mkdir(parents=True)
    (root / "templates/print/seal.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' height='10'/></svg>"
    )
    cover = (REPO / "crossbrief/templates/print/_cover.html.j2").read_text()
    (root / "templates/print/_cover.html.j2").write_text(
        f'<img src="templates/print/seal.svg"><img src="file:///etc/hostname">'
        f'<img src="http://127.0.0.1:{listener.port}/tracker.png">'
        f'<link rel="stylesheet" href="https://127.0.0.1:{listener.port}/font.css">\n' + cover
    )
    (root / "templates/print/print.css").write_text(
        f'@import url("http://127.0.0.1:{listener.port}/more.css");\n'
        f'@font-face {{ font-family: X; src: url("http://127.0.0.1:{listener.port}/x.woff2"); }}\n'
        + (REPO / "crossbrief/templates/print/print.css").read_text()
    )
    run = cli("pdf", "-C", root)
    assert run.status == 0, run.err
    for url in (
        "file:///etc/hostname",
        f"http://127.0.0.1:{listener.port}/tracker.png",
        f"https://127.0.0.1:{listener.port}/font.css",
        f"http://127.0.0.1:{listener.port}/more.css",
        f"http://127.0.0.1:{listener.port}/x.woff2",
    ):
        assert f"templates/print: warning[W304]: refused to fetch {url}\n" in run.err
    assert "seal.svg" not in run.err
    assert (root / "build/resignation.pdf").exists()
    strict = cli("pdf", "-C", root, "--strict", "-o", root / "strict.pdf")
    assert strict.status == 1
    assert not (root / "strict.pdf").exists()
    listener.close()
    assert listener.connections == 0


def test_a_strict_build_whose_pdf_was_refused_a_file_keeps_the_old_site(project, cli):
    """MkDocs builds the new site while the PDF is laid out; when the PDF's warnings fail the build,
    that site is thrown away, not put in place."""
    root = project("minimal")
    assert cli("build", root).status == 0
    before = {p.relative_to(root): p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}
    (root / "templates/print").mkdir(parents=True)
    cover = (REPO / "crossbrief/templates/print/_cover.html.j2").read_text()
    (root / "templates/print/_cover.html.j2").write_text('<img src="file:///etc/hostname">\n' + cover)
    summary = root / "briefings/resignation.yaml"
    summary.write_text(summary.read_text().replace("has resigned.", "has resigned, a new site would say."))
    run = cli("build", "--strict", root)
    assert run.status == 1 and "warning[W304]: refused to fetch file:///etc/hostname" in run.err
    assert {p.relative_to(root): p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()} == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site.")] == []


def test_build_puts_the_pdf_in_the_site_and_the_home_page_links_to_it(project, cli, tmp_path):
    root = project("pdf")
    run = cli("build", root)
    assert run.status == 0, run.err
    printed = root / "site/velmora-dock-strike.pdf"
    assert printed.read_bytes().startswith(b"%PDF-")
    assert "Velmora dock strike: Deaths" in " ".join(PdfReader(printed).pages[1].extract_text().split())
    assert (
        '<a class="cb-pdf" href="velmora-dock-strike.pdf">Print briefing (PDF)</a>'
        in (root / "site/index.html").read_text()
    )
    config = load_config(
        str(site.config_file(root)), docs_dir=str(root / "docs"), site_dir=str(tmp_path / "strict"), strict=True
    )
    mkdocs_build(config)  # the generated pages, the link to the PDF included, raise no warning


def test_build_no_pdf_and_generate_neither_print_nor_link_it(project, cli):
    root = project("pdf")
    run = cli("build", "--no-pdf", root)
    assert run.status == 0, run.err
    assert not list((root / "site").glob("*.pdf"))
    assert "cb-pdf" not in (root / "site/index.html").read_text()
    assert cli("generate", root).status == 0  # MkDocs alone (serve, the hook) makes no PDF: no link to one
    assert "cb-pdf" not in (root / "docs/index.md").read_text()


def test_the_seed_briefing_prints_whole(tmp_path):
    outcome = inspect(REPO)
    if outcome.failed(False) or not outcome.analysis.project.briefings:
        pytest.skip("the seed briefing does not check clean right now")
    analysis = outcome.analysis
    printed = pdf.render_pdf(analysis, pdf.briefing_of(analysis), inspect=True)
    assert not printed.problems
    (tmp_path / "seed.pdf").write_bytes(printed.pdf)
    reader = PdfReader(tmp_path / "seed.pdf")
    texts = [page.extract_text() for page in reader.pages]
    everything = " ".join(" ".join(t.split()) for t in texts)
    for d in analysis.project.dossiers:
        assert d.name in everything, d.id
    for d in analysis.disagreements:
        assert f"{d.dossier.name}: {d.property.label}" in everything
    for s in analysis.project.sources:
        assert squash(s.title) in squash(everything), s.id
    editors = [s for s in analysis.project.sources if s.title_by_editors]
    assert everything.count("(title supplied by the editors)") == len(editors) == 1  # Channel 4's headline
    sections = flat(outline(reader))
    listed = contents(texts, range(sections["Contents"], sections["Summary and key points"]))
    assert listed == {title: sections[title] for title in listed}
    assert set(listed) == set(sections) - {"Contents"}
    assert layout_faults(printed.documents) == []


def test_a_print_template_that_fails_is_reported_at_its_line_and_no_pdf_or_site_is_made(project, cli, tmp_path):
    root = project("minimal")
    assert cli("build", root).status == 0
    before = {p.relative_to(root): p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}
    (root / "templates/print").mkdir(parents=True)
    cover = (REPO / "crossbrief/templates/print/_cover.html.j2").read_text()
    (root / "templates/print/_cover.html.j2").write_text(cover + "{{ b.no_such_field.text }}\n")
    where = f"templates/print/_cover.html.j2:{cover.count(chr(10)) + 1}:1: error[E213]: template error: "
    run = cli("pdf", "-C", root, "-o", tmp_path / "out.pdf")
    assert run.status == 1 and where in run.err and "Traceback" not in run.err, run.err
    assert not (tmp_path / "out.pdf").exists()
    run = cli("build", root)
    assert run.status == 1 and where in run.err, run.err
    assert {p.relative_to(root): p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()} == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site.")] == []


def crowded(project) -> Path:
    """The pdf fixture with 60 more people, each citing a source and with two ages: the people, and the
    disagreements on their ages, are laid out in several pieces."""
    root = project("pdf")
    for i in range(60):
        (root / f"briefings/people/extra-{i:02}.yaml").write_text(
            f"name: Extra Person {i:02}\nsummary: >-\n  "
            + "A person of the dock strike, seen at the gates. " * (3 + i % 7)
            + "\nclaims:\n  - id: spokesperson\n    property: spokesperson-for\n    value: harbour-authority\n"
            "    sources:\n      - source: radio-velmora-2021-03-03\n        quote: Harbour authority spokesperson Li Chen\n"
            "  - id: age-46\n    property: age\n    value: 46\n    sources:\n      - source: coast-times-2021-03-03\n"
            "        quote: the 46-year-old leader of the Dockers' Union\n"
            "  - id: age-fifties\n    property: age\n    value: {min: 50, max: 54}\n    sources:\n"
            "      - source: radio-velmora-2021-03-03\n        quote: in her early fifties\n"
        )
    return root


def printed_pages(result) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(result.pdf))
    return reader, [page.extract_text() for page in reader.pages]


def test_the_joined_pieces_give_the_contents_the_pages_each_entry_really_starts_on(project):
    root = crowded(project)
    analysis = inspect(root).analysis
    pieces = pdf.html(analysis, pdf.briefing_of(analysis))
    assert len([p for p in pieces if p.section == "people"]) > 2  # the people are in several pieces
    assert len([p for p in pieces if p.kind == "disagreements"]) > 1  # and so are the disagreements
    result = pdf.render_pdf(analysis, pdf.briefing_of(analysis))
    reader, texts = printed_pages(result)
    sections = flat(outline(reader))
    listed = contents(texts, range(sections["Contents"], sections["Summary and key points"]))
    assert (
        len(listed)
        == len(sections) - 1
        == len(SECTIONS) - 1 + len(analysis.project.dossiers) + len(analysis.disagreements)
    )
    for title, page in listed.items():
        assert squash(title) in squash(texts[page - 1]), f"{title} is not on page {page}"
        assert sections[title] == page, title
    # the dossiers of a piece after the first are under their section in the outline
    assert [title for title, _, _ in outline(reader)] == SECTIONS
    assert {f"Extra Person {i:02}" for i in range(60)} <= {t for t, _, _ in outline(reader)[3][2]}
    assert len(outline(reader)[2][2]) == len(analysis.disagreements) > 60
    # every link points at an id of the document, whichever piece it is in; every page has its footer
    names = reader.named_destinations
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots", ())]
    assert links and all(a["/Dest"] in names for a in links if "/Dest" in a)
    assert not [a for a in links if "/A" in a and str(a["/A"].get("/URI", "")).startswith("crossbrief")]
    across = next(a["/Dest"] for a in links if a.get("/Dest") == "cb-li-chen")  # from the extra people's claims
    assert reader.get_destination_page_number(names[across]) + 1 == listed["Li Chen"]
    for number, text in enumerate(texts, 1):
        assert f"page {number} of {len(texts)}" in text
    # the notes are numbered through the whole briefing, across the pieces
    notes = [
        int(n)
        for text in texts[sections["People"] - 1 : sections["Events"] - 1]
        for n in re.findall(r"^(\d+)\. “", text, re.M)
    ]
    assert notes == list(range(notes[0], notes[0] + len(notes))) and len(notes) > 60


def test_a_rebuild_lays_out_only_the_piece_an_edit_changed(project):
    root = crowded(project)
    analysis = inspect(root).analysis
    first = pdf.render_pdf(analysis, pdf.briefing_of(analysis))
    assert first.laid_out > 5
    again = pdf.render_pdf(inspect(root).analysis, pdf.briefing_of(analysis))
    assert (again.laid_out, again.pdf, again.pages) == (0, first.pdf, first.pages)
    edited = root / "briefings/people/extra-30.yaml"
    edited.write_text(edited.read_text().replace("A person of", "A docker of", 1))
    analysis = inspect(root).analysis
    rebuilt = pdf.render_pdf(analysis, pdf.briefing_of(analysis))
    assert rebuilt.laid_out == 1
    fresh = pdf.render_pdf(analysis, pdf.briefing_of(analysis), inspect=True)
    assert printed_pages(rebuilt)[1] == printed_pages(fresh)[1]
    assert "A docker of the dock strike" in " ".join(" ".join(t.split()) for t in printed_pages(rebuilt)[1])


def test_a_150000_character_word_wraps_within_the_page(project):
    root = project("pdf")
    blob = "".join(chr(ord("a") + i % 26) for i in range(150_000))
    dossier = root / "briefings/people/li-chen.yaml"
    dossier.write_text(f"summary: {blob}\n" + dossier.read_text())
    analysis = inspect(root).analysis
    result = pdf.render_pdf(analysis, pdf.briefing_of(analysis), inspect=True)
    assert layout_faults(result.documents) == []
    # all of it is laid out, line after line (with a break opportunity every so often), the notes aside
    laid = "".join(
        box.text
        for document in result.documents
        for page in document.pages
        for box, chain in _boxes(page._page_box, ())
        if isinstance(box, boxes.TextBox) and not any("fn" in classes.split() for _, classes, _ in chain)
    )
    assert blob in laid.replace("\u200b", "")
