"""Every export format by name: the bytes, a file name and a media type."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from bot.export.fhir import render_fhir
from bot.export.json_doc import render_json
from bot.export.model import ExportData
from bot.export.timeline_csv import render_csv


class Format(enum.StrEnum):
    CSV = "csv"
    JSON = "json"
    PDF = "pdf"
    FHIR = "fhir"


@dataclass(frozen=True, slots=True)
class ExportFile:
    content: bytes
    filename: str
    media_type: str


def _render_pdf(data: ExportData) -> bytes:
    # matplotlib and reportlab take a second to import: only the PDF pays for them.
    from bot.export.pdf import render_pdf

    return render_pdf(data)


_RENDERERS: dict[Format, tuple[Callable[[ExportData], bytes], str, str]] = {
    Format.CSV: (render_csv, "csv", "text/csv"),
    Format.JSON: (render_json, "json", "application/json"),
    Format.PDF: (_render_pdf, "pdf", "application/pdf"),
    Format.FHIR: (render_fhir, "fhir.json", "application/fhir+json"),
}


def parse_format(text: str | None, default: Format = Format.PDF) -> Format | None:
    """The format named by `text` (any case), the default when nothing is named, None when unknown."""
    if not text:
        return default
    try:
        return Format(text.strip().lower())
    except ValueError:
        return None


def file_name(data: ExportData, fmt: Format) -> str:
    """Ids and dates only: a file name is seen in download folders and chat lists, a name would say too much."""
    extension = _RENDERERS[fmt][1]
    return f"patient-{data.profile.id}-{data.local(data.generated_at):%Y%m%d-%H%M}.{extension}"


def render(data: ExportData, fmt: Format) -> ExportFile:
    renderer, _, media_type = _RENDERERS[fmt]
    return ExportFile(renderer(data), file_name(data, fmt), media_type)
