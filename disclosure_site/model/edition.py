"""What one build publishes: the checked catalogue and what the build works out after the rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.published import FileDigests
from .catalogue import Catalogue
from .history import History


@dataclass(frozen=True)
class Edition:
    """The catalogue as the rules passed it, with the revision history and the checksums the pages show."""

    catalogue: Catalogue
    history: History = field(default_factory=dict)
    """Commits that changed each content file, newest first (empty outside git, or when history is left out)."""
    digests: FileDigests = field(default_factory=FileDigests, compare=False)
    """SHA-256 of each copied file as published, worked out once per build for pages, data files and SHA256SUMS."""
