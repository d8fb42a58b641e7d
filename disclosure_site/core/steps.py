"""How a stage runs the pure parts of its work: straight through, or remembered by the cache layer.

A stage never knows whether results are kept between builds. It calls :meth:`Steps.run` with a step name, a pure
function and that function's inputs; the pipeline hands it either this plain runner or ``cache.steps.CachedSteps``,
which derives a key from exactly those inputs. So a cached result can only be reused for the same inputs, and
there is no second, hand-written list of what a step depends on to fall out of date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


class Steps:
    """Runs each step afresh (``--no-cache``, tests); the worker hooks have nothing to do."""

    def run(self, step: str, make: Callable[..., T], *inputs: Any) -> T:
        """``make(*inputs)``: a pure function of its inputs, named ``step`` for the cache."""
        return make(*inputs)

    def run_at(self, step: str, slot: str, make: Callable[..., T], *inputs: Any) -> T:
        """:meth:`run` for a step that recurs at one place from build to build (a page at its path, ``slot``)."""
        return make(*inputs)

    def recall(self, step: str, slot: str, make: Callable[..., T], *inputs: Any) -> T:
        """``make(*inputs)``, a pure function; a long-running preview keeps the result in memory for ``slot`` and
        gives it back, the very object, while the inputs stay equal. Nothing goes to the cache store."""
        return make(*inputs)

    def unchanged_at(self, step: str, slot: str, *inputs: Any) -> str | None:
        """The SHA-256 of the bytes ``step`` made at ``slot`` in the last build, if it received inputs equal to
        these and the result is known to be on disk from then (a long-running preview); otherwise None, and the
        step must be run."""
        return None

    def forget_slots(self) -> None:
        """Take nothing as unchanged from the last build (its output is not on disk as it was)."""

    def settled(self, name: str, value: T) -> T:
        """``value``, or an equal value of the last build kept under ``name`` (the very object)."""
        return value

    def run_with_files(self, step: str, make: Callable[..., T], files: Callable[[T], Sequence[str] | None],
                       *inputs: Any) -> T:
        """:meth:`run` for a result that also depends on files it names (``files(result)``, e.g. an entry and
        the attachments it was checked against); a result for which ``files`` gives None is never kept."""
        return make(*inputs)

    def done(self) -> None:
        """At the end of a build that wrote its output."""

    def share(self) -> None:
        """Before forking workers: put this build's new results where the workers can read them."""

    def begin_worker(self) -> None:
        """In a freshly forked worker: start keeping this worker's results apart from the parent's."""

    def worker_results(self) -> object:
        """In a worker: what it found, for :meth:`absorb` in the parent."""
        return None

    def absorb(self, work: object) -> None:
        """In the parent: accept a worker's :meth:`worker_results`."""
