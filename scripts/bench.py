#!/usr/bin/env python3
"""Benchmark crossbrief at several scales and print a table of times and memory.

    python scripts/bench.py [--scales S M L] [--seed 1] [--no-mkdocs] [--repeat 3] [--dir DIR]
    python scripts/bench.py --pdf [--scales S M] [--repeat 1]
    python scripts/bench.py --coverage [--scales S M] [--repeat 5]

Each scale runs in a fresh process on a synthetic project (scripts/synth.py):
the time and peak memory (the most resident memory so far of the process and
of the renderer it forks) after each stage, then two ratios: our stages from load to write against parsing
the same YAML with libyaml alone (the floor), and the whole `crossbrief
build` against a bare `mkdocs build` of the same generated pages. Last, an
incremental rebuild in a fresh process after one dossier is edited (with the
cache of parsed files the first build left). Speed is measured here,
never in timed tests.

With --pdf, the print briefing alone (`crossbrief pdf`), each run in a fresh
process: cold (an empty cache), the time per page, again with nothing changed,
again after one dossier is edited and after a claim is added to it, at each scale and for the seed project
(this checkout), with the machine's core count and load.

With --coverage, what `crossbrief coverage` adds to `crossbrief check`: the processor time of check's
work, then of coverage on the analysis check made, each in a fresh process with a warm cache of parsed
files, medians of the runs, at each scale and for the seed.

The projects, their pages and the caches go in a temporary folder under DIR
(default: the system's). Writing thousands of files is the disk's work more
than crossbrief's: on a slow or busy disk, compare with a run in memory
(`--dir /dev/shm`) to tell the two apart.
"""

from __future__ import annotations

import argparse
import compileall
import copy
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def _peak_mb() -> float:
    """The process's peak resident set plus its children's (the renderer fork.py forks; counted in both, the
    memory they share makes this an upper bound)."""
    return (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    ) / 1024


class Stages:
    """Records each stage of crossbrief's own build(): its time and the peak memory so far."""

    def __init__(self):
        self.timings: dict[str, tuple[float, float]] = {}

    @contextmanager
    def stage(self, name: str, detail: str = ""):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = (time.perf_counter() - start, _peak_mb())


def stages(root: Path) -> tuple[dict, int]:
    """Run build() up to writing the pages (load, analyse, check and plan, render and write), timing each stage."""
    from crossbrief.build import build

    recorder = Stages()
    outcome = build(root, with_site=False, progress=recorder)
    assert not outcome.failed(strict=False), outcome.problems[:3]
    return recorder.timings, len(outcome.written)


def coverage_cost(root: Path) -> list[float]:
    """Processor seconds of `crossbrief check`'s work (load, analyse, check) and then of coverage on the analysis
    it made (what `crossbrief coverage` adds), each in the collector's pause the commands run them in."""
    # imported (and their patterns compiled) before either clock starts, as check's modules are
    import crossbrief.analyse.coverage  # noqa: F401
    from crossbrief.build import inspect
    from crossbrief.infra import gcpause

    start = time.process_time()
    outcome = inspect(root)
    checked = time.process_time()
    with gcpause.paused():
        listed = len(outcome.analysis.coverage.uncovered)
    return [checked - start, time.process_time() - checked, listed]


def coverage_scale(scale: str, seed: int, repeat: int, where: str | None) -> dict:
    """`crossbrief check` and what coverage adds to it, at one scale ("seed": this checkout's project), each
    run in a fresh process with the cache of parsed files the first (unmeasured) run left: medians of `repeat`."""
    import statistics

    import synth

    tmp = Path(tempfile.mkdtemp(dir=where))
    root = HERE.parent if scale == "seed" else tmp / scale
    if scale != "seed":
        synth.generate(root, scale, seed)
    env = {**os.environ, "CROSSBRIEF_CACHE_DIR": str(tmp / "cache")}
    runs = []
    for run in range(repeat + 1):
        proc = subprocess.run(
            [sys.executable, __file__, "--coverage-of", str(root)], check=True, capture_output=True, text=True, env=env
        )
        if run:
            runs.append(json.loads(proc.stdout.splitlines()[-1]))
    check, cover = (statistics.median(r[i] for r in runs) for i in (0, 1))
    return {"scale": scale, "check": check, "coverage": cover}


