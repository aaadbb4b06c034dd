from django.urls import path

from gandan.home import views

urlpatterns = [path("", views.home, name="home")]
