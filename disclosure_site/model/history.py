"""An entry's 更新记录: when it was published, what its editors say changed since, and when it last changed.

Readers see only what editors wrote (the 发布日期 and the ``changes`` notes). The content repository adds one
date, when the file's text last changed, so a correction made without a note still moves 最近更新; nothing
else of a commit, least of all its message, is read into the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.frozen import remembered_repr
from .entry import ChangeNote, EntryMeta

History = dict[str, dt.date]
"""Day (Beijing time) of the last commit that changed each content file's text after the commit that added it,
by path relative to the site root (``content/news/a.md``); files never changed since they were added are absent."""


@remembered_repr
@dataclass(frozen=True)
class Revisions:
    """What an entry's 更新记录, its data file and its feed items say about its changes."""

    first_published: dt.date
    """The 发布日期: the entry's first publication, whatever the repository says."""
    changes: tuple[ChangeNote, ...]
    """The editors' notes, newest first (notes of one day in the order written); an identical repeat once."""
    last_updated: dt.date
    """The latest of the 发布日期, the newest note and the last commit that changed the file (never after the
    build date): the day of the last change to what the public reads."""

    @property
    def shown(self) -> bool:
        """Whether the page has anything to tell beyond its 发布日期."""
        return bool(self.changes) or self.last_updated > self.first_published


def revisions(meta: EntryMeta, committed: dt.date | None, today: dt.date) -> Revisions:
    """An entry's revisions from its front matter and the date of the last commit that changed its file."""
    first = meta.published.date
    notes = tuple(sorted(dict.fromkeys(meta.changes), key=lambda change: change.date, reverse=True))
    # A commit dated after the build date exists only when a build is dated in the past; the page is as of then.
    dates = [first, *(note.date for note in notes), *([min(committed, today)] if committed else [])]
    return Revisions(first, notes, max(dates))
