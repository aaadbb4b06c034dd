"""Ratios, parents and parts, retirement, and unique names (ADR 0018): the data.

Between the new fields (0006) and the new constraints (0008), ``fill`` makes the data fit them:
- every indicator gets its folded name; where two names fold alike (the Django admin used
  to allow it), the later ones get their code appended, so the unique constraint holds;
- the seeded rows that the catalogue could not hold before (the ratio
  ``members_minority_share``, the parts of ``livestock_pens`` on a fresh database) are
  created, and seeded rows that exist without their references (the pens indicators of
  a running system) get them: they become the parts of ``livestock_pens``.
"""

from django.db import migrations

REFERENCES = ("parent", "numerator", "denominator")


def fill(apps, schema_editor):
    from gandan.core.text import fold
    from gandan.indicators.services import catalogue_rows, catalogue_seed

    Indicator = apps.get_model("indicators", "Indicator")
    taken = set()
    for indicator in Indicator.objects.order_by("id"):
        key = fold(indicator.name_vi)
        if key in taken:
            indicator.name_vi = f"{indicator.name_vi} ({indicator.code})"[:200]
            key = fold(indicator.name_vi)
        indicator.name_key = key
        taken.add(key)
        indicator.save(update_fields=["name_vi", "name_key"])
    catalogue_seed(model=Indicator)
    for row in catalogue_rows():
        for name in REFERENCES:
            target = Indicator.objects.filter(code=row.get(name) or "").first()
            if target is None:
                continue
            rows = Indicator.objects.filter(code=row["code"], **{f"{name}__isnull": True})
            if name == "parent":
                rows = rows.filter(unit=target.unit, aggregation=target.aggregation)
            rows.update(**{name: target})


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_catalogue_ratios_parents_retirement")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
