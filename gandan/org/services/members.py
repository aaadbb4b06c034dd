"""Members: the person's own record (name, gender, ethnicity, languages). Audited."""

from collections.abc import Iterable

from django.db import transaction

from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.core.text import clean, fold, sort_key
from gandan.org.models import (
    ETHNIC_GROUPS,
    LANGUAGES,
    Member,
)


def _clean_member_fields(
    *, full_name: str, gender: str, ethnicity: str, birth_year: int | None, languages: Iterable[str]
) -> tuple[str, list[str]]:
    full_name = clean(full_name)
    if not full_name:
        raise DomainError("Họ và tên không được để trống.", field="full_name")
    if gender not in Member.Gender.values:
        raise DomainError(f"Giới tính không hợp lệ: «{gender}».", field="gender")
    if ethnicity not in dict(ETHNIC_GROUPS):
        raise DomainError(f"Dân tộc không hợp lệ: «{ethnicity}».", field="ethnicity")
    if birth_year is not None and not 1930 <= birth_year <= today().year - 16:
        raise DomainError(f"Năm sinh không hợp lệ: {birth_year}.", field="birth_year")
    known = dict(LANGUAGES)
    langs = sorted(set(languages))
    unknown = [lang for lang in langs if lang not in known]
    if unknown:
        raise DomainError(f"Tiếng dân tộc không hợp lệ: {', '.join(unknown)}.", field="languages")
    return full_name, langs


@transaction.atomic
def member_create(
    *,
    actor: Actor,
    identifier: str,
    full_name: str,
    gender: str,
    ethnicity: str,
    birth_year: int | None = None,
    languages: Iterable[str] = (),
    phone: str = "",
    email: str = "",
) -> Member:
    identifier = clean(identifier).upper()
    if not identifier:
        raise DomainError("Mã cán bộ không được để trống.", field="identifier")
    if Member.objects.filter(identifier=identifier).exists():
        raise DomainError(f"Mã cán bộ «{identifier}» đã có.", field="identifier")
    full_name, langs = _clean_member_fields(
        full_name=full_name,
        gender=gender,
        ethnicity=ethnicity,
        birth_year=birth_year,
        languages=languages,
    )
    member = Member.objects.create(
        identifier=identifier,
        full_name=full_name,
        gender=gender,
        ethnicity=ethnicity,
        birth_year=birth_year,
        languages=langs,
        phone=clean(phone),
        email=clean(email),
        search_name=fold(full_name),
        sort_key=sort_key(full_name),
    )
    audit_log(
        actor=actor,
        action="org.member_create",
        target=member,
        message=f"Thêm thành viên {member} ({identifier})",
    )
    return member


@transaction.atomic
def member_update(
    *,
    actor: Actor,
    member: Member,
    full_name: str,
    gender: str,
    ethnicity: str,
    birth_year: int | None,
    languages: Iterable[str],
    phone: str,
    email: str,
) -> Member:
    full_name, langs = _clean_member_fields(
        full_name=full_name,
        gender=gender,
        ethnicity=ethnicity,
        birth_year=birth_year,
        languages=languages,
    )
    member.full_name, member.gender, member.ethnicity = full_name, gender, ethnicity
    member.birth_year, member.languages = birth_year, langs
    member.phone, member.email = clean(phone), clean(email)
    member.search_name, member.sort_key = fold(full_name), sort_key(full_name)
    member.save()
    audit_log(
        actor=actor,
        action="org.member_update",
        target=member,
        message=f"Sửa thông tin thành viên {member}",
    )
    return member
