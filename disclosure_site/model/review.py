"""公开审查: what the 政务公开工作机构 said before a policy document was withheld.

The work plan (二(一)1(1)) has every department state a document's 公开属性 when it is drafted, give the legal
reason for not publishing it, and send a policy document it means to withhold to the body's 政务公开工作机构 for
review first. The review is internal: it is checked (rules/review.py) and never shown anywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core import values as v
from ..core.frozen import remembered_repr
from ..core.schema import key


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class PolicyReview:
    """The 政务公开工作机构's review of a policy document before it is withheld (公开审查)."""

    office: str | None = key("审查机构", v.text)
    """The reviewing office; must be catalog.yaml's ``site.review_office`` (政务公开工作机构)."""
    date: dt.date | None = key("审查日期", v.date)
    """Day of the review, ``YYYY-MM-DD``; on or before the document's 成文日期 (reviewed before it was signed)."""
    opinion: str | None = key("审查意见", v.text)
    """The office's opinion, e.g. 同意依申请公开; internal, never published."""
