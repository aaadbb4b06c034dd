from django.urls import path

from gandan.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_queue, name="case-queue"),
]
