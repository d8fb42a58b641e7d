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
    NOTICE = "提示"
    """Information only (e.g. personal data in an entry exempt under 惩戒公示); never fails a run."""


ADJUSTABLE_RULES = (
    "EMPTY_COLUMN", "STALE_COLUMN", "LATE_DISCLOSURE", "INTERPRETATION_LATE", "INTERPRETATION_TOO_LATE",
    "INTERPRETATION_DEPARTMENT", "DOC_NO_BRACKETS", "DOC_NO_FORMAT", "PERSONAL_DATA", "FEEDBACK_OVERDUE",
    "RESPONSE_LATE", "RESPONSE_TIME_UNKNOWN", "REPLY_LATE", "REPLY_OVERDUE", "GUIDE_CHANGE_LATE",
    "SUPERSEDED_BUT_VALID", "MISSING_COLUMN", "ANNUAL_REPORT_MISSING", "ANNUAL_REPORT_LATE",
    "TASK_OVERDUE",
    "HEAD_BRIEFING_MISSING",
)
"""Rules whose severity a site may change in catalog.yaml (``severity: {CODE: warning}``)."""

CALENDAR_RULES = frozenset({
    "EMPTY_COLUMN", "STALE_COLUMN", "MISSING_COLUMN", "ANNUAL_REPORT_MISSING", "ANNUAL_REPORT_LATE",
    "LATE_DISCLOSURE", "INTERPRETATION_LATE", "INTERPRETATION_TOO_LATE", "FEEDBACK_OVERDUE", "RESPONSE_LATE",
    "REPLY_LATE", "REPLY_OVERDUE", "GUIDE_CHANGE_LATE", "HEAD_BRIEFING_MISSING",
    "TASK_OVERDUE",
})
"""Findings about the site as a whole or about how late something is (全站提醒).

They are reported loudly but never stop ``check``, ``build`` or ``deploy``: holding back a valid entry cannot
make a stale column fresh or a late reply early, and an urgent notice must never wait on an unrelated column.
A site may opt in to failing ``check`` on them (catalog.yaml ``calendar_fails_check``); never ``build``."""

ENVIRONMENT_RULES = frozenset({"OUTPUT_REFUSED", "OUTPUT_UNWRITABLE"})
"""Problems with the machine or the command line, not the content: the command exits with 2, not 1."""

SEVERITY_NAMES = {"error": Severity.ERROR, "warning": Severity.WARNING, "notice": Severity.NOTICE, "off": None}
"""Values accepted in catalog.yaml ``severity``."""


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

    @property
    def calendar(self) -> bool:
        """A 全站提醒: about the site as a whole or about timeliness, never a reason to withhold publication."""
        return self.code in CALENDAR_RULES

    def format(self) -> str:
        """Render as ``path:line: 错误 [CODE] message``."""
        return f"{self.path}:{self.line}: {self.severity.value} [{self.code}] {self.message}"


@dataclass
class Report:
    """Collects diagnostics from every step of a run."""

    items: list[Diagnostic] = field(default_factory=list)
    overrides: dict[str, Severity | None] = field(default_factory=dict)
    """Severity set in catalog.yaml ``severity`` for adjustable rules; None switches a rule off."""

    def error(self, path: str, line: int, code: str, message: str) -> None:
        """Record an error."""
        self._add(Diagnostic(path, line, code, message, Severity.ERROR))

    def warning(self, path: str, line: int, code: str, message: str) -> None:
        """Record a warning."""
        self._add(Diagnostic(path, line, code, message, Severity.WARNING))

    def notice(self, path: str, line: int, code: str, message: str) -> None:
        """Record a notice."""
        self._add(Diagnostic(path, line, code, message, Severity.NOTICE))

    def _add(self, diagnostic: Diagnostic) -> None:
        if diagnostic.code in self.overrides:
            severity = self.overrides[diagnostic.code]
            if severity is None:
                return
            diagnostic = Diagnostic(diagnostic.path, diagnostic.line, diagnostic.code, diagnostic.message, severity)
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Add diagnostics produced elsewhere (kept in a cache or found by a worker), applying this run's severities."""
        for diagnostic in diagnostics:
            self._add(diagnostic)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def sorted(self) -> list[Diagnostic]:
        """Diagnostics in a stable order: by path, line, code, message."""
        return sorted(set(self.items))

    def count(self, severity: Severity) -> int:
        """How many distinct diagnostics about the content have this severity (全站提醒 are counted apart)."""
        return sum(1 for d in self.sorted() if d.severity is severity and not d.calendar)

    def blocking(self, *, strict: bool, calendar: bool = False) -> list[Diagnostic]:
        """The diagnostics that stop a run: errors, warnings under ``strict``; 全站提醒 only when ``calendar``."""
        failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return [d for d in self.sorted() if d.severity in failing and (calendar or not d.calendar)]

    def environmental(self) -> bool:
        """Whether a problem outside the content (output folder, disk) stopped the run."""
        return any(d.code in ENVIRONMENT_RULES for d in self.items)

    def fails(self, *, strict: bool, calendar: bool = False) -> bool:
        """Whether the run must stop before writing anything (全站提醒 never stop a build)."""
        return bool(self.blocking(strict=strict, calendar=calendar))
