"""The only way pages reach a notification: a user's own, nobody else's (404 otherwise, even
for an administrator: notifications are personal)."""

from django.http import Http404

from gandan.accounts.models import User
from gandan.notify.models import Notification


def access_notification(user: User, notification_id: int | str) -> Notification:
    """One of the user's own notifications; any other does not exist for them."""
    try:
        pk = int(notification_id)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy thông báo.") from None
    notification = Notification.objects.filter(pk=pk, user=user).first()
    if notification is None:
        raise Http404("Không tìm thấy thông báo.")
    return notification
