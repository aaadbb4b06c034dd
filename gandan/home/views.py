"""The landing page after signing in: "Việc cần làm"."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gandan.accounts.access import user_of
from gandan.core.dates import today
from gandan.home.selectors import today_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    on = today()
    return render(request, "home/home.html", {"today": today_for(user, on), "on": on})
