"""Problems found in a site, reported as values rather than raised.

Every check in the pipeline appends :class:`Diagnostic` values to a :class:`Report`;
nothing stops at the first problem, so an editor sees all of them in one run.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class Severity(enum.Enum):
    """How bad a problem is; errors always fail, warnings fail under ``--strict``."""

    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in one file."""

    path: str
    """File path relative to the site root, with forward slashes."""
    line: int
    """1-based line of the offending key (or of the opening ``---`` / line 1 for file-level problems)."""
    code: str
    """Stable English key of the rule, e.g. ``UNKNOWN_KEY``."""
    message: str
    """Chinese explanation, naming the English key and saying how to fix it."""
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def format(self) -> str:
        """Render as ``path:line: 错误 [CODE] message``."""
        return f"{self.path}:{self.line}: {self.severity.value} [{self.code}] {self.message}"


@dataclass
class Report:
    """Collects diagnostics from every step of a run."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, code: str, message: str) -> None:
        """Record an error."""
        self.items.append(Diagnostic(path, line, code, message, Severity.ERROR))

    def warning(self, path: str, line: int, code: str, message: str) -> None:
        """Record a warning."""
        self.items.append(Diagnostic(path, line, code, message, Severity.WARNING))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Add diagnostics produced elsewhere."""
        self.items.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def sorted(self) -> list[Diagnostic]:
        """Diagnostics in a stable order: by path, line, code, message."""
        return sorted(set(self.items))

    def count(self, severity: Severity) -> int:
        """How many distinct diagnostics have this severity."""
        return sum(1 for d in self.sorted() if d.severity is severity)

    def fails(self, *, strict: bool) -> bool:
        """Whether the run must stop before writing anything."""
        if self.count(Severity.ERROR):
            return True
        return strict and bool(self.count(Severity.WARNING))
