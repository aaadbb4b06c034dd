from typing import Any

CASE_KINDS = [
    ("khieu_nai", "Khiếu nại", 30),
    ("tranh_chap_dat", "Tranh chấp đất đai", 45),
    ("mau_thuan", "Mâu thuẫn trong cộng đồng", 15),
    ("kho_khan_doi_song", "Khó khăn đời sống", 15),
    ("ket_cau_ha_tang", "Kiến nghị hạ tầng (đường, nước, trường học)", 60),
    ("moi_truong", "Môi trường", 30),
    ("trat_tu", "Trật tự an toàn xã hội", 10),
]


def kinds_seed(model: Any = None) -> int:
    """Create the seeded case kinds that are missing; an admin's edits stay. Migrations pass
    their historical model. Returns how many were created."""
    if model is None:
        from gandan.cases.models import CaseKind as model
    created = 0
    for code, name, days in CASE_KINDS:
        _, new = model.objects.get_or_create(
            code=code, defaults={"name": name, "deadline_days": days}
        )
        created += new
    return created
