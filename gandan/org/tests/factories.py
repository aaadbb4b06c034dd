"""Factories that build through ``gandan.org.services``, so every row passes the same checks,
gets the same derived fields (search and sort keys, events) and the same audit entry as in
production. A refused build raises the service's ``DomainError``."""

import datetime
from typing import Any

import factory

from gandan.geo.models import Level
from gandan.geo.selectors import unit_by_code
from gandan.org import services
from gandan.org.models import Member, Membership, Team

FOUNDING = datetime.date(2004, 7, 5)
NAMES = ["Y Săn Ayun", "H'Hồng Niê", "Y Blir Mlô", "H'Ngơ̆ng Byă", "Nguyễn Văn An", "Y Kŭ Ksơr"]


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    identifier = factory.Sequence(lambda n: f"TV-{n:04d}")
    full_name = factory.Iterator(NAMES)
    gender = Member.Gender.MALE
    ethnicity = "ede"
    languages = factory.LazyFunction(lambda: ["ede"])

    @classmethod
    def _create(cls, model_class: type[Member], *args: Any, **kwargs: Any) -> Member:
        return services.member_create(actor=None, **kwargs)


class TeamFactory(factory.django.DjangoModelFactory):
    """A team of the province (Đắk Lắk, 66) unless given a unit."""

    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Đội công tác số {n}")
    unit = factory.LazyFunction(lambda: unit_by_code("66", level=Level.PROVINCE, on=FOUNDING))
    established_on = FOUNDING
    kind = Team.Kind.DOI

    @classmethod
    def _create(cls, model_class: type[Team], *args: Any, **kwargs: Any) -> Team:
        return services.team_create(actor=None, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(MemberFactory)
    team = factory.SubFactory(TeamFactory)
    start = FOUNDING

    @classmethod
    def _create(cls, model_class: type[Membership], *args: Any, **kwargs: Any) -> Membership:
        return services.membership_start(actor=None, **kwargs)


def team_tree(places: Any) -> Any:
    """Teams of the province, huyện Lắk and two of Lắk's legacy communes (Yang Tao, Nam Ka),
    all from 5-7-2004, on the units of the ``places`` fixture."""
    from types import SimpleNamespace

    province = TeamFactory(name="Đội tỉnh Đắk Lắk", unit=places.dak_lak)
    lak = TeamFactory(name="Đội huyện Lắk", unit=places.lak, parent=province)
    yang_tao = TeamFactory(name="Tổ Yang Tao", unit=places.yang_tao, kind="to", parent=lak)
    nam_ka = TeamFactory(name="Tổ Nam Ka", unit=places.nam_ka, kind="to", parent=lak)
    return SimpleNamespace(province=province, lak=lak, yang_tao=yang_tao, nam_ka=nam_ka)
