"""Times as written (`YYYY-MM-DD`, optionally with a time of day): which come before which, which are one."""

from __future__ import annotations


def earlier(a: str, b: str) -> bool:
    """Whether time `a` is known to come before `b` (`YYYY-MM-DD`, optionally with a time, as written):
    an earlier day, or the same day and both with a time of day that is earlier. Zones are not converted;
    an unknown time ("") is ordered with none."""
    if not a or not b:
        return False
    if a[:10] != b[:10]:
        return a[:10] < b[:10]
    return len(a) > 10 and len(b) > 10 and a[11:19] < b[11:19]


def same_time(a: str, b: str) -> bool:
    """Whether two times are the same: one day, neither with a time of day, or the same minute."""
    return a[:10] == b[:10] and (len(a) > 10) == (len(b) > 10) and a[11:16] == b[11:16]
