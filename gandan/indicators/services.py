"""Writes to the indicator catalogue."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from gandan.core.audit import audit_log
from gandan.indicators.models import Indicator

CATALOGUE = Path(__file__).resolve().parent / "data" / "catalogue.json"


def catalogue_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(CATALOGUE.read_text(encoding="utf-8"))["indicators"]
    return rows


@transaction.atomic
def catalogue_seed(*, actor: Any = None, model: Any = Indicator) -> int:
    """Create the seeded indicators that are missing. Existing ones (maybe edited by an
    admin) are left as they are. Returns how many were created."""
    created = 0
    for row in catalogue_rows():
        _obj, was_created = model.objects.get_or_create(code=row["code"], defaults=row)
        created += int(was_created)
    if created and model is Indicator:
        audit_log(
            actor=actor,
            action="indicators.seed",
            message=f"Thêm {created} chỉ tiêu từ danh mục gốc",
        )
    return created
