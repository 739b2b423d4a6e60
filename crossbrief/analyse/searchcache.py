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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crossbrief.analyse import textmatch
from crossbrief.analyse.mentions import Found, Names, find
from crossbrief.infra.store import Store, unpickled
from crossbrief.model import Project, Source

Span = tuple[int, int] | None
"""Where a quote is in its source's text (original offsets), or None if it is not there."""

_NAMES = b"names"
"""The entry holding the names the others were found with."""


class Texts(dict):
    """Each source's text normalised, by source id, when first asked for: a build that finds everything
    in its cache normalises none."""

    def __init__(self, sources: tuple[Source, ...]):
        super().__init__()
        self._texts = {s.id: s.text for s in sources}

    def __missing__(self, source_id: str) -> textmatch.Normalised:
        self[source_id] = found = textmatch.normalise(self._texts[source_id])
        return found


def spans(quotes: Iterable[str], known: dict[str, Span], text: Callable[[], textmatch.Normalised]) -> dict[str, Span]:
    """Where each of some quotes is in a source's text: as `known` from before, else looked for in `text()`."""
    found: dict[str, Span] = {}
    for quote in quotes:
        if quote not in found:
            found[quote] = known[quote] if quote in known else textmatch.find(text(), quote)
    return found


@dataclass(frozen=True)
class Recalled:
    """What the last build found that still holds, and what is left to search."""

    known: dict[str, Found]
    """Names found, by source id, for the sources whose entries still hold."""
    todo: tuple[Source, ...]
    """The sources to search for names again."""
    spans: dict[str, dict[str, Span]]
    """Where the quotes looked for before are, by source id and quote, for the sources as they are."""
    keys: dict[str, bytes]
    """Each source's key in the store, by source id: a digest of its text."""
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
    keys = {s.id: hashlib.blake2b(s.text.encode(), digest_size=16).digest() for s in project.sources}
    known, spans = {}, {}
    for source in project.sources:
        found = unpickled(stored, b"n" + keys[source.id])
        if (
            added is not None
            and isinstance(found, Found)
            and names.still_found(found, source.text, lambda: texts[source.id].text, added)
        ):
            known[source.id] = found
        quotes = unpickled(stored, b"q" + keys[source.id])
        if isinstance(quotes, dict):
            spans[source.id] = quotes
    todo = tuple(s for s in project.sources if s.id not in known)
    return Recalled(known, todo, spans, keys, stored, store)


def search(recalled: Recalled, texts: Texts, names: Names) -> dict[str, Found]:
    """The names in each source not known from before."""
    return {s.id: find(s.text, texts[s.id], names) for s in recalled.todo}


def save(
    project: Project, names: Names, recalled: Recalled, fresh: dict[str, Found], asked: dict[str, dict[str, Span]]
) -> None:
    """Rewrite the store to hold what this build found (`fresh` names, the spans of the quotes `asked`), if that changed."""
    entries = {
        _NAMES: pickle.dumps(tuple(sorted(names.texts)), pickle.HIGHEST_PROTOCOL)
    }  # sorted: the same bytes each time
    for source in project.sources:
        key = recalled.keys[source.id]
        entries[b"n" + key] = (
            pickle.dumps(fresh[source.id], pickle.HIGHEST_PROTOCOL)
            if source.id in fresh
            else recalled.stored[b"n" + key]
        )
        quotes = asked.get(source.id, {})
        same = quotes == recalled.spans.get(source.id)  # spans read from the store: their entry is there
        entries[b"q" + key] = recalled.stored[b"q" + key] if same else pickle.dumps(quotes, pickle.HIGHEST_PROTOCOL)
    if recalled.store and entries != recalled.stored:
        recalled.store.write(entries)
