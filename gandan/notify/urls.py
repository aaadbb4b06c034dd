from django.urls import path

from gandan.notify import views

app_name = "notify"

urlpatterns = [
    path("inbox/", views.inbox_page, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="read-all"),
    path("inbox/<int:pk>/read/", views.notification_read, name="read"),
    path("inbox/preferences/", views.preferences_page, name="preferences"),
]
