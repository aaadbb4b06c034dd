import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gandan.indicators.models import Indicator


class Command(BaseCommand):
    help = "Danh mục chỉ tiêu (mã, tên, đơn vị tính, cách tổng hợp, nguồn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        indicators = list(Indicator.objects.select_related("parent", "numerator", "denominator"))
        if options["json"]:
            rows = [
                {
                    "code": i.code,
                    "name_vi": i.name_vi,
                    "name_en": i.name_en,
                    "unit": i.unit,
                    "group": i.group,
                    "aggregation": i.aggregation,
                    "source": i.source,
                    "activity_types": i.activity_types,
                    "breakdowns": i.breakdowns,
                    "integer_only": i.integer_only,
                    "parent": i.parent.code if i.parent else None,
                    "numerator": i.numerator.code if i.numerator else None,
                    "denominator": i.denominator.code if i.denominator else None,
                    "retired_on": i.retired_on.isoformat() if i.retired_on else None,
                }
                for i in indicators
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for i in indicators:
            self.stdout.write(
                f"{i.code:<30} {i.name_vi:<58} {i.unit:<24} {i.get_aggregation_display()}"
            )
        self.stdout.write(f"{len(indicators)} chỉ tiêu.")
