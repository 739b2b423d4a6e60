"""The reader's language: interface strings from gettext catalogues, dates and numbers as people write them.

The site's language is MkDocs' `theme.language` (Material translates its own
chrome from it); crossbrief ships catalogues for English, French and German
in `crossbrief/locale/<code>/LC_MESSAGES/crossbrief.po`, read with Babel (no
compiled `.mo` files to keep in step). A language without a catalogue gets
crossbrief's English strings, with dates and numbers still in its own
spelling where Babel knows the language. English dates are written the
international way ("6 July 2012"), as the briefings crossbrief was made for
write them. The ISO dates stay in the model, the export and the diff; only
pages and the PDF show them reworded.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time, get_datetime_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import escape

from crossbrief.model.values import Value, reread

DOMAIN = "crossbrief"
SHIPPED = ("de", "en", "fr")
"""The languages crossbrief's catalogues translate its strings into (English is the strings themselves)."""
_BABEL_LOCALE = {"en": "en_GB"}
"""Babel's locale for a language code, where it is not the code itself."""

_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[ T](\d{2}):(\d{2}))?)?)?")
_NBSP = "\u00a0"
_THIN = "\u202f"
"""A narrow no-break space: French sets one before `:`, `;`, `!` and `?`."""
_SPACED = frozenset({"fr"})
"""The languages that set a space before `:`, `;`, `!` and `?`."""
_BEFORE_MARK = re.compile(r"(?<=\S)[ \u00a0]?([:;!?])(?=\s|$)")


def N_(message: str) -> str:
    """A message marked for the catalogues where it is written, translated where it is shown."""
    return message


@lru_cache(maxsize=8)
def translations(code: str) -> gettext.NullTranslations:
    """The shipped catalogue of a language (its base language's for `fr-CA`), or none (the English strings)."""
    base = code.replace("_", "-").split("-")[0].lower()
    po = resources.files("crossbrief").joinpath("locale", base, "LC_MESSAGES", f"{DOMAIN}.po")
    if base == "en" or not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=base, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _locale(code: str) -> Locale:
    code = code.replace("-", "_")
    try:
        return Locale.parse(_BABEL_LOCALE.get(code, code))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en_GB")


