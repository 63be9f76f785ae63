"""Custom scalars: Quarter ("N/YYYY", R-CAL-1). Date, DateTime and Upload are Strawberry's.

Types annotate with the domain's `models.quarter.Quarter`; the schema maps it to this scalar.
"""

from __future__ import annotations

import strawberry

from models.quarter import Quarter

QuarterScalar = strawberry.scalar(
    name="Quarter",
    description='A quarter (the seeds\' "term"), written "N/YYYY" with N from 1 to 4, e.g. "1/2026".',
    serialize=str,
    parse_value=Quarter.parse,
)
SCALARS = {Quarter: QuarterScalar}
