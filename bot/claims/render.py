"""Fill the document templates in and write each as a PDF (fonts embedded) and an editable DOCX.

The PDF is made with fpdf2 and the DejaVu Sans fonts shipped in ``bot/claims/fonts`` (Cyrillic,
Kazakh, Kyrgyz and Uzbek letters; embedded as subsets, nothing is downloaded); the DOCX with
python-docx, in Times New Roman (Word and LibreOffice have it or a metric twin), so a lawyer or
the user can edit it. Both come from the same filled-in blocks, so they say the same.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bot.claims.compute import Calculation, money
from bot.claims.questions import Claim
from bot.claims.templates import ClaimsFacts, Template, fill
from bot.i18n import format_date

__all__ = ["FONTS", "File", "Filled", "document_values", "fill_template", "to_pdf", "to_docx", "make_files"]

FONTS = Path(__file__).parent / "fonts"
PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MONTHS_RU = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)


@dataclass(frozen=True)
class File:
    """A file to send: its name, bytes, MIME type and a caption in the user's language."""

    name: str
    data: bytes
    mime: str
    caption: str = ""


@dataclass(frozen=True)
class Filled:
    """A template with its placeholders filled in: blocks of text and the calculation table."""

    template: Template
    blocks: tuple[tuple[str, tuple[str, ...]], ...]  # (style, lines or items)
    table: tuple[tuple[str, ...], ...]  # header, one row per month, the total


def _number(value: Decimal | int) -> str:
    text = f"{value}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _months_ru(months: tuple[tuple[int, int], ...], year_word: str) -> str:
    """«ноябрь, декабрь 2025 г., январь 2026 г.»"""
    parts = []
    for year in sorted({y for y, _ in months}):
        names = ", ".join(_MONTHS_RU[m - 1] for y, m in months if y == year)
        parts.append(f"{names} {year} {year_word}")
    return ", ".join(parts)


def document_values(
    claim: Claim, calc: Calculation, facts: ClaimsFacts, template: Template, today: dt.date
) -> dict[str, str]:
    """Every placeholder's Russian text for one claim."""
    words = facts.words
    unknown = template.unknown
    citizenship = words.get(f"citizenship.{claim.citizenship}", claim.citizenship)
    evidence = [words.get(f"evidence.{code}", code) for code in claim.evidence]
    if claim.evidence_note:
        evidence.append(claim.evidence_note)
    rules = calc.rules
    return {
        "name": claim.name,
        "citizenship": citizenship,
        "employer": claim.employer,
        "employer_id": claim.employer_id or unknown,
        "address": claim.address,
        "job": claim.job,
        "start": format_date(claim.start, "ru") if claim.start else unknown,
        "pay": money(claim.pay, cents=False),
        "pay_how": words.get(f"pay_how.{claim.pay_how}", claim.pay_how),
        "months": _months_ru(claim.months, words.get("year", "г.")),
        "owed": money(claim.owed, cents=False),
        "evidence": ", ".join(evidence) or words.get("none", "нет"),
        "penalty": money(calc.penalty),
        "total": money(calc.total),
        "rate": _number(rules.rate),
        "rate_date": format_date(rules.rate_date, "ru"),
        "rate_check": facts.rate_check,
        "multiplier": _number(rules.multiplier),
        "days_in_year": str(rules.days_in_year),
        "pay_day": str(rules.pay_day),
        "calc_date": format_date(calc.on, "ru"),
        "demand_date": format_date(today + dt.timedelta(days=facts.demand_days), "ru"),
        "demand_days": str(facts.demand_days),
        "date": format_date(today, "ru"),
    }


def _table(calc: Calculation, year_word: str) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = [
        ("Месяц", "Долг, тенге", "Срок выплаты", "Дней просрочки", "Пеня, тенге"),
    ]
    for line in calc.lines:
        rows.append(
            (
                f"{_MONTHS_RU[line.month - 1]} {line.year} {year_word}",
                money(line.amount, cents=False),
                line.due.strftime("%d.%m.%Y"),
                str(line.days),
                money(line.penalty),
            )
        )
    rows.append(("Итого", money(calc.owed, cents=False), "", "", money(calc.penalty)))
    return tuple(rows)


#: "2026 г.." after a date or a month list that ends a sentence: one full stop is enough.
_DOUBLE_STOP = re.compile(r"(?<=[^\W\d_])\.\.(?!\.)")


def _fill(text: str, values: dict[str, str], facts: ClaimsFacts) -> str:
    return _DOUBLE_STOP.sub(".", fill(text, values, facts.laws))


def fill_template(
    template: Template, claim: Claim, calc: Calculation, facts: ClaimsFacts, today: dt.date
) -> Filled:
    values = document_values(claim, calc, facts, template, today)
    blocks = []
    for block in template.blocks:
        if block.style == "calculation":
            blocks.append(("calculation", ()))
        elif block.style == "list":
            blocks.append(("list", tuple(_fill(item, values, facts) for item in block.items)))
        else:
            text = _fill(block.text or "", values, facts)
            blocks.append((block.style, tuple(text.split("\n"))))
    return Filled(template, tuple(blocks), _table(calc, facts.words.get("year", "г.")))