@dataclass(frozen=True)
class Language:
    """One language of the interface: its strings, and how it writes dates and numbers."""

    code: str = "en"
    """The language code, as MkDocs' `theme.language` gives it (`en`, `fr`, `de`, `pt-BR`)."""
    locale: Locale = field(init=False, compare=False, repr=False)
    """Babel's locale for it."""
    strings: gettext.NullTranslations = field(init=False, compare=False, repr=False)
    """Its catalogue."""
    colon: str = field(init=False, compare=False)
    """What separates a label from what it labels (`Age: 46`), without the space after: `:`, or in French
    a narrow no-break space and `:`."""
    separator: str = field(init=False, compare=False)
    """What separates the items of a list written on one line (`62; 64`): `; `, or in French a narrow no-break
    space and `; `."""

    def __post_init__(self):
        object.__setattr__(self, "locale", _locale(self.code))
        object.__setattr__(self, "strings", translations(self.code))
        object.__setattr__(self, "colon", self.typeset("x:")[1:])
        object.__setattr__(self, "separator", self.typeset("x; ")[1:])

    def typeset(self, text: str) -> str:
        """Interface text with the language's spacing of punctuation: in French a narrow no-break space before
        `:`, `;`, `!` and `?` (replacing a plain space there, or added), so that a mark never starts a line."""
        if self.locale.language not in _SPACED:
            return text
        return _BEFORE_MARK.sub(_THIN + r"\1", text)

    def gettext(self, message: str, **variables) -> str:
        """A string in this language, `%(name)s` placeholders filled from `variables` (the string's own
        punctuation set as the language sets it, what fills it left as it is)."""
        text = self.typeset(self.strings.gettext(message))
        return text % variables if variables else text

    def plural(self, singular: str, plural: str, n: int) -> str:
        """The form of a string this language uses for the count `n`, its placeholders unfilled."""
        return self.typeset(self.strings.ngettext(singular, plural, n))

    def ngettext(self, singular: str, plural: str, n: int, **variables) -> str:
        """A string with a count in this language's plural form; `%(num)s` is the count."""
        return self.plural(singular, plural, n) % {"num": self.number(n), **variables}

    def number(self, n: float) -> str:
        """A number as the language writes it (16,000; 16 000; 16.000)."""
        return format_decimal(n, locale=self.locale)

    def date(self, text: str, short: bool = False) -> str:
        """An ISO date, month or year (`2012-07-06`, `2012-07`, `2012`, `2012-07-06 08:30`) as people write it,
        its spaces unbreakable; any other text as it is. `short`: the month abbreviated (a table's column)."""
        m = _DAY.fullmatch(text.strip())
        if not m:
            return text
        year, month, day, hour, minute = m.groups()
        try:
            if not month:
                shown = year
            elif not day:
                shown = format_skeleton(
                    "yMMM" if short else "yMMMM", date(int(year), int(month), 1), locale=self.locale
                )
            else:
                shown = format_date(
                    date(int(year), int(month), int(day)), "medium" if short else "long", locale=self.locale
                )
                if hour:
                    clock = format_time(time(int(hour), int(minute)), "short", locale=self.locale)
                    shown = get_datetime_format("medium", locale=self.locale).format(clock, shown)
        except ValueError:  # a day the loader refused
            return text
        return shown.replace(" ", _NBSP).replace("\u202f", _NBSP)

    def date_html(self, text: str, short: bool = False) -> str:
        """An ISO date as `date` writes it, in a `<time>` giving the ISO date to machines; other text escaped."""
        iso = text.strip()
        shown = self.date(iso, short)
        if shown == text:
            return _escape(text)
        return f'<time datetime="{iso.replace(" ", "T")}">{_escape(shown)}</time>'

    def value(self, v: Value | None, html: bool = False) -> str:
        """A claim's value as this language writes it: numbers and their ranges, dates and their ranges;
        a string as it is. `html`: escaped, each date in a `<time>`."""
        if v is None:
            text = self.gettext("(unreadable value)")
            return _escape(text) if html else text
        if v.kind == "date":
            return self._date_value(v.text, html)
        if v.kind == "number":
            return self._number_value(v, html)
        return _escape(v.text) if html else v.text

    def written(self, text: str, dossiers: Mapping[str, Any] | None = None) -> str:
        """A value recorded as its text reads (`Value.text`: a verdict's `covers`, the diff), as this language
        writes it; a dossier's id (an entity's value) as its name, when `dossiers` (by id) holds it."""
        if dossiers and text in dossiers:
            return dossiers[text].name
        return self.value(reread(text))

    def _date_value(self, text: str, html: bool) -> str:
        when = self.date_html if html else self.date
        if text.startswith("about "):
            return self._words(self.gettext("about %(date)s"), html, date=when(text[6:]))
        if text.startswith("until "):
            return self._words(self.gettext("until %(date)s"), html, date=when(text[6:]))
        if text.startswith("from "):
            return self._words(self.gettext("from %(date)s"), html, date=when(text[5:]))
        start, dash, end = text.partition(" – ")
        if dash:
            return f"{when(start)} – {when(end)}"
        return when(text)

    def _words(self, phrase: str, html: bool, **variables) -> str:
        """A translated phrase around values already written (and escaped, for HTML)."""
        return (_escape(phrase) if html else phrase) % variables

    def _number_value(self, v: Value, html: bool) -> str:
        low, high = v.low, v.high
        first = last = ""
        if low is not None:
            number = self.number(low)
            first = (
                self.gettext("more than %(number)s", number=number)
                if v.low_open
                else self.gettext("at least %(number)s", number=number)
            )
        if high is not None:
            number = self.number(high)
            last = (
                self.gettext("less than %(number)s", number=number)
                if v.high_open
                else self.gettext("up to %(number)s", number=number)
            )
        if v.text.startswith("about ") and low is not None and high is not None:
            text = self.gettext("about %(number)s", number=self.number(_about(v.text)))
        elif low is not None and low == high:
            text = self.number(low)
        elif high is None or low is None:
            text = first or last
        elif not v.low_open and not v.high_open:
            text = f"{self.number(low)}–{self.number(high)}"
        else:
            text = self.gettext("%(first)s and %(last)s", first=first, last=last)
        return _escape(text) if html else text


def _about(text: str) -> float:
    """The number of an "about N" value's text (`about 1,200`)."""
    n = float(text[6:].replace(",", ""))
    return int(n) if n == int(n) else n


def _escape(text: str) -> str:
    return str(escape(text))


@lru_cache(maxsize=8)
def language(code: str) -> Language:
    """The Language of a code, made once."""
    return Language(code or "en")


ENGLISH = language("en")
"""The language of a site that names none."""
