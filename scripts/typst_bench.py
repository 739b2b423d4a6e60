#!/usr/bin/env python3
"""Lay the print briefing out with Typst, side by side with WeasyPrint's `crossbrief pdf` (issue 27).

    pip install typst      # this benchmark's alone: not a dependency of crossbrief
    python scripts/typst_bench.py [ROOT ...] [--scale M] [--no-weasyprint] [--keep DIR]

Each project (default: the seed, this checkout; `--scale` adds a synthetic one
made by scripts/synth.py) is loaded and analysed with crossbrief, written as one
Typst document with the content and structure of the print briefing (a cover
with the counts; contents with page numbers, `#outline()`; the summary and key
points; the disagreements, a table of positions; each section's dossiers with
their facts, relations, statements and claims, each claim's citations a
footnote; the timeline; the sources; a running header and "page X of Y"),
and compiled with the `typst` package in this process. Markdown fields are
printed as plain text, and every piece of project text goes in as a Typst
string literal, so nothing in it is read as markup. Then `crossbrief pdf
--timings` lays the same project out with WeasyPrint, cold (an empty cache
folder), in a fresh process. Printed for each: pages, wall and processor
seconds, and milliseconds a page. A benchmark, not a test: speed is never
checked in the test suite.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf

from crossbrief.analyse import analyse
from crossbrief.load import load
from crossbrief.model import SECTIONS
from crossbrief.site.render import SECTION_TITLES

try:
    import typst
except ImportError:
    sys.exit("typst_bench: needs the typst package, which crossbrief does not depend on: pip install typst")

REPO = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")
LABEL = re.compile(r"[\w.:-]+")

PREAMBLE = """\
#let briefing-title = {title}
#set document(title: briefing-title)
#set text(font: "DejaVu Serif", size: 9.5pt, lang: "en")
#set par(justify: false, leading: 0.55em)
#show heading: set text(font: "DejaVu Sans")
#show heading.where(level: 1): it => {{ pagebreak(weak: true); it }}
#show table.cell: set block(breakable: false)
#set table(stroke: 0.4pt + gray, inset: 4pt)
#set page(
  paper: "{paper}", margin: (x: 20mm, top: 22mm, bottom: 20mm),
  header: context {{
    if counter(page).get().first() > 1 {{
      let starts = query(heading.where(level: 1)).filter(it => it.location().page() == here().page())
      let before = query(selector(heading.where(level: 1)).before(here()))
      let current = if starts.len() > 0 {{ starts.first().body }} else if before.len() > 0 {{ before.last().body }}
      set text(font: "DejaVu Sans", size: 7.5pt, fill: gray)
      [#briefing-title#h(1fr)#current]
    }}
  }},
  footer: context {{
    set text(font: "DejaVu Sans", size: 7.5pt, fill: gray)
    align(center)[page #counter(page).display() of #counter(page).final().first()]
  }},
)
"""


def s(text: object) -> str:
    """Project text as a Typst string literal in markup, ended by `;` so that nothing after it continues it."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'#"{text}";'


def plain(field) -> str:
    """A Markdown field as plain text, its [[links]] as their text, one string literal a paragraph."""
    if field is None:
        return ""
    text = LINK.sub(lambda m: m[2] or m[1], field.text)
    return "\n\n".join(s(" ".join(p.split())) for p in re.split(r"\n\s*\n", text) if p.strip())


def label(ident: str) -> str:
    """A Typst label for an id (as the HTML's cb-… ids), or nothing when the id has characters labels lack."""
    return f" <cb-{ident}>" if LABEL.fullmatch(ident) else ""


def link(ident: str, body: str) -> str:
    return f"#link(<cb-{ident}>)[{body}]" if LABEL.fullmatch(ident) else body


def typst_source(a, briefing, paper: str = "a4") -> str:
    """The print briefing as one Typst document."""
    names = a.dossiers
    by_name = sorted(a.project.dossiers, key=lambda d: (d.name.casefold(), d.id))
    sections = {sec: [d for d in by_name if d.section == sec] for sec in SECTIONS}
    sources = sorted(a.project.sources, key=lambda x: (x.published, x.id))
    number = {x.id: i for i, x in enumerate(sources, 1)}
    props = a.project.properties

    def who(ident: str) -> str:
        return link(ident, s(names[ident].name)) if ident in names else s(ident)

    def prop_label(prop: str) -> str:
        return s(props[prop].label if prop in props else prop)

    def value(claim) -> str:
        if claim.value is None:
            return "_(unreadable value)_"
        p = props.get(claim.property)
        if p and p.type == "entity" and claim.value.text in names:
            return who(claim.value.text)
        return s(claim.value.text)

    def cite(source_id: str) -> str:
        src = a.sources.get(source_id)
        if src is None:
            return s(source_id)
        outlet = names[src.outlet].name if src.outlet in names else src.outlet
        return f"{s(outlet)}, {s(src.published)} {link(src.id, f'S{number[src.id]}')}"

    def quote(c) -> str:
        said = f"; said by {who(c.said_by)}" if c.said_by else ""
        as_of = f", as of {s(c.as_of)}" if c.as_of else ""
        return f"“{s(c.quote)}” — {cite(c.source)}{as_of}{said}"

    out = [PREAMBLE.format(title=s(briefing.title)[1:-1], paper=paper)]
    # the cover
    open_ = sum(d.status == "open" for d in a.disagreements)
    counts = [("Sources", len(a.project.sources))]
    counts += [(SECTION_TITLES[sec], len(sections[sec])) for sec in SECTIONS]
    counts += [("Claims", len(a.claims)), ("Disagreements", f"{len(a.disagreements)} ({open_} open)")]
    out.append(
        '#align(center)[#v(30%)#text(font: "DejaVu Sans", size: 10pt)[Briefing]\n\n'
        f'#text(font: "DejaVu Sans", size: 22pt, weight: "bold")[{s(briefing.title)}]\n\n{s(briefing.date)}\n\n'
        "_For the recipient only. Compiled from open reporting; not for further distribution._\n\n"
        "#table(columns: 2, " + ", ".join(f"[{s(k)}], [{s(v)}]" for k, v in counts) + ")]\n"
    )
    out.append("#pagebreak()\n#outline(title: [Contents], depth: 2)\n")
    # the summary and key points
    out.append(f"= Summary and key points <summary>\n{plain(briefing.summary)}\n")
    if briefing.key_points:
        out.append("*Key points*\n" + "".join(f"\n- {plain(k)}" for k in briefing.key_points) + "\n")
    # the disagreements
    out.append("= Disagreements <disagreements>\n")
    if not a.disagreements:
        out.append("The reports agree on every single-valued fact.\n")
    for d in a.disagreements:
        out.append(f"== {s(d.dossier.name)}: {s(d.property.label)}{label('disagreement--' + d.anchor)}\n")
        out.append(f"_{s(d.status)}_ · {len(d.positions)} positions · see {who(d.dossier.id)}\n\n")
        rows = []
        for pos in d.positions:
            preferred = d.verdict is not None and d.verdict.preferred in {c.id for c in pos.claims}
            quotes = " \\\n".join(quote(c) for claim in pos.claims for c in claim.citations)
            origins = ", ".join(who(o) for o in pos.origins)
            mark = " \\ _preferred_" if preferred else ""
            rows.append(f"[*{value(pos.claims[0])}*{mark}], [{quotes}], [{len(pos.origins)}: {origins}]")
        out.append(
            "#table(columns: (1fr, 3fr, 1.3fr), table.header[*Position*][*Sources*][*Independent origins*],\n"
            + ",\n".join(rows)
            + ")\n"
        )
        if d.verdict and d.verdict.note:
            out.append(f"*Editors’ note* ({s(d.status)})\n\n{plain(d.verdict.note)}\n")
        else:
            out.append("*Editors’ note:* none yet; the disagreement is open.\n")
    # the sections' dossiers
    for sec, members in sections.items():
        if members:
            out.append(f"= {s(SECTION_TITLES[sec])} <{sec}>\n")
        for d in members:
            out.append(dossier(d, a, who, prop_label, value, quote))
    # the timeline
    out.append("= Timeline <timeline>\n")
    rows = [
        f"[{s(e.when.text)}], [{who(e.dossier.id)}"
        + (f": {prop_label(e.claim.property)}]" if e.claim else f" {s(e.dossier.kind)}]")
        for e in a.timeline
    ]
    if rows:
        out.append("#table(columns: (1fr, 4fr), table.header[*When*][*What*],\n" + ",\n".join(rows) + ")\n")
    # the sources
    out.append("= Sources <sources>\n")
    for src in sources:
        outlet = names[src.outlet].name if src.outlet in names else src.outlet
        via = ", ".join(names[v].name if v in names else v for v in src.via)
        authors = ", ".join(src.authors) + " · " if src.authors else ""
        out.append(
            f"#block(breakable: false)[*S{number[src.id]}* {s(outlet)}{f' ({s(via)})' if via else ''}"
            f"{label(src.id)}\\\n_{s(src.title)}_\\\n{s(authors)}{s(src.published)}"
            + (f"\\\n{s(src.url)}" if src.url else "")
            + "]\n"
        )
    return "\n".join(out)


def dossier(d, a, who, prop_label, value, quote) -> str:
    """One dossier: name, kind, aliases, summary, facts, relations, statements, claims with their notes."""
    kind = "Person" if d.section == "people" else SECTION_TITLES[d.section][:-1]
    out = [f"== {s(d.name)}{label(d.id)}\n", f"_{s(kind)}{' · ' + s(d.kind) if d.kind else ''}_\n"]
    if d.aliases:
        out.append(f"\nAlso written: {s(', '.join(d.aliases))}\n")
    out.append(f"\n{plain(d.summary)}\n")
    if d.claims:
        facts: dict[str, list] = {}
        for c in d.claims:
            facts.setdefault(c.property, []).append(c)
        rows = []
        for prop, claims in facts.items():
            dis = a.disagreement(d.id, prop)
            contested = " " + link(f"disagreement--{dis.anchor}", f"_contested, {s(dis.status)}_") if dis else ""
            rows.append(f"[{prop_label(prop)}], [{'; '.join(value(c) for c in claims)}{contested}]")
        out.append("=== Facts at a glance\n#table(columns: (1fr, 3fr),\n" + ",\n".join(rows) + ")\n")
    relations = [f"- {s(r.property.label)}: {who(r.target)}" for r in a.relations_out.get(d.id, ())]
    relations += [f"- {s(r.property.inverse)}: {who(r.subject)}" for r in a.relations_in.get(d.id, ())]
    if relations:
        out.append("=== Relations\n" + "\n".join(relations) + "\n")
    said = a.statements.get(d.id, ())
    if said:
        out.append("=== Statements\n" + "\n".join(f"- {quote(claim.citations[i])}" for claim, i in said) + "\n")
    if d.claims:
        out.append("=== Claims\n")
        for c in d.claims:
            notes = "; ".join(quote(x) for x in c.citations)
            note = f"#footnote[{notes}.]" if c.citations else ""
            out.append(
                f"#block(breakable: false)[{prop_label(c.property)}: *{value(c)}*{note}{label(d.id + '--claim-' + c.id)}"
            )
            if c.text:
                out.append(f"\n\n{plain(c.text)}")
            if c.note:
                out.append(f"\n\n*Editors’ note:* {plain(c.note)}")
            out.append("]\n")
    return "".join(out)


def with_typst(root: Path, keep: Path | None) -> dict:
    """Load, analyse, write the Typst source and compile it: seconds of each, the pages."""
    t0 = time.perf_counter()
    project, _ = load(root)
    a = analyse(project)
    source = typst_source(a, project.briefings[0])
    t1, c1 = time.perf_counter(), time.process_time()
    data = typst.compile(source.encode(), root=str(root))
    t2, c2 = time.perf_counter(), time.process_time()
    if keep:
        (keep / f"{root.name}.typ").write_text(source, "utf-8")
        (keep / f"{root.name}.typst.pdf").write_bytes(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    return dict(pages=pages, prepare=t1 - t0, wall=t2 - t1, cpu=c2 - c1, chars=len(source))


def with_weasyprint(root: Path, keep: Path | None) -> dict:
    """`crossbrief pdf --timings`, cold (an empty cache folder), in a fresh process: wall and processor seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        out = (keep or Path(tmp)) / f"{root.name}.weasyprint.pdf"
        env = dict(os.environ, CROSSBRIEF_CACHE_DIR=str(Path(tmp) / "cache"))
        command = [sys.executable, "-m", "crossbrief", "pdf", "-C", str(root), "-o", str(out), "--timings"]
        before, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        run = subprocess.run(command, env=env, capture_output=True, text=True)
        wall, after = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode:
        sys.exit(f"typst_bench: crossbrief pdf failed:\n{run.stderr}")
    timings = next(line for line in run.stderr.splitlines() if line.startswith("timings:"))
    pages = int(re.search(r"(\d+) pages", timings)[1])
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return dict(pages=pages, wall=wall, cpu=cpu, timings=timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roots", nargs="*", type=Path, help="projects (default: the seed, this checkout)")
    parser.add_argument("--scale", choices=["S", "M", "L"], help="add a synthetic project of this scale")
    parser.add_argument("--no-weasyprint", action="store_true", help="Typst alone (WeasyPrint takes minutes at M)")
    parser.add_argument("--keep", type=Path, help="write the Typst sources and both PDFs into this folder")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    roots = args.roots or ([] if args.scale else [REPO])
    with tempfile.TemporaryDirectory() as tmp:
        if args.scale:
            synthetic = Path(tmp) / f"synth-{args.scale}"
            subprocess.run([sys.executable, str(REPO / "scripts" / "synth.py"), str(synthetic), "--scale", args.scale])
            roots.append(synthetic)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; typst {typst.__version__}")
        for root in roots:
            root = root.resolve()
            t = with_typst(root, args.keep)
            print(f"\n{root}")
            print(
                f"  Typst:      {t['pages']:5} pages  compile {t['wall']:6.2f} s wall, {t['cpu']:6.2f} s processor"
                f"  {1000 * t['wall'] / t['pages']:6.1f} ms/page  (load, analyse and {t['chars']:,} characters of"
                f" source before it: {t['prepare']:.2f} s)"
            )
            if args.no_weasyprint:
                print("  WeasyPrint: skipped (--no-weasyprint)")
                continue
            w = with_weasyprint(root, args.keep)
            print(
                f"  WeasyPrint: {w['pages']:5} pages  cold    {w['wall']:6.2f} s wall, {w['cpu']:6.2f} s processor"
                f"  {1000 * w['wall'] / w['pages']:6.1f} ms/page  (whole `crossbrief pdf`, check included)"
            )
            print(f"              {w['timings']}")


if __name__ == "__main__":
    main()
