import pytest

from gandan.org import services
from gandan.tests.browser import login, screenshot_path
from gandan.tests.cast import REFORM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_clerk_adds_a_member_and_sees_the_headcount_change(
    real_units, live_server, page, commune_clerk, unit
):
    # given a team of xã Liên Sơn Lắk (from the 2025 reform) with its team leader
    commune = unit("24580", "commune", REFORM)
    team = services.team_create(
        actor=None,
        name="Tổ công tác PĐQC xã Liên Sơn Lắk",
        unit=commune,
        established_on=REFORM,
        kind="to",
    )
    leader = services.member_create(
        actor=None,
        identifier="LSL-0001",
        full_name="Y Săn Ayun",
        gender="nam",
        ethnicity="ede",
        birth_year=1982,
        languages=["ede"],
    )
    services.membership_start(
        actor=None, member=leader, team=team, start=REFORM, position="to_truong"
    )
    login(page, live_server.url, "liensonlak_clerk", "matkhau-demo-253")

    # when the commune clerk opens the headcount: their commune, today, one member
    page.click("nav.mainnav >> text=Quân số")
    assert page.inner_text("#headcount-total") == "1"
    assert "Xã Liên Sơn Lắk" in page.inner_text("#unit option:checked")
    page.screenshot(path=screenshot_path("org-headcount-before"), full_page=True)

    # and finds the team in the team tree with the htmx search
    page.click("nav.mainnav >> text=Đội công tác")
    # (htmx listens from DOMContentLoaded on: typing earlier is never sent)
    page.wait_for_load_state()
    page.fill("#q", "lien son")
    page.wait_for_url("**/teams/?*q=lien+son*")
    page.screenshot(path=screenshot_path("org-team-tree"), full_page=True)
    page.click(f"#team-results >> text={team.name}")

    # and adds a new member (an Ê Đê name, typed as is) to the team
    page.click("#add-member")
    page.fill("#id_identifier", "lsl-0002")
    page.fill("#id_full_name", "H'Ngơ̆ng Byă")
    page.select_option("#id_gender", "nu")
    page.select_option("#id_ethnicity", "ede")
    page.fill("#id_birth_year", "1994")
    page.check("text=Tiếng Ê Đê")
    page.check("text=Tiếng M'nông")
    page.select_option("#id_position", "thanh_vien")
    page.screenshot(path=screenshot_path("org-add-member-form"), full_page=True)
    page.click("text=Thêm vào đội")

    # then the team page lists her
    assert "Đã thêm H'Ngơ̆ng Byă vào" in page.inner_text(".flash")
    members = page.inner_text("#members")
    assert "H'Ngơ̆ng Byă" in members
    assert "Y Săn Ayun" in members
    assert "2 người" in page.inner_text("#members-heading")
    page.screenshot(path=screenshot_path("org-team-after-adding"), full_page=True)

    # and the headcount has gone up by one, with both in the aggregates
    page.click("nav.mainnav >> text=Quân số")
    page.wait_for_load_state()
    assert page.inner_text("#headcount-total") == "2"
    page.select_option("#by", "gender")
    page.wait_for_url("**by=gender*")
    assert "Nữ\t1" in page.inner_text("#breakdown")
    page.screenshot(path=screenshot_path("org-headcount-after"), full_page=True)

    # and her page hides her ethnicity from the clerk
    page.click("nav.mainnav >> text=Đội công tác")
    page.click(f"#team-results >> text={team.name}")
    page.click("#members >> text=H'Ngơ̆ng Byă")
    assert page.inner_text("#ethnicity") == "(ẩn)"
    page.screenshot(path=screenshot_path("org-member-page"), full_page=True)
