"""The documents as files: a PDF with the fonts embedded and a DOCX, saying the same thing, with
every answer, the amounts and the legal bases; Kazakh and Uzbek letters come out right."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pypdf
import pytest

from bot.claims.compute import compute
from bot.claims.questions import Claim
from bot.claims.render import DOCX_MIME, FONTS, PDF_MIME, make_files
from bot.content.model import Content

TODAY = dt.date(2026, 12, 5)
ANSWERS = (
    ("name", "Қасымова Әйгерім Ғалымқызы"),
    ("cit", "uz"),
    ("employer", "ИП «Нұр-Ақжол», хозяин Ғани"),
    ("emp_id", "БИН 123456789012, тел. +7 701 000 00 00"),
    ("address", "Шымкент, рынок «Көктем», ряд 5"),
    ("job", "продавщица"),
    ("start", "?"),
    ("pay", "150000"),
    ("pay_how", "messages"),
    ("m_from", "2026-07"),
    ("m_to", "2026-09"),
    ("owed", "300000"),
    ("evidence", "transfers,witness"),
    ("note", "Oʻgʻil ukam guvoh"),
)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.fixture(scope="module")
def files(real_content: Content) -> list:
    facts = real_content.claims
    assert facts is not None
    claim = Claim.from_answers(ANSWERS)
    assert claim is not None
    calc = compute(claim.owed, list(claim.months), TODAY, facts.rules)
    return make_files(claim, calc, facts, TODAY, {"claim_employer.pdf": "caption"})


def _text(file) -> str:
    if file.mime == PDF_MIME:
        reader = pypdf.PdfReader(io.BytesIO(file.data))
        return _plain(" ".join(p.extract_text() for p in reader.pages))
    document = docx.Document(io.BytesIO(file.data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return _plain(" ".join(parts))


def test_both_documents_come_as_pdf_and_docx(files) -> None:
    assert [(f.name, f.mime) for f in files] == [
        ("pretenziya-rabotodatelyu.pdf", PDF_MIME),
        ("pretenziya-rabotodatelyu.docx", DOCX_MIME),
        ("zhaloba-v-inspekciyu-truda.pdf", PDF_MIME),
        ("zhaloba-v-inspekciyu-truda.docx", DOCX_MIME),
    ]
    assert files[0].caption == "caption" and files[1].caption == ""
    assert files[0].data.startswith(b"%PDF-") and files[1].data.startswith(b"PK")


def test_the_fonts_are_embedded_and_ship_with_the_code(files) -> None:
    assert (FONTS / "DejaVuSans.ttf").is_file() and (FONTS / "LICENSE").is_file()
    reader = pypdf.PdfReader(io.BytesIO(files[0].data))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # the TrueType program is in the file
            fonts.append(str(font["/BaseFont"]))
    assert any("DejaVuSans" in f for f in fonts)


def test_every_answer_and_amount_is_in_both_formats(files) -> None:
    expected = [
        "Қасымова Әйгерім Ғалымқызы",  # Kazakh letters survive the PDF and the DOCX
        "ИП «Нұр-Ақжол», хозяин Ғани",
        "БИН 123456789012, тел. +7 701 000 00 00",
        "Шымкент, рынок «Көктем», ряд 5",
        "продавщица",
        "Республика Узбекистан",
        "Дата начала работы: не известно",
        "150 000 тенге в месяц",
        "договорённость в переписке",
        "июль, август, сентябрь 2026 г.",
        "300 000 тенге",
        "переводы денег и расчётные листки",
        "свидетели (коллеги)",
        "Oʻgʻil ukam guvoh",  # Uzbek Latin with its own letters
        "п. 1 ст. 113 Трудового кодекса Республики Казахстан",
        "п. 3 ст. 113 Трудового кодекса Республики Казахстан",
    ]
    for file in files:
        text = _text(file)
        for part in expected:
            assert part in text, (file.name, part)


def test_the_calculation_table_is_in_the_documents(files) -> None:
    # 100 000 a month for July, August, September; due 10 Aug, 10 Sep, 10 Oct; counted to 5 Dec.
    # 100 000 × 18% × 1.25 × 117 / 365 = 7 212.33; × 86 / 365 = 5 301.37; × 56 / 365 = 3 452.05.
    for file in files:
        text = _text(file)
        for part in ("10.08.2026", "117", "7 212,33", "5 301,37", "3 452,05", "15 965,75", "315 965,75"):
            assert part in text, (file.name, part)
