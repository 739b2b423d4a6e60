"""Counts in words, as reports write them ("twelve", "a dozen", "several"), for figures and for dates ("three days ago")."""

from __future__ import annotations

import re

_SMALL = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
WORDS = {**{w: n for n, w in enumerate(_SMALL)}, **_TENS, "a dozen": 12, "a hundred": 100, "a thousand": 1000}
# "one" alone is a pronoun ("one cannot", "one of his friends") more often than a count
NUMBER_WORDS = "|".join(sorted((re.escape(w) for w in WORDS if w not in ("zero", "one")), key=len, reverse=True))
_VAGUE_AMOUNT = {"a few": (2, 4), "few": (2, 4), "several": (3, 9), "some": (2, 9)}


def amount(word: str | None) -> tuple[float, float]:
    """The least and most a count in digits or words can mean ("several": 3 to 9; "a", "an": 1)."""
    word = (word or "a").lower()
    if word in _VAGUE_AMOUNT:
        return _VAGUE_AMOUNT[word]
    n = float(word) if word.isdigit() else float(WORDS.get(word, 1))
    return n, n
