"""The loaded project: plain, frozen objects that remember where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from crossbrief.model.problems import Location
from crossbrief.model.values import Value

SECTIONS = ("people", "organisations", "events")
PROPERTY_TYPES = ("text", "place", "entity", "number", "date")


@dataclass(frozen=True)
class Markdown:
    """A Markdown field: its text and where each character of it was written."""

    text: str
    """The Markdown source, possibly with [[id]] links."""
    start: Location = field(repr=False, compare=False)
    """Where its first character was written: inside the quotes, or on a block's first line. (Not the
    YAML node, which holds its whole file's lines: the cache of parsed files would keep those too.)"""
    literal: bool = field(default=False, repr=False, compare=False)
    """Whether each line of `text` is written as a line of the file (a `|` block), so that any of its
    characters can be placed; in other text, a character past the first line is placed at the start."""

    def locate(self, offset: int) -> Location:
        """Where the character at `offset` of the text was written (exact for literal blocks and single lines)."""
        before = self.text[:offset]
        lines = before.count("\n")
        if not lines:
            return self.start.shifted(0, offset)
        if not self.literal:
            return self.start
        return self.start.shifted(lines, self.start.column + len(before) - before.rfind("\n") - 1)


class Placed:
    """A loaded item that remembers where it is written (`location`) and where each of its fields is (`where`).

    The places are kept as one string, a `field line column` line for each
    field written, not as Locations or a dict of them: a project has several
    for each claim, only a problem's report reads one, and each object was
    work for loading from the cache of parsed files (readcache.py).
    """

    def at(self, name: str) -> Location:
        """Where the value of field `name` starts; where the item starts if the field is not written."""
        for place in self.where.split("\n"):
            field, _, rest = place.partition(" ")
            if field == name:
                line, column = rest.split(" ")
                return Location(self.location.path, int(line), int(column))
        return self.location


@dataclass(frozen=True)
class Property:
    """An entry of the property registry."""

    id: str
    """The key claims use in `property:`."""
    label: str
    """How the property reads on a page."""
    type: str
    """One of PROPERTY_TYPES."""
    single: bool
    """Whether a subject has one true value, so that incompatible claims disagree."""
    inverse: str
    """For entity properties, the label on the target's page."""
    same_origin: bool = False
    """For entity properties: a person holding this relation to an organisation (works for it, speaks for
    it) is not an origin of their own but counts once with the organisation."""


@dataclass(frozen=True)
class Citation(Placed):
    """One source backing a claim."""

    source: str
    """The cited source's id."""
    quote: str
    """The passage quoted verbatim from the source."""
    said_by: str
    """Who said it if not the outlet: a dossier id or a short description; empty if not given."""
    location: Location
    """Where the citation is written."""
    where: str = field(compare=False, repr=False)
    """The line and column of each field of the citation (`at` makes one a Location)."""
    as_of: str = ""
    """When the figure was given, `YYYY-MM-DD` optionally with a time, if not when the source was published;
    empty if not given."""


@dataclass(frozen=True)
class Claim(Placed):
    """A fact about a dossier's subject, with its citations."""

    id: str
    """Unique within the dossier; `<dossier>#<id>` elsewhere."""
    dossier: str
    """The id of the dossier the claim is about."""
    property: str
    """The property id."""
    value: Value | None
    """The typed value, None when it could not be read."""
    text: Markdown | None
    """Optional prose stating the claim."""
    citations: tuple[Citation, ...]
    """The sources backing the claim, in the order written."""
    note: Markdown | None
    """The editors' remark, optional."""
    location: Location
    """Where the claim starts."""
    where: str = field(compare=False, repr=False)
    """The line and column of each field of the claim (`at` makes one a Location)."""
    ref: str = field(init=False, compare=False, repr=False)
    """The full reference, `<dossier>#<claim>`: a key of several indexes, made with the claim (a
    cached_property takes a lock the first time, forty thousand times at L) and kept in the parse cache."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "ref", f"{self.dossier}#{self.id}")


@dataclass(frozen=True)
class Verdict(Placed):
    """The editors' judgement on a disagreement."""

    property: str
    """The property disputed."""
    status: str
    """open, explained or settled."""
    preferred: str
    """The id of the claim judged best supported; empty if none."""
    note: Markdown | None
    """The explanation; required unless the status is open."""
    location: Location
    """Where the verdict is written."""
    where: str = field(compare=False, repr=False)
    """The line and column of each field of the verdict (`at` makes one a Location)."""
    covers: tuple[tuple[str, str], ...] | None = None
    """The claims on the property the verdict was written for, as (claim id, value as it reads), sorted;
    None when not given (a verdict from before the field, which is not followed)."""


