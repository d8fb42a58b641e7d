"""A body as one parse leaves it, and its links as one build resolves them.

The parse depends on the body's text alone, so it is kept between builds; what the links point at depends on the
rest of the catalogue, so it is worked out once per build and read by the rules, the pages and the feeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """One address of ours in a body (not a web address, e-mail or anchor), where the HTML has it."""

    target: str
    """The address as written, character references decoded: ``2018-00215``, ``attachments/表.pdf``."""
    line: int
    """0-based line within the body where the address is written (the entry's ``body_line`` is line 0)."""


@dataclass(frozen=True)
class Heading:
    """One heading of a body, as the parse made it and the page shows it."""

    level: int
    """2 to 6, as published: the page title is the only ``<h1>``, so ``#`` (and a ``===`` underline) is 2, like ``##``."""
    text: str
    """Plain text, spaces collapsed: ``五、存在的主要问题及改进情况``; a short link's title is not in it."""
    id: str
    """The heading's ``id`` on the page (from the table of contents, or ``{#…}``): its anchor."""
    line: int
    """0-based line within the body where the heading is written (for an underlined one, its text)."""
    part: int
    """The heading's tag starts in ``Body.html[part]`` …"""
    offset: int
    """… at this offset."""


@dataclass(frozen=True)
class Slot:
    """A place in a body's HTML that is filled for each page."""

    title: bool
    """True: the title of ``Body.shorts[index]`` as text; False: the address of ``Body.links[index]``."""
    index: int
    """Position in ``Body.shorts`` or ``Body.links``."""


@dataclass(frozen=True)
class Body:
    """A body converted to safe HTML once, with a slot wherever an address or a short-link title goes."""

    html: tuple[str, ...]
    """The HTML between the slots: ``html[0]``, slot 0, ``html[1]``, slot 1, …; one part more than slots."""
    slots: tuple[Slot, ...]
    """What each slot shows, in document order."""
    links: tuple[Link, ...]
    """Every ``href`` and ``src`` of ours, in document order; nothing written inside code is a link."""
    shorts: tuple[str, ...]
    """The target of each ``[[…]]`` link, in order: its slot shows the target's title."""
    headings: tuple[Heading, ...] = ()
    """Every heading written in Markdown that the page shows, in document order; a line in code is never one, and
    headings pasted as HTML are not read."""
    opening: tuple[str, ...] = ()
    """A document's body only: the text (without spaces) of each heading and title-like line before its 主送 or first
    sentence, such as an organ line or a 文号 the page already shows above the title."""


@dataclass(frozen=True)
class Resolved:
    """Where a body link points in the output tree."""

    path: str
    """Output path of the target page or file."""
    copy_from: str | None = None
    """Source file to publish at ``path`` (a file linked from a body)."""


@dataclass(frozen=True)
class Broken:
    """Why a body link cannot be published."""

    code: str
    """Diagnostic code, e.g. ``LINK_MISSING``."""
    message: str
    """What is wrong and what to write instead, for the editor."""


Target = Resolved | Broken | None
"""What a link points at; None when it is not ours to check."""


@dataclass(frozen=True)
class BodyLinks:
    """One body's links as they resolve in this build."""

    links: tuple[Link, ...] = ()
    """The body's links (``Body.links``)."""
    targets: tuple[Target, ...] = ()
    """Where each of ``links`` points, in the same order."""
    titles: tuple[str, ...] = ()
    """The text shown for each of ``Body.shorts``: the target's title, or the target as written."""


NO_LINKS = BodyLinks()
"""A body without ``[`` or ``<`` cannot hold a link."""


@dataclass(frozen=True)
class LinkTable:
    """Every body's links, resolved once per build, by the entry's source path."""

    by_rel: Mapping[str, BodyLinks] = field(default_factory=dict)
    """Bodies that hold links; the others have none."""

    def of(self, rel: str) -> BodyLinks:
        """The links of the entry at ``rel``."""
        return self.by_rel.get(rel, NO_LINKS)
