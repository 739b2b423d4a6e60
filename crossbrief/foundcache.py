"""What was found in each source's text, remembered across builds in the cache folder (store.py): the
names it holds, and where each quote cited from it is.

Finding mentions and quotes means going through every source's text; between
two builds most texts are as they were, and so are the names and quotes
looked for in them. A source's entries are keyed by a digest of its text.
Its names are used again while none of the names found in it has gone and no
name added since occurs in it (mentions.Names.still_found): renaming one
dossier searches again only the sources where its old or new name occurs. A
quote's place is used again as long as the source's text is the same.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from dataclasses import dataclass, field

from . import textmatch
from .mentions import Found, Names, find
from .model import Project, Source
from .store import Store, unpickled

Span = tuple[int, int] | None
"""Where a quote is in its source's text (original offsets), or None if it is not there."""

_NAMES = b"names"
"""The entry holding the names the others were found with."""
_WORD = re.compile(r"\w+")


class Texts(dict):
    """Each source's text normalised, by source id, when first asked for: a build that finds everything
    in its cache reads none."""

    def __init__(self, sources: tuple[Source, ...]):
        super().__init__()
        self._texts = {s.id: s.text for s in sources}

    def __missing__(self, source_id: str) -> textmatch.Normalised:
        self[source_id] = found = textmatch.normalise(self._texts[source_id])
        return found

    def may_hold(self, source_id: str, name: str) -> bool:
        """Whether the normalised text may hold `name`: it holds each of its words as they are written,
        as normalising changes only spaces, quotes and dashes (read without normalising the text)."""
        return all(word in self._texts[source_id] for word in _WORD.findall(name))


@dataclass
class Quotes:
    """Where each quote is in its source: as an earlier build found it while the source is the same,
    else looked for now. What this build looked for is kept for the next (`asked`)."""

    known: dict[str, dict[str, Span]]
    """Spans found before, by source id and quote."""
    texts: Texts
    """The sources' texts, for the quotes not found before."""
    asked: dict[str, dict[str, Span]] = field(default_factory=dict)
    """Every quote looked for in this build, by source id."""

    def find(self, source_id: str, quote: str) -> Span:
        """The original offsets of `quote` in the source's text, or None."""
        asked = self.asked.setdefault(source_id, {})
        if quote not in asked:
            known = self.known.get(source_id, {})
            asked[quote] = known[quote] if quote in known else textmatch.find(self.texts[source_id], quote)
        return asked[quote]


@dataclass(frozen=True)
class Recalled:
    """What the last build found that still holds, and what is left to search."""

    known: dict[str, Found]
    """Names found, by source id, for the sources whose entries still hold."""
    todo: tuple[Source, ...]
    """The sources to search for names again."""
    quotes: Quotes
    """Where the quotes are."""
    stored: dict[bytes, bytes]
    """The store's entries as read."""
    store: Store | None
    """Where they are kept; None without a cache folder."""


def recall(project: Project, names: Names, texts: Texts) -> Recalled:
    """The entries of the last build that still hold for these sources and names."""
    store = Store.of(project.root, "found")
    stored = store.read() if store else {}
    before = unpickled(stored, _NAMES)
    added = names.texts.difference(before) if isinstance(before, tuple) else None
    if added is not None and len(added) > 100:
        added = None  # one pass of the automaton over each text costs less than looking for so many names
    known, spans = {}, {}
    for source in project.sources:
        found = unpickled(stored, b"n" + _key(source))
        if added is not None and isinstance(found, Found) and names.still_found(
                found, lambda: texts[source.id].text, [name for name in added if texts.may_hold(source.id, name)]):
            known[source.id] = found
        quotes = unpickled(stored, b"q" + _key(source))
        if isinstance(quotes, dict):
            spans[source.id] = quotes
    todo = tuple(s for s in project.sources if s.id not in known)
    return Recalled(known, todo, Quotes(spans, texts), stored, store)


def search(sources: tuple[Source, ...], texts: Texts, names: Names) -> dict[str, bytes]:
    """Each source's names found, pickled as the store keeps them (and as they travel back from a child)."""
    return {s.id: pickle.dumps(find(s.text, texts[s.id], names), pickle.HIGHEST_PROTOCOL) for s in sources}


def update(project: Project, names: Names, recalled: Recalled, fresh: dict[str, bytes]) -> dict[str, Found]:
    """Every source's names found; the store is rewritten to hold what this build found, if that changed."""
    found = {**recalled.known, **{i: pickle.loads(data) for i, data in fresh.items()}}
    entries = {_NAMES: pickle.dumps(tuple(sorted(names.texts)), pickle.HIGHEST_PROTOCOL)}  # sorted: the same bytes each time
    for source in project.sources:
        key = _key(source)
        entries[b"n" + key] = fresh[source.id] if source.id in fresh else recalled.stored[b"n" + key]
        asked = recalled.quotes.asked.get(source.id, {})
        same = asked == recalled.quotes.known.get(source.id) and b"q" + key in recalled.stored
        entries[b"q" + key] = recalled.stored[b"q" + key] if same else pickle.dumps(asked, pickle.HIGHEST_PROTOCOL)
    if recalled.store and entries != recalled.stored:
        recalled.store.write(entries)
    return found


def _key(source: Source) -> bytes:
    """What the source's entries depend on: its text."""
    return hashlib.blake2b(source.text.encode(), digest_size=16).digest()
