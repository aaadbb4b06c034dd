CASE_KINDS = [
    ("khieu_nai", "Khiếu nại", 30),
    ("tranh_chap_dat", "Tranh chấp đất đai", 45),
    ("mau_thuan", "Mâu thuẫn trong cộng đồng", 15),
    ("kho_khan_doi_song", "Khó khăn đời sống", 15),
    ("ket_cau_ha_tang", "Kiến nghị hạ tầng (đường, nước, trường học)", 60),
    ("moi_truong", "Môi trường", 30),
    ("trat_tu", "Trật tự an toàn xã hội", 10),
]
