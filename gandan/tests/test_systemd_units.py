"""The systemd units in deploy/systemd name commands, options and settings that exist."""

import configparser
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("gandan*.service"))
INSTALLED = "/srv/gandan/"


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser


def _commands(path: Path) -> list[list[str]]:
    service = _unit(path)["Service"]
    return [service[key].split() for key in ("ExecStartPre", "ExecStart") if key in service]


def test_there_are_units_for_the_web_the_worker_and_the_backup():
    names = {path.name for path in UNITS}
    assert {"gandan-web.service", "gandan-worker@.service", "gandan-backup.service"} <= names
    assert (ROOT / "deploy" / "systemd" / "gandan-backup.timer").exists()


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_every_command_exists_with_its_options(path):
    for command in _commands(path):
        program = command[0].removeprefix(INSTALLED)
        if program == ".venv/bin/gandan":
            help_text = subprocess.run(  # noqa: S603 (our own units)
                [sys.executable, "-m", "django", command[1], "--help"],
                capture_output=True, text=True, check=True,
                env={"DJANGO_SETTINGS_MODULE": "gandan.settings", "GANDAN_ALLOW_INSECURE_KEY": "1",
                     "PATH": "/usr/bin:/bin"},
                cwd=ROOT,
            ).stdout  # fmt: skip
            for option in (word for word in command[2:] if word.startswith("--")):
                assert option in help_text, (path.name, option)
        else:
            assert (ROOT / program).exists(), (path.name, program)


def test_the_example_environment_names_only_settings_that_exist():
    settings_source = (ROOT / "gandan" / "settings.py").read_text(encoding="utf-8")
    serve = (ROOT / "bin" / "serve").read_text(encoding="utf-8")
    example = (ROOT / "deploy" / "systemd" / "gandan.env.example").read_text(encoding="utf-8")
    for name in re.findall(r"^#? ?([A-Z_]+)=", example, flags=re.MULTILINE):
        assert f'"{name}"' in settings_source or name in serve, name
