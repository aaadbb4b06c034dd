"""``gandan report export``: the same checks as creating a report in the app."""

import pytest
from django.core.management import CommandError, call_command
from docx import Document as Docx

pytestmark = pytest.mark.django_db


def _export(tmp_path, *args):
    out = tmp_path / "bao-cao.docx"
    call_command("report", "export", *args, "--format", "docx", "--out", str(out))
    return out


def test_a_report_not_yet_made_is_rendered_as_a_draft_from_the_records(tmp_path, yearly, field):
    out = _export(tmp_path, "--regime", "yearly", "--unit", "24583", "--period", "2019")

    text = "\n".join(p.text for p in Docx(str(out)).paragraphs)
    assert "2019" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # a yearly regime is not reported by quarter
        (
            ["--unit", "24583", "--period", "2019-Q3"],
            "báo cáo theo kỳ «year», không theo «2019-Q3»",
        ),
        # xã Yang Tao ended on 1-7-2025 (the unit is looked up on the period's last day)
        (
            ["--unit", "24583", "--period", "2025", "--boundaries", "2019-09-10"],
            "không có hiệu lực vào ngày cuối kỳ 14/12/2025",
        ),
    ],
)
def test_the_command_refuses_what_report_create_refuses(tmp_path, yearly, field, args, message):
    with pytest.raises(CommandError, match=message):
        _export(tmp_path, "--regime", "yearly", *args)