def coverage_table(results: list[dict]) -> str:
    lines = ["| scale | check s | coverage s | coverage / check |", "|---|---|---|---|"]
    for r in results:
        lines.append(
            f"| {r['scale']} | {r['check']:.3f} | {r['coverage']:.3f} | {100 * r['coverage'] / r['check']:.1f}% |"
        )
    return "\n".join(lines)


def libyaml_floor(root: Path) -> float:
    """Seconds to parse every YAML file and front matter with libyaml, nothing else."""
    import yaml

    start = time.perf_counter()
    for path in sorted((root / "briefings").rglob("*.yaml")):
        yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)
    for path in sorted((root / "sources").glob("*.md")):
        yaml.load(path.read_text("utf-8").split("\n---\n", 1)[0].removeprefix("---\n"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


# A bare MkDocs build of the generated pages, with the configuration crossbrief uses and no hook.
BARE_MKDOCS = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config(sys.argv[1], docs_dir=sys.argv[2], site_dir=sys.argv[3]))
"""


# Runs a command and prints its time and peak memory (its own and its children's), measured from here so
# that this wrapper's start is not counted.
MEASURED = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def _run(*cmd: str, env: dict | None = None) -> tuple[float, float]:
    """Seconds and peak MB of a command run in a fresh process."""
    os.sync()
    proc = subprocess.run([sys.executable, "-c", MEASURED, *cmd], env=env, check=True, capture_output=True, text=True)
    seconds, peak = proc.stdout.split()
    return float(seconds), float(peak)


def _fresh(root: Path, cache: str) -> tuple[dict, int]:
    """The stages in a fresh process, as `crossbrief build` runs them, with a given cache folder; the disk
    first writes back what earlier runs left in memory, so that their writes do not slow this one's."""
    os.sync()
    proc = subprocess.run(
        [sys.executable, __file__, "--stages", str(root)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "CROSSBRIEF_CACHE_DIR": cache},
    )
    return json.loads(proc.stdout.splitlines()[-1])


def _set_aside(folder: Path, trash: Path) -> None:
    """Move a folder out of the way instead of deleting it (the trash goes with the temporary folder at the end).

    ext4 steps over the inodes freed in the last minutes one by one when it
    allocates new ones (`perf`: `recently_deleted`; a minute, six while the
    inode table is not yet written back): creating thousands of files soon
    after deleting thousands costs seconds of kernel time, which the next run
    would be charged for. A build into a fresh folder, as here, meets none of
    that; for the same reason no scale's files are deleted before the last
    scale is measured (see `main`).
    """
    if folder.exists():
        trash.mkdir(exist_ok=True)
        folder.rename(trash / f"{len(list(trash.iterdir()))}-{folder.name}")


def _total(run: tuple[dict, int]) -> float:
    return sum(v[0] for v in run[0].values())


def one_scale(scale: str, seed: int, with_mkdocs: bool, repeat: int, where: str | None) -> dict:
    """Measure one scale; of `repeat` runs of each measurement, the fastest is kept (timeit's rule: the
    others were slowed by something else on the machine)."""
    import synth

    from crossbrief import site

    tmp = tempfile.mkdtemp(dir=where)  # left for main() to delete once every scale is measured
    root = Path(tmp) / scale
    counts = synth.generate(root, scale, seed)
    trash = Path(tmp) / "trash"
    floors, cold = [], []
    for _ in range(repeat):  # from scratch: no pages, an empty cache
        # the floor alternately with the build, so that both meet the machine in the same moods
        floors.append(libyaml_floor(root))
        _set_aside(site.docs_dir(root), trash)
        with tempfile.TemporaryDirectory(dir=where) as cache:
            cold.append(_fresh(root, cache))
    timings, written = min(cold, key=_total)
    out = {"scale": scale, "counts": counts, "floor": min(floors), "stages": timings, "pages": written}
    # incremental: one dossier edited after a build of the project as it was, then a rebuild
    edited = sorted((root / "briefings" / "people").glob("*.yaml"))[0]
    original = edited.read_text()
    rebuilds = []
    with tempfile.TemporaryDirectory(dir=where) as cache:
        for _ in range(repeat):
            edited.write_text(original)
            _fresh(root, cache)
            edited.write_text(original.replace("name: ", "name: Dr ", 1))
            rebuilds.append(_fresh(root, cache))
    again, rewritten = min(rebuilds, key=_total)
    out["incremental"] = {
        "seconds": _total((again, rewritten)),
        "rewritten": rewritten,
        "stages": {k: v[0] for k, v in again.items()},
    }
    if with_mkdocs:
        config = str(site.config_file(root))
        crossbrief = [sys.executable, "-m", "crossbrief.cli"]
        bare, whole = [], []
        for run in range(repeat):  # alternately, so that both meet the machine in the same moods
            bare.append(
                _run(
                    sys.executable, "-c", BARE_MKDOCS, config, str(site.docs_dir(root)), str(Path(tmp) / f"bare-{run}")
                )
            )
            # the site alone, to compare with MkDocs alone, from scratch: no pages, no site and an empty cache
            _set_aside(site.docs_dir(root), trash)
            _set_aside(site.site_dir(root), trash)
            with tempfile.TemporaryDirectory(dir=where) as cache:
                whole.append(
                    _run(*crossbrief, "build", "--no-pdf", str(root), env={**os.environ, "CROSSBRIEF_CACHE_DIR": cache})
                )
        out["mkdocs"], out["build"] = min(bare), min(whole)
        if scale == "S":  # the PDF on its own, at S only: WeasyPrint takes minutes for M and L
            out["pdf"] = min(
                _run(*crossbrief, "pdf", "-C", str(root), "-o", str(Path(tmp) / "b.pdf")) for _ in range(repeat)
            )
    return out


def _pdf_work(root: Path, cache: str, out: Path) -> tuple[float, int, int, float]:
    """`crossbrief pdf` in a fresh process with the cache folder `cache`: the seconds of PDF work (the HTML,
    the layout of the pieces not in the cache and the join, as --timings tells them), the pages, how
    many pieces were laid out, and the processor time of the whole run on all cores (which a busy machine
    changes less than the time it takes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, "-m", "crossbrief.cli", "pdf", "-C", str(root), "-o", str(out), "--timings"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "CROSSBRIEF_CACHE_DIR": cache},
    )
    line = proc.stderr.strip().splitlines()[-1]
    steps = dict((name, float(seconds)) for name, seconds in re.findall(r"(\w+) ([\d.]+) s", line.split(";")[0]))
    laid = int(re.search(r"(\d+) pieces laid out", line)[1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return sum(v for k, v in steps.items() if k != "check"), int(re.search(r"for (\d+) pages", line)[1]), laid, cpu


def pdf_scale(scale: str, seed: int, repeat: int, where: str | None) -> dict:
    """The print briefing at one scale ("seed": this checkout's own project): cold, again with nothing
    changed, again after a dossier's summary is edited, and after a claim is added to it (one note more, so the
    notes after it are renumbered); the fastest of `repeat` runs of each."""
    import synth

    tmp = Path(tempfile.mkdtemp(dir=where))
    if scale == "seed":
        root = HERE.parent
    else:
        root = tmp / scale
        synth.generate(root, scale, seed)
    out = tmp / "b.pdf"
    cold, unchanged, edits, added = [], [], [], []
    edited = sorted((root / "briefings" / "people").glob("*.yaml"))[0]
    original = edited.read_text()
    try:
        for run in range(repeat):
            cache = str(tmp / f"cache-{run}")
            cold.append(_pdf_work(root, cache, out))
            unchanged.append(_pdf_work(root, cache, out))
            # a sentence more in one dossier's summary, or a summary where it had none
            edited.write_text(
                original.replace("summary: ", "summary: Reportedly, ", 1)
                if "summary: " in original
                else original + "summary: Reportedly so.\n"
            )
            edits.append(_pdf_work(root, cache, out))
            edited.write_text(original)
            _pdf_work(root, cache, out)
            edited.write_text(_with_claim_again(original))
            added.append(_pdf_work(root, cache, out))
            edited.write_text(original)
    finally:
        edited.write_text(original)
    (seconds, pages, laid, cpu), again, edit, add = min(cold), min(unchanged), min(edits), min(added)
    return {
        "scale": scale,
        "pages": pages,
        "cold": seconds,
        "pieces": laid,
        "per_page": seconds / pages,
        "cpu": cpu,
        "unchanged": again[0],
        "unchanged_laid": again[2],
        "edit": edit[0],
        "edit_laid": edit[2],
        "added": add[0],
        "added_laid": add[2],
    }


def _with_claim_again(text: str) -> str:
    """A dossier's YAML with its first claim cited once more, under a new id: one note more in the PDF."""
    data = yaml.safe_load(text)
    data["claims"].append({**copy.deepcopy(data["claims"][0]), "id": "bench-again"})
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def pdf_table(results: list[dict]) -> str:
    lines = [
        f"cores: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}; "
        f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "",
        "| scale | pages | cold PDF s (pieces) | ms/page | processor s, cold run | nothing changed s (pieces) | one dossier edited s (pieces) | a claim added s (pieces) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['scale']} | {r['pages']} | {r['cold']:.2f} ({r['pieces']}) | {1000 * r['per_page']:.0f} | {r['cpu']:.1f} | "
            f"{r['unchanged']:.2f} ({r['unchanged_laid']}) | {r['edit']:.2f} ({r['edit_laid']}) | "
            f"{r['added']:.2f} ({r['added_laid']}) |"
        )
    scales = {r["scale"]: r for r in results}
    if "S" in scales and "M" in scales:
        lines.append(f"\ntime per page at M / at S: {scales['M']['per_page'] / scales['S']['per_page']:.2f}")
    return "\n".join(lines)


STAGES = ["load", "analyse", "check", "render"]
"""build()'s stages up to the pages written: check runs the checks and plans the pages (incremental finds
those an edit left as they were), and render renders and writes the others, each page written as soon as it
is rendered."""


def table(results: list[dict]) -> str:
    names = STAGES
    lines = [
        "| scale | sources | dossiers | claims | load | analyse | check+plan | render+write | load→write | peak MB | libyaml | ×floor | mkdocs | build | ×mkdocs | pdf | incr. (pages) | ms/page |",
        "|" + "---|" * (len(names) + 14),
    ]
    for r in results:
        total = sum(v[0] for v in r["stages"].values())
        peak = max(v[1] for v in r["stages"].values())
        lines.append(_row(r, names, total, peak, r["counts"]["sources"] + r["counts"]["dossiers"]))
    return "\n".join(lines)


def memory_table(results: list[dict]) -> str:
    """Peak memory in MB: of the build so far after each of its stages, then of MkDocs, the build and the PDF."""
    names = STAGES
    lines = [
        "| scale | load | analyse | check+plan | render+write | mkdocs | build | pdf |",
        "|" + "---|" * (len(names) + 4),
    ]
    for r in results:
        cells = [
            r["scale"],
            *(f"{r['stages'][n][1]:,.0f}" for n in names),
            *(f"{r[k][1]:,.0f}" if r.get(k) else "–" for k in ("mkdocs", "build", "pdf")),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _row(r: dict, names: list[str], total: float, peak: float, pages: int) -> str:
    st = r["stages"]
    mk, build, pdf = (r[k][0] if r.get(k) else None for k in ("mkdocs", "build", "pdf"))
    cells = [
        r["scale"],
        f"{r['counts']['sources']:,}",
        f"{r['counts']['dossiers']:,}",
        f"{r['counts']['claims']:,}",
        *(f"{st[n][0]:.2f}" for n in names),
        f"{total:.2f}",
        f"{peak:,.0f}",
        f"{r['floor']:.2f}",
        f"{total / r['floor']:.1f}",
        f"{mk:.1f}" if mk else "–",
        f"{build:.1f}" if build else "–",
        f"{build / mk:.2f}" if mk else "–",
        f"{pdf:.1f}" if pdf else "–",
        f"{r['incremental']['seconds']:.2f} ({r['incremental']['rewritten']})",
        f"{1000 * total / pages:.2f}",
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=["S", "M", "L"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-mkdocs", action="store_true", help="skip the MkDocs and whole-build timings")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest is kept")
    parser.add_argument("--dir", help="where the projects and caches go (default: the system's temporary folder)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--stages", help=argparse.SUPPRESS)
    parser.add_argument("--pdf", action="store_true", help="the print briefing alone, at each scale and for the seed")
    parser.add_argument(
        "--coverage", action="store_true", help="what `crossbrief coverage` adds to `crossbrief check`, processor time"
    )
    parser.add_argument("--coverage-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.coverage_of:
        print(json.dumps(coverage_cost(Path(args.coverage_of))))
        return
    if args.coverage:
        with tempfile.TemporaryDirectory(dir=args.dir) as work:
            results = [coverage_scale(scale, args.seed, args.repeat, work) for scale in ["seed", *args.scales]]
        print(coverage_table(results))
        return
    if args.pdf:
        with tempfile.TemporaryDirectory(dir=args.dir) as work:
            results = []
            for scale in ["seed", *args.scales]:
                results.append(pdf_scale(scale, args.seed, args.repeat, work))
                print(f"{scale} done", file=sys.stderr)
        print(pdf_table(results))
        return
    if args.stages:
        print(json.dumps(stages(Path(args.stages))))
        return
    if args.one:
        print(json.dumps(one_scale(args.one, args.seed, not args.no_mkdocs, args.repeat, args.dir)))
        return
    # crossbrief's modules compiled to bytecode once, as pip does when it installs a package: a checkout
    # installed for editing is not, and where PYTHONDONTWRITEBYTECODE is set every run would compile them
    # again (0.15 s of each whole build), which the installed MkDocs it is compared with never does
    compileall.compile_dir(str(HERE.parent / "crossbrief"), quiet=1)
    results = []
    # every scale's files are kept until the last scale is measured: deleting M's tens of thousands of
    # files just before L would charge L's cold builds for the kernel's work of freeing them (see _set_aside)
    with tempfile.TemporaryDirectory(dir=args.dir) as work:
        for scale in args.scales:
            cmd = [
                sys.executable,
                __file__,
                "--one",
                scale,
                "--seed",
                str(args.seed),
                "--repeat",
                str(args.repeat),
                "--dir",
                work,
            ]
            cmd += ["--no-mkdocs"] if args.no_mkdocs else []
            cache = tempfile.mkdtemp(dir=work)  # an empty cache of parsed files: the first build is cold
            env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(HERE.parent), "CROSSBRIEF_CACHE_DIR": cache}
            proc = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
            results.append(json.loads(proc.stdout.splitlines()[-1]))
            print(f"{scale} done", file=sys.stderr)
    print(table(results))
    print("\npeak memory (MB)\n\n" + memory_table(results))
    for r in results:
        parts = ", ".join(f"{k} {v:.2f}" for k, v in r["incremental"]["stages"].items())
        print(f"\nrebuild after one edit at {r['scale']}: {parts}; {r['incremental']['rewritten']} pages rewritten")
    if len(results) >= 2 and results[-2]["scale"] == "M" and results[-1]["scale"] == "L":
        per_page = [
            sum(v[0] for v in r["stages"].values()) / (r["counts"]["sources"] + r["counts"]["dossiers"])
            for r in results[-2:]
        ]
        print(f"\ntime per page grows {per_page[1] / per_page[0]:.2f}x from M to L")


if __name__ == "__main__":
    main()
