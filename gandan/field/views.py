"""The OpenRosa server ODK Collect and KoboCollect talk to (``/field/…``): form list, form
download, manifest, media, and submission (HEAD, then POST). Clients authenticate with HTTP
Basic and a device password (``field.access.device_of``); there is no session and no CSRF
token, so these views are CSRF-exempt and write nothing without valid credentials.

The browser's offline outbox posts the same multipart envelope to ``outbox_submit``
(``offline_views``), with the session and CSRF; both end in :func:`receive`."""

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from gandan.accounts.models import User
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.field import openrosa, selectors, services
from gandan.field.access import OutsideJurisdiction, device_of, instance_input
from gandan.field.instance import MAX_INSTANCE_BYTES, parse_instance
from gandan.field.models import DevicePassword, Submission
from gandan.field.xlsform import VILLAGES_CSV, FieldForm, form_id_of, villages_csv
from gandan.work.models import ActivityType


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def register_versions(user: User, forms: list[FieldForm]) -> None:
    """Remember each form version handed out (a write only the first time: a read first)."""
    known = selectors.form_versions_known([(f.form_id, f.version) for f in forms])
    types = {form_id_of(t): t for t in ActivityType.objects.all()}
    for form in forms:
        if (form.form_id, form.version) not in known:
            services.form_version_register(actor=user, activity_type=types[form.form_id], form=form)


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
def form_list(request: HttpRequest) -> HttpResponse:
    device = device_of(request)
    if device is None:
        return openrosa.unauthorized()
    forms = selectors.field_forms(device.user, today())
    wanted = request.GET.get("formID")
    if wanted:
        forms = [f for f in forms if f.form_id == wanted]
    register_versions(device.user, forms)
    listed = [
        openrosa.ListedForm(
            form_id=f.form_id,
            name=f.title,
            version=f.version,
            md5=f.md5,
            download_url=request.build_absolute_uri(
                reverse("field:form-download", args=[f.form_id])
            ),
            manifest_url=request.build_absolute_uri(
                reverse("field:form-manifest", args=[f.form_id])
            ),
        )
        for f in forms
    ]
    return openrosa.respond(openrosa.form_list_document(listed))


def _form(request: HttpRequest, form_id: str) -> tuple[DevicePassword, FieldForm] | HttpResponse:
    device = device_of(request)
    if device is None:
        return openrosa.unauthorized()
    form = selectors.field_form_by_id(device.user, form_id, today())
    if form is None:
        raise Http404("Không có biểu mẫu này.")
    return device, form


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
def form_download(request: HttpRequest, form_id: str) -> HttpResponse:
    found = _form(request, form_id)
    if isinstance(found, HttpResponse):
        return found
    device, form = found
    register_versions(device.user, [form])
    return openrosa.respond(form.xml)


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
def form_manifest(request: HttpRequest, form_id: str) -> HttpResponse:
    found = _form(request, form_id)
    if isinstance(found, HttpResponse):
        return found
    device, form = found
    data = villages_csv(selectors.places_for(device.user, today()))
    media = openrosa.MediaFile(
        filename=VILLAGES_CSV,
        md5=_md5(data),
        download_url=request.build_absolute_uri(
            reverse("field:form-media", args=[form.form_id, VILLAGES_CSV])
        ),
    )
    return openrosa.respond(openrosa.manifest_document([media]))


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
def form_media(request: HttpRequest, form_id: str, filename: str) -> HttpResponse:
    found = _form(request, form_id)
    if isinstance(found, HttpResponse):
        return found
    if filename != VILLAGES_CSV:
        raise Http404("Không có tệp này.")
    device, _form_found = found
    data = villages_csv(selectors.places_for(device.user, today()))
    return openrosa.respond(data, content_type="text/csv; charset=utf-8")


def receive(
    request: HttpRequest, user: User, *, channel: str, device: DevicePassword | None
) -> HttpResponse:
    """The submission POST: parse, answer a repeat, reach places through access, record.
    Refusals are OpenRosa messages in Vietnamese (Collect shows them); nothing is written."""
    upload = request.FILES.get("xml_submission_file")
    if upload is None:
        return openrosa.message("Thiếu tệp bản ghi (xml_submission_file).", status=400)
    if not user.can_write:
        return openrosa.message(
            "Vai trò của bạn chỉ được xem; không gửi được bản ghi.", status=403, nature="refused"
        )
    if (upload.size or 0) > MAX_INSTANCE_BYTES:
        return openrosa.message(
            "Không ghi nhận: tệp bản ghi quá lớn.", status=413, nature="refused"
        )
    files: dict[str, UploadedFile] = {}
    for name in request.FILES:
        upload_part = request.FILES.get(name)
        if name != "xml_submission_file" and isinstance(upload_part, UploadedFile):
            files[name] = upload_part
    try:
        instance = parse_instance(upload.read())
    except DomainError as error:
        return openrosa.message(f"Không ghi nhận: {error.message}", status=400, nature="refused")
    existing = selectors.submission_of(instance.instance_id)
    try:
        if existing is None:
            receipt = services.submission_receive(
                actor=user,
                instance=instance,
                data=instance_input(user, instance),
                files=files,
                channel=channel,
                device=device,
            )
        elif existing.user_id == user.pk:
            receipt = services.submission_repeat(
                actor=user, submission=existing, instance=instance, files=files
            )
        else:
            return openrosa.message(
                "Mã bản ghi (instanceID) này đã dùng cho bản ghi của người khác.",
                status=409,
                nature="refused",
            )
    except OutsideJurisdiction as error:
        return openrosa.message(f"Không ghi nhận: {error.message}", status=403, nature="refused")
    except DomainError as error:
        return openrosa.message(f"Không ghi nhận: {error.message}", status=400, nature="refused")
    except IntegrityError:
        # The same instance arrived twice at once: the other request recorded it.
        if not Submission.objects.filter(instance_id=instance.instance_id).exists():
            raise
        return openrosa.message(
            "Bản ghi này đã được nhận trước đây; không ghi thêm.", status=202, nature="duplicate"
        )
    activity = receipt.submission.activity
    if not receipt.created:
        response = openrosa.message(
            "Bản ghi này đã được nhận trước đây; không ghi thêm.", status=202, nature="duplicate"
        )
    else:
        response = openrosa.message(
            f"Đã ghi nhận: {activity}.", status=201, nature="submit_success"
        )
    if activity is not None:
        response["Location"] = request.build_absolute_uri(
            reverse("work:activity-detail", args=[activity.pk])
        )
    return response


@csrf_exempt
@require_http_methods(["HEAD", "POST"])
def submission(request: HttpRequest) -> HttpResponse:
    device = device_of(request)
    if device is None:
        return openrosa.unauthorized()
    if request.method == "HEAD":
        return openrosa.respond("", status=204, accept_length=True)
    return receive(request, device.user, channel=Submission.Channel.COLLECT, device=device)
