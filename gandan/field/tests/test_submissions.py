"""Submissions through the service web entry uses: the rule for older form versions,
roles, the audit log, the records list, and exactly-once under repeats (hypothesis)."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gandan.core.models import AuditEntry
from gandan.field.models import FormVersion, Submission
from gandan.field.tests.collect import fill, multipart, post
from gandan.indicators.models import Indicator
from gandan.work.models import Activity

pytestmark = pytest.mark.django_db

ON = datetime.date(2025, 9, 1)


@pytest.fixture
def clerk_phone(client, field, commune_clerk, collect_login):
    d = collect_login(commune_clerk)
    form = client.get("/field/forms/gandan_pdqc/form.xml", **d.auth).content
    return d, form


def _answers(field, **extra):
    return {"start": ON.isoformat(), "commune": str(field.lien_son_lak.pk),
            "villages": str(field.yt_a.pk), "participants": "30", **extra}  # fmt: skip


def test_an_older_version_is_accepted_while_its_indicators_still_exist(client, field, clerk_phone):
    d, old_form = clerk_phone
    Indicator.objects.create(code="wells_repaired", name_vi="Giếng sửa chữa", name_en="Wells repaired",
                             unit="giếng", group="production", aggregation="sum")  # fmt: skip
    new_form = client.get("/field/forms/gandan_pdqc/form.xml", **d.auth).content
    assert new_form != old_form

    response = post(client, "/field/submission",
                    multipart(fill(old_form, _answers(field, v_leaflets="200"))), **d.auth)  # fmt: skip

    assert response.status_code == 201, response.content.decode()
    activity = Activity.objects.get()
    assert activity.values.get().indicator.code == "leaflets"
    assert FormVersion.objects.filter(activity_type__code="pdqc").count() == 2


def test_an_older_version_is_refused_when_an_indicator_changed_unit(client, field, clerk_phone):
    d, old_form = clerk_phone
    Indicator.objects.filter(code="money_vnd").update(unit="nghìn đồng")

    response = post(client, "/field/submission",
                    multipart(fill(old_form, _answers(field, v_money_vnd="5000000"))), **d.auth)  # fmt: skip

    assert response.status_code == 400
    body = response.content.decode()
    assert "nay tính bằng «nghìn đồng»" in body
    assert "hỏi bằng «đồng»" in body
    assert "hãy tải lại biểu mẫu trống" in body
    assert not Activity.objects.exists()


def test_an_older_version_without_the_changed_indicator_answered_is_accepted(
    client, field, clerk_phone
):
    d, old_form = clerk_phone
    Indicator.objects.filter(code="money_vnd").update(unit="nghìn đồng")

    response = post(
        client, "/field/submission", multipart(fill(old_form, _answers(field))), **d.auth
    )

    assert response.status_code == 201


def test_a_version_the_server_never_issued_is_refused(client, field, clerk_phone):
    d, form = clerk_phone
    forged = form.decode().replace('version="v', 'version="x', 1).encode()

    response = post(client, "/field/submission", multipart(fill(forged, _answers(field))), **d.auth)

    assert response.status_code == 400
    assert "không do máy chủ này phát hành" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_read_only_leader_cannot_submit(client, field, leader, clerk_phone):
    from gandan.core.errors import DomainError
    from gandan.field.access import secret_digest
    from gandan.field.models import DevicePassword
    from gandan.field.services import device_password_create
    from gandan.field.tests.conftest import COLLECT_HEADERS, basic

    _d, form = clerk_phone
    with pytest.raises(DomainError, match="chỉ được xem"):
        device_password_create(actor=leader, label="Máy lãnh đạo")
    # a password made while the user was a clerk, before the role became read-only
    DevicePassword.objects.create(user=leader, label="Máy cũ", digest=secret_digest("cu-253"))

    response = post(client, "/field/submission", multipart(fill(form, _answers(field))),
                    **COLLECT_HEADERS, **basic(leader.username, "cu-253"))  # fmt: skip

    assert response.status_code == 403
    assert "chỉ được xem" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_submission_is_audited_and_marked_in_the_records_list(
    client, field, commune_clerk, clerk_phone
):
    d, form = clerk_phone
    post(
        client,
        "/field/submission",
        multipart(fill(form, _answers(field, title="Họp buôn"))),
        **d.auth,
    )
    activity = Activity.objects.get()

    entry = AuditEntry.objects.get(action="field.submission_receive")
    client.force_login(commune_clerk)
    listing = client.get("/activities/").content.decode()

    assert entry.actor_id == commune_clerk.pk
    assert entry.target_id == str(activity.pk)
    assert entry.data["instance_id"] == activity.field_submission.instance_id
    assert AuditEntry.objects.filter(
        action="work.activity_create", target_id=str(activity.pk)
    ).exists()
    assert 'class="badge field"' in listing
    assert listing.count('class="badge field"') == 1


def test_the_same_instance_id_from_another_user_is_refused(
    client, field, clerk_phone, province_admin, collect_login
):
    d, form = clerk_phone
    xml = fill(form, _answers(field), instance_id="uuid:shared")
    post(client, "/field/submission", multipart(xml), **d.auth)

    other = post(client, "/field/submission", multipart(xml), **collect_login(province_admin).auth)

    assert other.status_code == 409
    assert Activity.objects.count() == 1


def test_a_malformed_instance_is_refused_naming_the_field(client, field, clerk_phone):
    d, form = clerk_phone

    bad_date = post(
        client,
        "/field/submission",
        multipart(fill(form, _answers(field, start="01/09/2025"))),
        **d.auth,
    )
    not_xml = post(client, "/field/submission", multipart(b"<data"), **d.auth)
    no_file = client.post("/field/submission", {}, **d.auth)

    assert bad_date.status_code == 400
    assert "Ngày bắt đầu «01/09/2025» không phải là ngày." in bad_date.content.decode()
    assert "không phải XML hợp lệ" in not_xml.content.decode()
    assert no_file.status_code == 400
    assert not Activity.objects.exists()


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sends=st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=6))
def test_any_sequence_of_sends_and_repeats_records_each_instance_once(
    client, field, clerk_phone, sends
):
    # given three distinct instances, sent in any order, each any number of times
    d, form = clerk_phone
    Submission.objects.all().delete()
    Activity.objects.filter(origin="field").delete()
    bodies = [multipart(fill(form, _answers(field, title=f"Bản ghi {i}"), instance_id=f"uuid:p{i}"))
              for i in range(3)]  # fmt: skip

    statuses = [post(client, "/field/submission", bodies[i], **d.auth).status_code for i in sends]

    # then each distinct instance is one record; only its first send created it
    assert Activity.objects.count() == len(set(sends))
    first = {i: sends.index(i) for i in set(sends)}
    assert statuses == [201 if first[i] == n else 202 for n, i in enumerate(sends)]


def test_a_field_submission_with_a_bidi_override_in_its_notes_is_refused(
    client, field, clerk_phone
):
    d, form = clerk_phone
    answers = _answers(field)

    refused = post(client, "/field/submission",
                   multipart(fill(form, answers | {"notes": "Dòng 1\n\u202edòng 2"})), **d.auth)  # fmt: skip
    kept = post(client, "/field/submission",
                multipart(fill(form, answers | {"notes": "Dòng 1\nDòng 2", "title": "Họp buôn"})), **d.auth)  # fmt: skip

    assert refused.status_code == 400
    assert "«Ghi chú» chứa ký tự không được phép U+202E" in refused.content.decode()
    assert kept.status_code == 201
    assert Activity.objects.get().notes == "Dòng 1\nDòng 2"
