"""The PDF report is fit for a public body: tagged, fonts embedded, bookmarks, title, Dutch.

The golden file ``tests/golden/report/week48.pdf.json`` holds what a reader and a screen reader
get from the PDF of week 48 on the seed (text per page, bookmarks, language, tagging, fonts),
not its bytes: another WeasyPrint or Pango may set the same page with other bytes. Regenerate it
on purpose with ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report_pdf.py`` and review it.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pypdf
import pytest
from pypdf.generic import DictionaryObject

from hecht_tracker.core.model import ActionKind
from hecht_tracker.services.report import weekly_report as render_weekly
from hecht_tracker.storage.store import Store
from tests.conftest import TODAY

GOLDEN = Path(__file__).parent / "golden" / "report" / "week48.pdf.json"


def _outline(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, list):
            out.append(_outline(item))
        else:
            out.append(item.title)
    return out


def _fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Every font on every page, and whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        fonts = resources.get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            found[name] = found.get(name, True) and embedded
    return dict(sorted(found.items()))


def structure(pdf: bytes) -> dict[str, Any]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert isinstance(root, DictionaryObject)
    metadata = reader.metadata or {}
    preferences = root.get("/ViewerPreferences", {})
    xmp = root["/Metadata"].get_object().get_data().decode() if "/Metadata" in root else ""
    return {
        "title": metadata.get("/Title"),
        "lang": str(root.get("/Lang")),
        "marked": bool(root.get("/MarkInfo", {}).get("/Marked")),
        "structure_tree": "/StructTreeRoot" in root,
        "shows_title": bool(preferences.get("/DisplayDocTitle")),
        "pdf_ua": "pdfuaid:part" in xmp or "<pdfuaid:part>1" in xmp,
        "fonts_embedded": _fonts(reader),
        "outline": _outline(reader.outline),
        "pages": [" ".join(page.extract_text().split()) for page in reader.pages],
    }


@pytest.fixture(scope="module")
def week48(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tests.conftest import FixedClock

    path = tmp_path_factory.mktemp("pdf") / "hecht.sqlite"
    with Store.open(path, clock=FixedClock()) as store:
        store.today_override = TODAY
        return structure(render_weekly(store, TODAY, TODAY, "pdf"))


def test_week48_as_pdf_matches_its_golden_text_and_structure(week48: dict[str, Any]) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(week48, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert week48 == json.loads(GOLDEN.read_text("utf-8"))


def test_the_pdf_is_tagged_dutch_titled_and_has_embedded_fonts(week48: dict[str, Any]) -> None:
    assert week48["lang"] == "nl"
    assert week48["marked"] and week48["structure_tree"] and week48["pdf_ua"]
    assert week48["title"].startswith("Hecht — Gezond Vooruit! statusrapport week 48")
    assert week48["shows_title"]
    assert week48["fonts_embedded"] and all(week48["fonts_embedded"].values())
    assert all(name.startswith("DejaVu") for name in week48["fonts_embedded"])


def test_every_section_is_a_bookmark_under_the_title(week48: dict[str, Any]) -> None:
    title, sections = week48["outline"]
    assert title == week48["title"]
    assert sections[:3] == ["Kern", "Voortgang per doel", "Mijlpalen"]
    assert "Openstaande afspraken (14)" in sections
    # A heading inside a section (h3) is a bookmark under that section.
    warnings = next(i for i, s in enumerate(sections) if str(s).startswith("Waarschuwingen ("))
    assert sections[warnings + 1][0].startswith("Datum verstreken")


def test_every_page_has_the_running_header_and_its_number(week48: dict[str, Any]) -> None:
    pages = week48["pages"]
    for number, text in enumerate(pages, start=1):
        assert "Hecht — Gezond Vooruit! statusrapport week 48 2026" in text
        assert f"blad {number} van {len(pages)}" in text


def test_arrows_euro_and_warning_signs_print_as_themselves(store: Store) -> None:
    store.add(
        "action",
        {"title": "Begroting → AB: €4 mln ≥ plan ⚠", "kind": ActionKind.AGREEMENT},
    )
    pages = structure(render_weekly(store, TODAY, TODAY, "pdf"))["pages"]
    assert any("Begroting → AB: €4 mln ≥ plan ⚠" in text for text in pages)
