"""The pipeline: load -> analyse -> check -> plan -> render and write, then MkDocs.

Check runs on the analysed project because most checks are about
cross-references (a quote in its source, a link to a claim), which analysis
resolves once for the checks, the pages, the PDF, export and diff alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crossbrief import site
from crossbrief.analyse import Analysis, analyse
from crossbrief.check import check
from crossbrief.infra import fork, gcpause
from crossbrief.infra.progress import QUIET, Progress
from crossbrief.infra.write import NotGenerated, write_tree
from crossbrief.load import load
from crossbrief.model.problems import Location, Problem, is_failure
from crossbrief.review import provenance
from crossbrief.site import incremental, render


@dataclass(frozen=True)
class Outcome:
    """What a run found and did."""

    problems: tuple[Problem, ...]
    """Every problem, sorted."""
    files: int
    """How many project files were read."""
    analysis: Analysis | None = None
    """The analysed project, when it was analysed."""
    written: tuple[str, ...] = field(default=())
    """Generated pages whose content changed."""
    kept: tuple[str, ...] = field(default=())
    """Pages not rendered again: nothing they show changed since the last build (see incremental)."""
    site: Path | None = None
    """The built site, if one was built."""

    def failed(self, strict: bool) -> bool:
        """Whether the run failed: errors, or warnings too under --strict."""
        return is_failure(self.problems, strict)


def inspect(root: Path, strict: bool = False, progress: Progress = QUIET) -> Outcome:
    """Load, analyse and check a project."""
    with gcpause.paused():
        analysis, problems = _analysed(root, progress)
        with progress.stage("check"):
            problems = _checked(root, analysis, problems, strict)
    return Outcome(problems, analysis.project.files, analysis)


def build(
    root: Path,
    strict: bool = False,
    with_site: bool = True,
    progress: Progress = QUIET,
    with_pdf: bool = True,
    directory_urls: bool | None = None,
) -> Outcome:
    """Check the project, generate its pages, and build the site from them, each briefing's PDF included.

    Without the site, the pages are those of a site with the PDF unless `with_pdf` is false, so that
    `crossbrief build` and the MkDocs plugin (which adds the PDF itself) write the same pages.
    `directory_urls`: MkDocs' `use_directory_urls` as the plugin has it; by default read from mkdocs.yml.
    """
    if directory_urls is None:
        directory_urls = site.directory_urls(root)
    with gcpause.paused():
        analysis, problems = _analysed(root, progress)
        with progress.stage("check", "and plan the pages"):
            problems = _checked(root, analysis, problems, strict)
            analysis, plan = _planned(root, analysis, page_options(with_pdf, directory_urls))
        outcome = Outcome(problems, analysis.project.files, analysis)
        if outcome.failed(strict):
            return outcome
        try:
            written, kept, count = generate(root, analysis, plan, with_pdf, directory_urls, progress)
        except NotGenerated as e:
            return _failed(outcome, Problem(Location("mkdocs.yml"), "E212", str(e)))
        except OSError as e:
            return _failed(outcome, unwritable(root, e))
        except Exception as e:  # a project's own template, most likely
            problem = render.template_problem(analysis.project.root, e)
            if problem is None:
                raise
            return _failed(outcome, problem)
    if not with_site:
        return Outcome(outcome.problems, outcome.files, analysis, tuple(written), tuple(sorted(kept)))
    try:
        with progress.stage("site", f"{count} pages" + (" and PDF" if with_pdf else "")):
            staging, printed, refused = _site_and_pdf(root, analysis, with_pdf)
        if refused:
            outcome = Outcome(tuple(sorted({*outcome.problems, *refused})), outcome.files, analysis)
            if outcome.failed(strict):
                site.discard(staging)
                return outcome
        built = site.publish(root, staging, printed)
    except site.SiteError as e:
        return _failed(outcome, Problem(Location("mkdocs.yml"), "E212", str(e)))
    except OSError as e:  # making the staging folder beside the site's
        return _failed(outcome, unwritable(root, e))
    return Outcome(outcome.problems, outcome.files, analysis, tuple(written), tuple(sorted(kept)), built)


def _site_and_pdf(root: Path, analysis: Analysis, with_pdf: bool) -> tuple[Path, dict[str, bytes], tuple[Problem, ...]]:
    """MkDocs' site, not yet in place, and each briefing's PDF with what its templates were refused:
    the two at once, on two cores, as neither needs the other (WeasyPrint takes longer than MkDocs)."""

    def job(name: str) -> tuple[str, object]:
        return name, print_briefings(analysis) if name == "pdf" else site.build_site(
            root, _site_name(analysis), render.feed_title(analysis)
        )

    done = fork.map_jobs(["pdf", "site"] if with_pdf else ["site"], job, weight=fork.MINIMUM)
    printed, refused = done.get("pdf", ({}, ()))
    return done["site"], printed, refused


def generate(
    root: Path,
    analysis: Analysis,
    plan: incremental.Plan,
    pdf: bool,
    directory_urls: bool,
    progress: Progress = QUIET,
) -> tuple[list[str], frozenset[str], int]:
    """Render the pages the `plan` does not keep and write those whose content changed: the pages written,
    the pages kept as they were, and how many pages the docs folder now holds."""
    docs, keep = site.docs_dir(root), plan.keep
    with progress.stage("render", f"each page written once rendered; {len(keep)} unchanged"):
        pages = {
            **render.pages(analysis, pdf, keep, plan.sections, directory_urls),
            **render.assets(str(root)),
        }
        written = write_tree(docs, pages, keep)
        incremental.save(plan, docs)
    return written, keep, len(pages) + len(keep)


def _analysed(root: Path, progress: Progress) -> tuple[Analysis, list[Problem]]:
    with progress.stage("load"):
        project, problems = load(root)
    with progress.stage("analyse", f"{project.files} files"):
        return analyse(project), problems


def _checked(root: Path, analysis: Analysis, problems: list[Problem], strict: bool) -> tuple[Problem, ...]:
    """Every problem, sorted: the loader's, the checks' and the output folders'."""
    return tuple(sorted({*problems, *check(analysis, strict), *_output_problems(root)}))


