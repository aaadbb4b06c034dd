import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _units(capsys, *args: str) -> str:
    call_command("units", *args)
    return str(capsys.readouterr().out).strip()


@pytest.mark.parametrize(
    ("level", "on", "expected"),
    [
        ("commune", "2019-09-10", "184"),
        ("commune", "2024-12-31", "180"),
        ("commune", "2025-07-01", "102"),
        ("district", "2019-09-10", "15"),
        ("district", "2025-07-01", "0"),
    ],
)
def test_units_count_for_dak_lak(capsys, level, on, expected):
    assert _units(capsys, "--province", "66", "--level", level, "--on", on, "--count") == expected


def test_units_json_lists_names_with_their_parent(capsys):
    rows = json.loads(
        _units(capsys, "--province", "66", "--level", "district", "--on", "2019-09-10", "--json")
    )

    assert len(rows) == 15
    assert {"code": "656", "name": "Huyện Lắk", "parent": "Tỉnh Đắk Lắk"}.items() <= next(
        r for r in rows if r["code"] == "656"
    ).items()


def test_units_count_json(capsys):
    out = _units(
        capsys, "--province", "66", "--level", "commune", "--on", "2025-07-01", "--count", "--json"
    )

    assert json.loads(out) == {"count": 102}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--on", "2019-13-01", "--count"], "Ngày không hợp lệ"),
        (["--on", "10/09/2019", "--count"], "Ngày không hợp lệ"),
        (["--province", "99", "--on", "2019-09-10", "--count"], "Không có tỉnh mã «99»"),
        # Phú Yên (54) ended on 1-7-2025, merged into Đắk Lắk.
        (["--province", "54", "--on", "2025-07-01", "--count"], "Không có tỉnh mã «54»"),
    ],
)
def test_units_bad_input_fails_with_a_vietnamese_message(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("units", *args)


def test_load_units_again_is_a_no_op(capsys):
    call_command("load_units", "--province", "66")

    assert "đã nạp từ trước" in capsys.readouterr().out


def test_load_units_unknown_province_fails():
    with pytest.raises(CommandError, match="Không có tỉnh mã «00»"):
        call_command("load_units", "--province", "00")
