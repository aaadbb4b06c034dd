import pytest
from django.core.management import call_command

from gandan.accounts.models import User
from gandan.geo.models import AdminUnit


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_is_idempotent(capsys):
    call_command("demo")
    counts = (User.objects.count(), AdminUnit.objects.count())
    call_command("demo")

    assert (User.objects.count(), AdminUnit.objects.count()) == counts
    out = capsys.readouterr().out
    assert "liensonlak" in out
    assert "demo253" in out