def page_options(pdf: bool, directory_urls: bool) -> str:
    """What the pages depend on besides the project (the PDF's link, how pages link to each other): when it
    changes, every page is rendered again."""
    return f"pdf={pdf} directory_urls={directory_urls}"


def _planned(root: Path, analysis: Analysis, options: str) -> tuple[Analysis, incremental.Plan]:
    """The analysis with its git history, and which pages an edit left as they were (incremental): all of
    them when the `options` the pages depend on changed."""
    analysis = provenance.attach(analysis)
    return analysis, incremental.plan(analysis, site.docs_dir(root), options)


def print_briefings(analysis: Analysis) -> tuple[dict[str, bytes], tuple[Problem, ...]]:
    """Each briefing's PDF for the site, with what its templates were refused or where they failed
    (WeasyPrint is imported only when a site is built)."""
    from crossbrief import pdf

    return pdf.site_files(analysis)


def _site_name(analysis: Analysis) -> str:
    briefings = analysis.project.briefings
    return briefings[0].title if len(briefings) == 1 else "Briefings"


def output_problem(root: Path, folder: str, what: str) -> Problem | None:
    """E214 if crossbrief may not write into the output `folder`: a symlink, or outside the project."""
    unsafe = site.unsafe_output(root, folder)
    if unsafe is None:
        return None
    blamed, reason = unsafe
    if reason == site.NOT_A_FOLDER:
        return Problem(Location(blamed), "E216", f"{what} '{blamed}' {reason}: nothing can be written there", WRITABLE)
    if reason == site.INSIDE:
        return Problem(
            Location(blamed),
            "E214",
            f"'{blamed}' inside {what} is a symlink: nothing is written there",
            "remove it: crossbrief writes every file there itself, and a symlink may point anywhere",
        )
    where = Location(blamed) if reason == "is a symlink" else Location("mkdocs.yml")
    return Problem(
        where,
        "E214",
        f"{what} '{blamed}' {reason}: nothing is written there",
        "make it a plain folder inside the project (a symlink there may point anywhere)",
    )


WRITABLE = (
    "make it writable, or move away the file in the way (docs_dir and site_dir in mkdocs.yml may name other folders)"
)


def unwritable(root: Path, error: OSError) -> Problem:
    """E216 for an output that could not be written (a read-only folder or file system, a full disk)."""
    root, path = Path(root).resolve(), Path(error.filename or ".").absolute()
    if not path.exists():  # a temporary file or folder that could not be made: the folder refused it
        path = path.parent
    shown = path.relative_to(root).as_posix() if root in path.parents else "." if path == root else str(path)
    return Problem(Location(shown), "E216", f"could not be written: {error.strerror or error}", WRITABLE)


def _output_problems(root: Path) -> list[Problem]:
    """Generated output may never land among the curated files, nor outside the project."""
    problems = [p for key in ("docs_dir", "site_dir") if (p := output_problem(root, site.configured(root, key), key))]
    root = Path(root).resolve()
    for name, path in (("docs_dir", site.docs_dir(root)), ("site_dir", site.site_dir(root))):
        for curated in ("briefings", "sources"):
            if path == root / curated or (root / curated) in path.parents or path == root or path in root.parents:
                shown = path.relative_to(root) if root in path.parents else path
                problems.append(
                    Problem(
                        Location("mkdocs.yml"),
                        "E211",
                        f"{name} '{shown}' would overwrite {curated}/ or the project",
                        "point it at a folder of its own, such as docs or site",
                    )
                )
    return problems


def _failed(outcome: Outcome, problem: Problem) -> Outcome:
    return Outcome(tuple(sorted({*outcome.problems, problem})), outcome.files, outcome.analysis)