@dataclass(frozen=True)
class Dossier(Placed):
    """A person, organisation or event."""

    id: str
    """The file name without extension."""
    section: str
    """people, organisations or events."""
    name: str
    """The display name."""
    aliases: tuple[str, ...]
    """Other spellings used in sources."""
    kind: str
    """For organisations and events, a free slug (`outlet`, `battle`); empty otherwise."""
    date: Value | None
    """For events, when it happened."""
    summary: Markdown | None
    """Markdown overview."""
    claims: tuple[Claim, ...]
    """The facts, in the order written."""
    verdicts: tuple[Verdict, ...]
    """The editors' verdicts on this dossier's disagreements."""
    location: Location
    """The file."""
    where: str = field(compare=False, repr=False)
    """The line and column of each top-level field (`at` makes one a Location)."""

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Caption:
    """A picture's caption in an article: a line of its text marked `[caption]` in the source file."""

    start: int
    """Offset of its first character in the source's `text` (the marker is not part of the text)."""
    end: int
    """Offset just past its last character."""
    location: Location
    """Where its first character is written in the file."""


@dataclass(frozen=True)
class Source(Placed):
    """An article, its metadata and verbatim text."""

    id: str
    """The file name without extension."""
    title: str
    """The headline."""
    title_by_editors: bool
    """True when the article has no headline of its own and `title` is the editors' wording."""
    outlet: str
    """The id of the publishing organisation."""
    published: str
    """Publication date as written, `YYYY-MM-DD` optionally with a time."""
    authors: tuple[str, ...]
    """Names of the authors, possibly none."""
    url: str
    """Where the article was published (http or https); may be empty."""
    via: tuple[str, ...]
    """Ids of agencies whose copy the article carries."""
    text: str
    """The article text, verbatim, without the `[caption]` markers."""
    location: Location
    """The file."""
    body_line: int
    """Line of the file on which `text` starts."""
    where: str = field(compare=False, repr=False)
    """The line and column of each front matter field (`at` makes one a Location)."""
    captions: tuple[Caption, ...] = ()
    """The lines of `text` that are captions of the article's pictures, in order."""


@dataclass(frozen=True)
class Briefing:
    """A briefing: the editors' top-level account."""

    id: str
    """The file name without extension."""
    title: str
    """The briefing's title."""
    date: str
    """Its date, `YYYY-MM-DD`."""
    summary: Markdown | None
    """Markdown summary."""
    key_points: tuple[Markdown, ...]
    """Markdown key points, in order."""
    location: Location
    """The file."""
    handling: str = ""
    """The print briefing's handling line (on the cover and each page's foot); empty: the shipped one."""
    classification: str = ""
    """The classification marking printed at the top and foot of every page of the PDF; empty: none."""
    paper: str = "a4"
    """The PDF's paper size: a4 or letter."""
    pdf: tuple[str, ...] = ("brief", "book")
    """Which print products `build` puts in the site: brief, book."""


PLACEHOLDERS = (
    "What this briefing is about, in a few sentences. Link a dossier or a source by its id in double brackets.",
    "The first thing a reader should know.",
)
"""The text `crossbrief init` writes into a new briefing's summary and key points, to be replaced: a check
warns of it (W321) and the PDF never prints it."""


@dataclass(frozen=True)
class Project:
    """Everything loaded from a project root."""

    root: str
    """The project root directory."""
    sources: tuple[Source, ...]
    """Every readable source, sorted by id."""
    dossiers: tuple[Dossier, ...]
    """Every readable dossier, sorted by id."""
    briefings: tuple[Briefing, ...]
    """Every readable briefing, sorted by id."""
    properties: dict[str, Property]
    """The property registry: shipped defaults with the project's additions."""
    files: int
    """How many files were read."""
    digests: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """A digest of each file's text, by path: what a rebuild compares to see which files changed."""
    unread: frozenset[str] = frozenset()
    """The ids of the project's files that could not be read (a YAML syntax error, a refused feature, an
    unreadable file): a reference to one of them is not reported as the referrer's mistake, as its file is
    reported already."""
