from django.urls import path

from gandan.org import award_views, excel_views, views

app_name = "org"

urlpatterns = [
    path("teams/", views.team_list, name="team-list"),
    path("teams/results/", views.team_results, name="team-results"),
    path("teams/members.xlsx", views.member_export, name="member-export"),
    path("teams/<int:pk>/", views.team_detail, name="team-detail"),
    path("teams/<int:pk>/members/new/", views.membership_create, name="membership-create"),
    path("members/<int:pk>/", views.member_detail, name="member-detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("headcount/", views.headcount_page, name="headcount"),
    path("awards/", award_views.award_list, name="award-list"),
    path("awards/results/", award_views.award_results, name="award-results"),
    path("awards/new/", award_views.award_create, name="award-create"),
    path("roster/import/", excel_views.roster_import, name="roster-import"),
    path("roster/template.xlsx", excel_views.roster_template, name="roster-template"),
    path("roster/export.xlsx", excel_views.roster_export, name="roster-export"),
]
