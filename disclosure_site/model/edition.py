"""What one build publishes: the checked catalogue and what the build works out after the rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.published import FileDigests
from .catalogue import Catalogue
from .entry import Entry
from .history import History, Revisions, revisions


@dataclass(frozen=True)
class Edition:
    """The catalogue as the rules passed it, with the revision history and the checksums the pages show."""

    catalogue: Catalogue
    history: History = field(default_factory=dict)
    """When each content file's text last changed in git (empty outside git, or when history is left out)."""
    digests: FileDigests = field(default_factory=FileDigests, compare=False)
    """SHA-256 of each copied file as published, worked out once per build for pages, data files and SHA256SUMS."""

    def revisions(self, entry: Entry) -> Revisions:
        """The entry's 更新记录 as its page, data file and feed items show it."""
        return revisions(entry.meta, self.history.get(entry.rel), self.catalogue.today)