# --- PDF -------------------------------------------------------------------------------------


def to_pdf(filled: Filled, when: dt.date) -> bytes:
    """The document as a PDF (A4, DejaVu Sans embedded)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_margins(25, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(filled.template.title)
    pdf.set_author("Joldosh")
    pdf.set_creation_date(dt.datetime.combine(when, dt.time(12), tzinfo=dt.UTC))
    pdf.set_lang("ru")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    line = 5.2
    for style, lines in filled.blocks:
        if style == "right":
            pdf.set_font("DejaVu", size=10)
            for text in lines:
                pdf.set_x(pdf.l_margin + width * 0.45)
                pdf.multi_cell(width * 0.55, line, text or " ", align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif style == "title":
            pdf.set_font("DejaVu", "B", 14)
            pdf.multi_cell(width, 8, " ".join(lines), align="C", new_x="LMARGIN", new_y="NEXT")
        elif style == "subtitle":
            pdf.set_font("DejaVu", "B", 11)
            pdf.multi_cell(width, line + 0.5, " ".join(lines), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif style == "para":
            pdf.set_font("DejaVu", size=10.5)
            pdf.multi_cell(width, line, " ".join(lines), align="J", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif style == "list":
            pdf.set_font("DejaVu", size=10.5)
            for number, item in enumerate(lines, start=1):
                pdf.set_x(pdf.l_margin + 5)
                pdf.multi_cell(width - 5, line, f"{number}. {item}", align="J", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif style == "calculation":
            pdf.set_font("DejaVu", size=9)
            head = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
            with pdf.table(
                col_widths=(30, 22, 20, 16, 20),
                text_align=("LEFT", "RIGHT", "CENTER", "CENTER", "RIGHT"),
                headings_style=head,
                line_height=line,
                width=width,
                align="LEFT",
            ) as table:
                for row in filled.table:
                    cells = table.row()
                    for cell in row:
                        cells.cell(cell)
            pdf.ln(3)
        elif style == "sign":
            pdf.set_font("DejaVu", size=10.5)
            pdf.ln(3)
            for text in lines:
                pdf.multi_cell(width, line + 1, text or " ", align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# --- DOCX ------------------------------------------------------------------------------------


def to_docx(filled: Filled, when: dt.date) -> bytes:
    """The document as an editable DOCX (Times New Roman 12)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Times New Roman")
    normal.paragraph_format.space_after = Pt(4)
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
        section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.5)
    props = doc.core_properties
    props.title = filled.template.title
    props.author = "Joldosh"
    props.language = "ru-RU"
    moment = dt.datetime.combine(when, dt.time(12))
    props.created = props.modified = moment
    props.last_modified_by = "Joldosh"
    props.revision = 1

    def lines_into(paragraph, lines: tuple[str, ...], bold: bool = False) -> None:  # noqa: ANN001
        for i, text in enumerate(lines):
            run = paragraph.add_run(text)
            run.bold = bold
            if i < len(lines) - 1:
                run.add_break()

    for style, lines in filled.blocks:
        if style == "right":
            p = doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(8.5)
            lines_into(p, lines)
        elif style in ("title", "subtitle"):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(" ".join(lines))
            run.bold = True
            run.font.size = Pt(14 if style == "title" else 12)
        elif style == "para":
            p = doc.add_paragraph(" ".join(lines))
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1.25)
        elif style == "list":
            for number, item in enumerate(lines, start=1):
                p = doc.add_paragraph(f"{number}. {item}")
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                p.paragraph_format.left_indent = Cm(0.75)
        elif style == "calculation":
            table = doc.add_table(rows=0, cols=len(filled.table[0]))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, row in enumerate(filled.table):
                cells = table.add_row().cells
                for c, text in enumerate(row):
                    cells[c].text = text
                    para = cells[c].paragraphs[0]
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if c in (1, 4) else WD_ALIGN_PARAGRAPH.LEFT
                    for run in para.runs:
                        run.font.size = Pt(10)
                        run.bold = r == 0 or r == len(filled.table) - 1
            doc.add_paragraph()
        elif style == "sign":
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(12)
            lines_into(p, lines)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def make_files(
    claim: Claim,
    calc: Calculation,
    facts: ClaimsFacts,
    today: dt.date,
    captions: dict[str, str] | None = None,
) -> list[File]:
    """Both documents, each as PDF then DOCX (``captions``: "<document>.<pdf|docx>" -> text)."""
    captions = captions or {}
    files = []
    for doc_id, template in facts.documents.items():
        filled = fill_template(template, claim, calc, facts, today)
        files.append(
            File(f"{template.file}.pdf", to_pdf(filled, today), PDF_MIME, captions.get(f"{doc_id}.pdf", ""))
        )
        files.append(
            File(
                f"{template.file}.docx", to_docx(filled, today), DOCX_MIME, captions.get(f"{doc_id}.docx", "")
            )
        )
    return files
