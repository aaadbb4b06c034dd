"""Load real administrative units from the ``vietnamadminunits`` package (offline).

For one 2025 province (e.g. Đắk Lắk, 66) this loads:
- its legacy provinces (Đắk Lắk 66 and Phú Yên 54) with their districts and communes from
  ``admin_units_legacy`` (the 63-province state after the 2023–2025 commune round);
- curated earlier changes from ``gandan/geo/data/*_2024_*.json`` (units abolished in 2024
  are not in the package) and ``*_2004_2019.json`` (the tree from 5-7-2004: units born
  later, units ended before 2019, moves and renames; ``importers_history``);
- the 2025 communes from ``admin_units`` and the legacy→2025 mapping from
  ``converter_2025.json`` as merges and splits effective 1-7-2025, with the district tier
  abolished and merged provinces ended.

The whole load is one transaction and is recorded in ``DatasetLoad``: loading again is a
no-op.
"""

import datetime
import importlib.util
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from gandan.core.audit import AuditActor, audit_log
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.geo.importers_history import History, history_apply, history_for
from gandan.geo.models import AdminUnit, DatasetLoad, Kind
from gandan.geo.services import (
    SplitPart,
    legal_document_get_or_create,
    unit_abolish,
    unit_boundary_change,
    unit_create,
    unit_merge,
    unit_split,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
PACKAGE = "vietnamadminunits"
PACKAGE_VERSION = "1.0.4"

PROVINCE_KINDS = {"Tỉnh": Kind.TINH, "Thành phố": Kind.THANH_PHO_TW}
DISTRICT_KINDS = {
    "Huyện": Kind.HUYEN,
    "Thị xã": Kind.THI_XA,
    "Thành phố": Kind.THANH_PHO,
    "Quận": Kind.QUAN,
}
COMMUNE_KINDS = {
    "Xã": Kind.XA,
    "Phường": Kind.PHUONG,
    "Thị trấn": Kind.THI_TRAN,
    "Đặc khu": Kind.DAC_KHU,
}

Progress = Callable[[str], None]


def package_data_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DomainError(f"Chưa cài gói {PACKAGE}; hãy chạy `pip install {PACKAGE}`.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _strip_type(full_name: str, type_name: str) -> str:
    full_name = clean(full_name)
    if full_name.lower().startswith(type_name.lower() + " "):
        return full_name[len(type_name) + 1 :]
    return full_name


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _legal(spec: dict[str, Any]) -> Any:
    return legal_document_get_or_create(
        number=spec["number"],
        issued_on=datetime.date.fromisoformat(spec["issued_on"]),
        issuer=spec.get("issuer", ""),
        title=spec.get("title", ""),
        effective_on=_date(spec.get("effective_on")),
        note=spec.get("note", ""),
    )


@dataclass
class LoadSummary:
    province_code: str
    already_loaded: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def _rows(db: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    db.row_factory = sqlite3.Row
    return [dict(row) for row in db.execute(sql, params)]


@transaction.atomic
def units_load_province(
    *, province_code: str, actor: AuditActor = None, progress: Progress | None = None
) -> LoadSummary:
    """Load one 2025 province and all its legacy constituents. Idempotent and all-or-nothing."""
    say = progress or (lambda _msg: None)
    key = f"{PACKAGE}:{province_code}"
    summary = LoadSummary(province_code)
    if DatasetLoad.objects.filter(key=key).exists():
        summary.already_loaded = True
        return summary

    data_dir = package_data_dir()
    db = sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    reform = json.loads((DATA_DIR / "reform_2025.json").read_text(encoding="utf-8"))
    reform_on = datetime.date.fromisoformat(reform["effective_on"])

    new_rows = _rows(
        db, "SELECT * FROM admin_units WHERE provinceCode = ? ORDER BY wardCode", (province_code,)
    )
    if not new_rows:
        raise DomainError(f"Không có tỉnh mã «{province_code}» trong danh mục 2025 của {PACKAGE}.")
    new_key = new_rows[0]["provinceKey"]
    legacy_keys: list[str] = converter["DICT_PROVINCE"][new_key]
    placeholders = ",".join("?" for _ in legacy_keys)
    legacy_rows = _rows(
        db,
        f"SELECT * FROM admin_units_legacy WHERE provinceKey IN ({placeholders}) "  # noqa: S608
        "ORDER BY provinceCode, districtCode, wardCode",
        tuple(legacy_keys),
    )
    source_legacy = f"{PACKAGE} {PACKAGE_VERSION}: admin_units_legacy"
    source_new = f"{PACKAGE} {PACKAGE_VERSION}: admin_units"

    # 1. Legacy provinces, districts and communes (valid since before records began, or
    # from the day the 2004–2019 history says they were born, under their first parent).
    history = history_for(province_code)
    provinces: dict[str, AdminUnit] = {}
    districts: dict[str, AdminUnit] = {}
    communes: dict[str, AdminUnit] = {}
    communes_by_key: dict[str, AdminUnit] = {}
    new_name = clean(new_rows[0]["province"])
    continuing_code: str | None = None
    say(f"Nạp {len(legacy_rows)} xã, phường, thị trấn trước 2025 …")
    for row in legacy_rows:
        pcode = row["provinceCode"]
        if pcode not in provinces:
            full = clean(row["province"])
            ptype = "Thành phố" if full.startswith("Thành phố") else "Tỉnh"
            continuing = pcode == province_code and full == new_name
            if continuing:
                continuing_code = pcode
            provinces[pcode] = unit_create(
                code=pcode,
                name=_strip_type(full, ptype),
                kind=PROVINCE_KINDS[ptype],
                parent=None,
                valid_from=None,
                latitude=row["provinceLat"],
                longitude=row["provinceLon"],
                source=source_legacy,
            )
            summary.add("provinces")
        dcode = row["districtCode"]
        if dcode not in districts:
            dtype = clean(row["districtType"]).capitalize()
            districts[dcode] = unit_create(
                code=dcode,
                name=_strip_type(row["district"], dtype),
                kind=DISTRICT_KINDS[dtype],
                parent=provinces[pcode],
                valid_from=history.born(dcode) if history else None,
                latitude=row["districtLat"],
                longitude=row["districtLon"],
                source=source_legacy,
            )
            summary.add("districts")
    for row in legacy_rows:
        wtype = clean(row["wardType"]).capitalize()
        code, dcode = row["wardCode"], row["districtCode"]
        name, kind = _strip_type(row["ward"], wtype), str(COMMUNE_KINDS[wtype])
        if history:
            name, kind = history.first_name(code, name, kind)
            dcode = history.first_parent(code, dcode)
        commune = unit_create(
            code=code,
            name=name,
            kind=kind,
            parent=districts[dcode],
            valid_from=history.born(code) if history else None,
            latitude=row["wardLat"],
            longitude=row["wardLon"],
            source=source_legacy,
        )
        communes[code] = commune
        communes_by_key[f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"] = commune
        summary.add("communes_legacy")

    # 2. Curated changes before 2025 that the package does not carry.
    for path in sorted(DATA_DIR.glob("*_2024_*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec["province_code"] not in provinces:
            continue
        say(f"Áp dụng {spec['legal_basis']['number']} ({path.name}) …")
        _apply_curated_changes(spec, districts, communes, summary, history)
    if history is not None:
        say(f"Áp dụng các thay đổi 2004 – 2019 ({history.path.name}) …")
        history_apply(history, {**districts, **communes}, summary.add)

    # 3. The 2025 reform: new province (if none continues), new communes, successions.
    if continuing_code is not None:
        new_province = provinces[continuing_code]
    else:
        new_province = unit_create(
            code=province_code,
            name=_strip_type(new_name, "Thành phố" if new_name.startswith("Thành phố") else "Tỉnh"),
            kind=Kind.THANH_PHO_TW if new_name.startswith("Thành phố") else Kind.TINH,
            parent=None,
            valid_from=reform_on,
            latitude=new_rows[0]["provinceLat"],
            longitude=new_rows[0]["provinceLon"],
            source=source_new,
        )
        summary.add("provinces")
    commune_basis_spec = reform["commune_resolutions"].get(province_code)
    commune_basis = _legal(commune_basis_spec) if commune_basis_spec else None
    say(f"Nạp {len(new_rows)} xã, phường từ 01-7-2025 …")
    new_communes: dict[str, AdminUnit] = {}
    for row in new_rows:
        wtype = clean(row["wardType"]).capitalize()
        new_communes[row["wardKey"]] = unit_create(
            code=row["wardCode"],
            name=_strip_type(row["ward"], wtype),
            kind=COMMUNE_KINDS[wtype],
            parent=new_province,
            valid_from=reform_on,
            latitude=row["wardLat"],
            longitude=row["wardLon"],
            area_km2=row["wardAreaKm2"],
            source=source_new,
        )
        summary.add("communes_2025")

    whole = converter["DICT_PROVINCE_WARD_NO_DIVIDED"][new_key]
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {})
    note = f"Ánh xạ theo {PACKAGE} {PACKAGE_VERSION} (converter_2025.json)."

    def legacy(key: str) -> AdminUnit:
        if key not in communes_by_key:
            raise DomainError(f"Ánh xạ 2025 nhắc đến đơn vị cũ không có trong dữ liệu: {key}")
        return communes_by_key[key]

    for new_ward_key, legacy_list in whole.items():
        for legacy_key in legacy_list:
            unit_merge(
                source=legacy(legacy_key),
                target=new_communes[new_ward_key],
                on=reform_on,
                basis=commune_basis,
                description=note,
            )
            summary.add("merges_2025")
    for legacy_key, candidates in divided.items():
        parts = [
            SplitPart(
                successor=new_communes[c["newWardKey"]], is_default=bool(c["isDefaultNewWard"])
            )
            for c in candidates
        ]
        unit_split(
            source=legacy(legacy_key),
            parts=parts,
            on=reform_on,
            basis=commune_basis,
            description=note
            + " Dữ liệu không ghi tỷ lệ phân chia; phân bổ theo đơn vị kế thừa mặc định.",
        )
        summary.add("splits_2025")
    unmapped = [
        c
        for c in communes.values()
        if c.valid_to is None and c.is_valid_on(reform_on - datetime.timedelta(days=1))
    ]
    if unmapped:
        raise DomainError(
            "Các xã chưa có đơn vị kế thừa năm 2025: " + ", ".join(str(c) for c in unmapped)
        )

    district_basis = _legal(reform["district_tier_end"])
    for district in districts.values():
        unit_abolish(unit=district, on=reform_on, basis=district_basis)
        summary.add("districts_ended")
    province_basis = _legal(reform["province_merge"])
    for province in provinces.values():
        if province is not new_province:
            unit_merge(source=province, target=new_province, on=reform_on, basis=province_basis)
            summary.add("provinces_merged")

    DatasetLoad.objects.create(
        key=key, source=f"{PACKAGE} {PACKAGE_VERSION}", summary=summary.counts
    )
    audit_log(
        actor=actor,
        action="geo.load",
        target=new_province,
        message=f"Nạp đơn vị hành chính {new_province} từ {PACKAGE} {PACKAGE_VERSION}",
        data=summary.counts,
    )
    return summary


def _apply_curated_changes(
    spec: dict[str, Any],
    districts: dict[str, AdminUnit],
    communes: dict[str, AdminUnit],
    summary: LoadSummary,
    history: History | None = None,
) -> None:
    basis = _legal(spec["legal_basis"])
    on = basis.effective_on or basis.issued_on
    for item in spec["abolished_units"]:
        communes[item["code"]] = unit_create(
            code=item["code"],
            name=item["name"],
            kind=item["kind"],
            parent=districts[
                history.first_parent(item["code"], item["district_code"])
                if history
                else item["district_code"]
            ],
            valid_from=None,
            source=item["source"],
        )
        summary.add("communes_abolished_2024")

    def unit(code: str) -> AdminUnit:
        if code not in communes:
            raise DomainError(f"Tệp thay đổi nhắc đến mã xã không có: {code}")
        return communes[code]

    for change in spec["changes"]:
        kind, description = change["type"], change.get("description", "")
        if kind == "merge":
            unit_merge(
                source=unit(change["source"]),
                target=unit(change["target"]),
                on=on,
                basis=basis,
                description=description,
            )
        elif kind == "split":
            parts = [
                SplitPart(
                    successor=unit(part["target"]),
                    area_km2=Decimal(part["area_km2"]) if part.get("area_km2") else None,
                    population=part.get("population"),
                    is_default=part["is_default"],
                )
                for part in change["parts"]
            ]
            unit_split(
                source=unit(change["source"]),
                parts=parts,
                on=on,
                basis=basis,
                description=description,
            )
        elif kind == "boundary":
            unit_boundary_change(
                source=unit(change["source"]),
                target=unit(change["target"]),
                on=on,
                basis=basis,
                description=description,
            )
        else:
            raise DomainError(f"Loại thay đổi không hỗ trợ trong tệp dữ liệu: {kind}")
        summary.add(f"changes_2024_{kind}")
