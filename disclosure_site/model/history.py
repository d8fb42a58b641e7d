"""What git says about each content file: the commits that changed it, shown as a page's update record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One commit that changed a file."""

    date: dt.date
    """Commit date in China Standard Time."""
    subject: str
    """First line of the commit message, as written (the templates escape it)."""


History = dict[str, tuple[Change, ...]]
"""Changes of each content file, newest first, by path relative to the site root (``content/news/a.md``)."""
