from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from gandan.api import analytics, cases, geo, org, reports, work
from gandan.core.errors import DomainError

api = NinjaAPI(
    title="Gần Dân API",
    version="1",
    description="API của Gần Dân. Mọi đối tượng được lọc theo địa bàn của người dùng (404 ngoài địa bàn).",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/", geo.router)
api.add_router("/", org.router)
api.add_router("/", analytics.router)
api.add_router("/", work.router)
api.add_router("/", reports.router)
api.add_router("/", cases.router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Không tìm thấy."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Không có quyền."}, status=403)
