"""Seeded activity types and movements (data; admins can add more)."""

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
