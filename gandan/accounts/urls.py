from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from gandan.accounts import account_views, audit_views, login_views

app_name = "accounts"

urlpatterns = [
    path("login/", login_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", login_views.two_factor, name="two-factor"),
    path("2fa/enrol/", login_views.two_factor_enrol, name="two-factor-enrol"),
    path("2fa/recovery-codes/", login_views.recovery_codes, name="recovery-codes"),
    path("sessions/", account_views.session_list, name="sessions"),
    path("sessions/end-others/", account_views.sessions_end_others, name="sessions-end-others"),
    path("users/", account_views.user_list, name="user-list"),
    path("users/new/", account_views.user_create, name="user-create"),
    path("users/<int:pk>/", account_views.user_edit, name="user-edit"),
    path("users/<int:pk>/password/", account_views.user_password, name="user-password"),
    path("users/<int:pk>/unlock/", account_views.user_unlock, name="user-unlock"),
    path("users/<int:pk>/2fa-reset/", account_views.user_two_factor_reset, name="user-2fa-reset"),
    path("audit/", audit_views.audit_list, name="audit"),
    path("audit/export.xlsx", audit_views.audit_export, name="audit-export"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password-change-done"),
        ),
        name="password-change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password-change-done",
    ),
]
