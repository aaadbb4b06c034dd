"""Notifying: once per key, never the actor, muted kinds kept out of the inbox, email only
for those who chose it (Django's locmem outbox), choices audited."""

import pytest
from django.core import mail

from gandan.core.errors import DomainError
from gandan.core.models import AuditEntry
from gandan.notify.models import Kind, Notification
from gandan.notify.selectors import inbox, preference_of, unread_count
from gandan.notify.services import (
    Notice,
    notification_read,
    notifications_read_all,
    notify,
    preference_save,
)

pytestmark = pytest.mark.django_db

NOTICE = Notice(
    Kind.REPORT_SUBMITTED, "Báo cáo năm 2019 của xã Yang Tao đã gửi lên.", "/reports/1/"
)


def test_each_user_is_told_once_and_the_actor_never(lak_clerk, province_admin):
    created = notify(actor=province_admin, users=[lak_clerk, province_admin], notice=NOTICE)

    assert [n.user for n in created] == [lak_clerk]
    assert unread_count(lak_clerk) == 1
    assert unread_count(province_admin) == 0


def test_a_keyed_notice_is_sent_once(lak_clerk, commune_clerk):
    keyed = Notice(Kind.REPORT_DUE, "Nhắc nộp", "/reports/", key="report_due:yearly:1:2019")

    first = notify(actor=None, users=[lak_clerk], notice=keyed)
    second = notify(actor=None, users=[lak_clerk, commune_clerk], notice=keyed)

    assert len(first) == 1
    assert [n.user for n in second] == [commune_clerk]
    assert Notification.objects.filter(key=keyed.key).count() == 2


def test_unkeyed_notices_repeat(lak_clerk):
    notify(actor=None, users=[lak_clerk], notice=NOTICE)
    notify(actor=None, users=[lak_clerk], notice=NOTICE)

    assert unread_count(lak_clerk) == 2


def test_an_unknown_kind_is_refused(lak_clerk):
    with pytest.raises(DomainError, match="Loại thông báo"):
        notify(actor=None, users=[lak_clerk], notice=Notice("spam", "x", "/"))


def test_a_muted_kind_is_kept_out_of_the_inbox(lak_clerk):
    shown = [k for k in Kind.values if k != Kind.REPORT_SUBMITTED]
    preference_save(actor=lak_clerk, user=lak_clerk, shown=shown, email=[])

    notify(actor=None, users=[lak_clerk], notice=NOTICE)

    assert unread_count(lak_clerk) == 0
    assert not inbox(lak_clerk).exists()
    assert Notification.objects.filter(user=lak_clerk, shown=False).count() == 1


def test_email_goes_only_to_who_chose_it_after_the_commit(
    lak_clerk, commune_clerk, django_capture_on_commit_callbacks
):
    lak_clerk.email = "lak@example.org"
    lak_clerk.save()
    commune_clerk.email = "xa@example.org"
    commune_clerk.save()
    preference_save(
        actor=lak_clerk, user=lak_clerk, shown=Kind.values, email=[Kind.REPORT_SUBMITTED]
    )

    with django_capture_on_commit_callbacks(execute=True):
        notify(actor=None, users=[lak_clerk, commune_clerk], notice=NOTICE)
        assert mail.outbox == []  # nothing leaves before the commit

    assert [m.to for m in mail.outbox] == [["lak@example.org"]]
    assert "xã Yang Tao" in mail.outbox[0].subject
    assert "/reports/1/" in mail.outbox[0].body


def test_by_default_everything_in_the_app_and_no_email(lak_clerk):
    preference = preference_of(lak_clerk)

    assert all(preference.shows(k) for k in Kind.values)
    assert not any(preference.emails(k) for k in Kind.values)


def test_choosing_email_needs_an_address(lak_clerk):
    with pytest.raises(DomainError, match="địa chỉ thư điện tử"):
        preference_save(actor=lak_clerk, user=lak_clerk, shown=[], email=[Kind.CASE_OVERDUE])


def test_choices_are_audited(lak_clerk):
    preference_save(actor=lak_clerk, user=lak_clerk, shown=[Kind.CASE_OVERDUE], email=[])

    entry = AuditEntry.objects.get(action="notify.preference")
    assert entry.actor_id == lak_clerk.pk
    assert "lak_clerk" in entry.message


def test_read_one_and_all(lak_clerk, commune_clerk):
    mine = notify(actor=None, users=[lak_clerk, commune_clerk], notice=NOTICE)
    notify(actor=None, users=[lak_clerk], notice=NOTICE)

    notification_read(user=lak_clerk, notification=mine[0])
    assert unread_count(lak_clerk) == 1
    with pytest.raises(DomainError):
        notification_read(user=lak_clerk, notification=mine[1])  # commune_clerk's

    assert notifications_read_all(user=lak_clerk) == 1
    assert unread_count(lak_clerk) == 0
    assert unread_count(commune_clerk) == 1
