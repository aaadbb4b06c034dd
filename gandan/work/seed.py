"""Seeded activity types and movements (data; admins can add more)."""

from typing import Any

ACTIVITY_TYPES = [
    ("pdqc", "Đợt phát động quần chúng"),
    ("tuyen_truyen", "Buổi tuyên truyền"),
    ("huong_dan_ky_thuat", "Buổi hướng dẫn kỹ thuật (cây trồng, vật nuôi)"),
    ("tham_ho", "Thăm hộ"),
    ("giao_ban", "Họp giao ban"),
    ("giai_quyet_vu_viec", "Phối hợp giải quyết vụ việc"),
    ("lop_hoc_he", "Lớp học hè"),
    ("cung_co_to_chuc", "Củng cố tổ chức cơ sở"),
    ("van_dong_ntm", "Vận động xây dựng nông thôn mới"),
]

MOVEMENTS = [
    ("lao_dong_gioi", "Phong trào “Lao động giỏi, lao động sáng tạo”"),
    ("xoa_doi_giam_ngheo", "Phong trào “Xóa đói giảm nghèo”"),
    ("vi_suc_khoe", "Phong trào “Vì sức khỏe của nhân dân”"),
    ("ntm_dtvm", "Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”"),
    ("bao_ve_an_ninh", "Phong trào “Toàn dân bảo vệ an ninh Tổ quốc”"),
    ("dan_van_kheo", "Phong trào thi đua “Dân vận khéo”"),
]


def types_movements_seed(*, activity_type: Any = None, movement: Any = None) -> int:
    """Create the seeded activity types and movements that are missing; an admin's edits
    stay. Migrations pass their historical models. Returns how many rows were created."""
    if activity_type is None or movement is None:
        from gandan.work.models import ActivityType, Movement

        activity_type, movement = activity_type or ActivityType, movement or Movement
    created = 0
    for position, (code, name) in enumerate(ACTIVITY_TYPES):
        _, new = activity_type.objects.get_or_create(
            code=code, defaults={"name": name, "position": position * 10}
        )
        created += new
    for code, name in MOVEMENTS:
        _, new = movement.objects.get_or_create(code=code, defaults={"name": name})
        created += new
    return created
