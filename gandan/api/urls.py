from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

from gandan.api import analytics, cases, catalogue, geo, org, reports, work
from gandan.api.docs import OfflineSwagger
from gandan.core.errors import DomainError, OutsideJurisdiction

api = NinjaAPI(
    title="Gần Dân API",
    version="1",
    description="API của Gần Dân. Mọi đối tượng được lọc theo địa bàn của người dùng (404 ngoài địa bàn).",
    auth=django_auth,
    urls_namespace="api",
    docs=OfflineSwagger(),
)
api.add_router("/", geo.router)
api.add_router("/", org.router)
api.add_router("/", analytics.router)
api.add_router("/", catalogue.router)
api.add_router("/", work.router)
api.add_router("/", reports.router)
api.add_router("/", cases.router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=422)


@api.exception_handler(OutsideJurisdiction)
def outside_jurisdiction(request: HttpRequest, exc: OutsideJurisdiction) -> HttpResponse:
    """A write whose effect reaches outside the caller's jurisdiction in place or time."""
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Không tìm thấy."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Không có quyền."}, status=403)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Django-ninja's 422, with the first offending field named as our own errors name it."""
    where = exc.errors[0].get("loc", ()) if exc.errors else ()
    field = str(where[-1]) if where else None
    return api.create_response(request, {"detail": exc.errors, "field": field}, status=422)
