"""What the cast (see ``conftest.py``) may see: shared by the page, API and jurisdiction tests.

Names refer to the ``places`` fixture. Each table maps a user to (visible, hidden) names.
"""

import datetime

DAY = datetime.timedelta(days=1)
OLD = datetime.date(2019, 9, 10)
REFORM = datetime.date(2025, 7, 1)
FOUNDED = datetime.date(2010, 1, 1)
EDE_NAME = "Buôn Akŏ Dhŏng ơ̆"  # "ơ̆" is ơ + U+0306: no precomposed form, even in NFC

# Who sees which unit, at any date.
SEES = {
    "province_admin": ("lien_son_lak nam_ka phu_yen ea_kao yang_tao_village", "dak_pek"),
    "lak_clerk": ("lak nam_ka yang_tao nam_ka_village", "lien_son_lak ea_kao dak_lak phu_yen"),
    "commune_clerk": (
        "lien_son_lak tt_lien_son yang_tao bong_krang yang_tao_village",
        "nam_ka nam_ka_village lak dak_lak ea_kao",
    ),
    "leader": ("yang_tao phu_yen", "dak_pek"),
    "outsider": ("dak_pek", "dak_lak phu_yen yang_tao lien_son_lak nam_ka_village"),
}

# Who may edit which village; a commune is not a village (404); a leader writing gets 403.
EDIT = {
    "commune_clerk": ("yang_tao_village", "nam_ka_village yang_tao"),
    # Undated corrections act on the village as it is now, under a 2025 commune: not Lắk's.
    "lak_clerk": ("", "yang_tao_village nam_ka_village dak_pek_village"),
    "province_admin": ("nam_ka_village", "dak_pek_village"),
    "leader": ("yang_tao_village", "dak_pek_village"),  # outside first, read-only second
    "outsider": ("dak_pek_village", "yang_tao_village"),
}


def statuses(
    table: dict[str, tuple[str, str]], *, write: bool = False
) -> list[tuple[str, str, int]]:
    """(user, unit, status) rows: 200 for what a user sees, 404 for what they do not;
    a leader who writes inside their jurisdiction gets 403."""
    return [
        (who, target, 403 if write and who == "leader" and status == 200 else status)
        for who, (visible, hidden) in table.items()
        for status, names in ((200, visible), (404, hidden))
        for target in names.split()
    ]
