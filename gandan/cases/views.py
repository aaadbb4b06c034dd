from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def case_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/queue.html", {})
