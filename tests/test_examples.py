"""The files a clinic copies must stay valid and complete."""

from __future__ import annotations

from pathlib import Path

from bot.clinic import ClinicConfig, load_clinic_config
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_example_clinic_file_loads() -> None:
    config = load_clinic_config(ROOT / "clinic.example.toml")
    assert config.clinic.name == "Riverside Ketamine Clinic"
    assert config.appointments.kinds["infusion"].lead_hours == (24.0, 2.0)
    assert config.questionnaires == ClinicConfig().questionnaires  # the example shows the real defaults


def test_env_example_lists_every_setting() -> None:
    listed = {
        line.split("=", 1)[0].strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    assert listed == {name.upper() for name in Settings.model_fields}
