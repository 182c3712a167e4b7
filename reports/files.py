"""The Monday report as a file: Markdown, Excel (one formatted sheet per section) and PDF
(A4 landscape, a CJK font embedded so Chinese renders anywhere)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from crm_core import formatting as fmt
from crm_core import settings
from crm_core.actions import ACTION_COLUMNS
from crm_core.activity_plan import PLAN_COLUMNS
from crm_core.catalog import CATALOG, text
from crm_core.deal_changes import CHANGE_COLUMNS
from crm_core.forecasts import REPORT_COLUMNS as FORECAST_REPORT_COLUMNS
from crm_core.spreadsheet import workbook_without_formulas
from crm_core.weekly import MONEY, RATIOS, MondayReport
from crm_core.weekly_flags import ITEM_COLUMNS
from reports.charts import ReportChart, report_charts

MONEY_METRICS = MONEY
MONEY_COLUMNS = {"week_target", "week_revenue", "next_week_target", "trailing_average", "gap",
                 "target", "actual", "remaining", "yield", "amount", "commit", "best_case",
                 "weighted_pipeline"}  # fmt: skip
RATIO_COLUMNS = {"attainment", "effective_rate", "last_error", "bias"}
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch
    "/usr/share/fonts/google-noto-sans-cjk-vf-fonts/NotoSansCJK-VF.ttc",  # Fedora
)
SECTIONS = (
    "actions",
    "decisions",
    "regions",
    "reps",
    "competitors",
    "complaints",
    "drops",
    "next_week",
    "activity",
    "changes",
    "forecast",
)
PDF_WIDTHS = {
    "actions": (0.8, 4.0, 1.0, 1.0, 0.9, 0.8),
    "decisions": (0.6, 0.8, 1.0, 0.7, 5.0),
    "reps": (0.8, 1.0, 0.7, 1.0, 1.0, 0.8, 0.6, 0.8, 0.7, 0.7, 3.6),
}
PDF_ROWS = 40  # a longer section is cut in the PDF, saying so (the Excel file has every row)
SECTION_COLUMNS = {
    "actions": ["status", "text", "about_name", "owner", "due", "week"],
    "decisions": ["severity", "about", "name", "region", "reason"],
    "exceptions": ["severity", "about", "name", "region", "reason"],
    "regions": [
        "rank",
        "region",
        "region_name",
        "week_target",
        "week_revenue",
        "attainment",
        "gap",
    ],
    "reps": [
        "rep",
        "name",
        "region",
        "week_target",
        "week_revenue",
        "attainment",
        "done",
        "effective_rate",
        "reports_late",
        "reports_missing",
        "reasons",
    ],
    "competitors": ["date", "name", "severity", "summary"],
    "complaints": ["date", "customer", "name", "severity", "summary"],
    "drops": ["customer_id", "customer", "week_revenue", "trailing_average"],
    "next_week": ["rep", "name", "next_week_target", "planned"],
    "changes": ["opportunity_id", "rep", "change", "before", "after", "amount", "pushes"],
    "forecast": list(FORECAST_REPORT_COLUMNS),
    "activity": [
        "rep",
        "name",
        "target",
        "actual",
        "remaining",
        "yield",
        "needed",
        "per_working_day",
        "planned",
        "shortfall",
    ],
}


HEADER_KEYS = {"summary": "report_summary", "text": "action_text", "about_name": "about",
               "owner": "action_owner", "week": "decided_week", "target": "activity_target",
               "actual": "activity_actual", "remaining": "activity_remaining",
               "yield": "activity_yield", "needed": "activity_needed_count",
               "per_working_day": "activity_per_working_day",
               "shortfall": "activity_shortfall", "commit": "fc_commit",
               "best_case": "fc_best_case", "weighted_pipeline": "fc_weighted_pipeline",
               "submitted_on": "fc_submitted_on", "last_error": "fc_last_error",
               "bias": "fc_bias", "tendency": "fc_tendency"}  # fmt: skip
# Text typed by people (names, summaries): escaped in the Markdown file so it stays text.
TYPED_COLUMNS = {
    "rep",
    "about",
    "about_name",
    "owner",
    "text",
    "name",
    "customer",
    "customer_id",
    "summary",
    "region_name",
}
SEVERITY = {3: "high", 2: "medium", 1: "low"}
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")  # typed text is escaped already (fmt.plain)


class ReportFontMissing(RuntimeError):
    pass


def cell_text(column: str, value: object, lang: str) -> str:
    """One cell of a section as text: money with ¥, ratios in %, severity in words."""
    if fmt.missing(value):
        return fmt.UNDEFINED
    if column in MONEY_COLUMNS:
        return fmt.money(int(value))
    if column in RATIO_COLUMNS:
        return fmt.ratio(float(value))
    if column == "severity":
        return text(SEVERITY.get(value, str(value)), lang)
    if column == "status":
        return text(f"action_{value}", lang)
    if column == "per_working_day":
        return f"{float(value):.1f}"
    return str(value)


def reason(flag: dict, lang: str) -> str:
    """One exception in words: the rule and how far off (see crm_core.weekly_flags)."""
    v = flag["values"]
    match flag["rule"]:
        case "behind_pace":
            said = text("reason_behind_pace", lang, share=fmt.ratio(v["week_share"], 0),
                        sold=fmt.money(v["sold"]), target=fmt.money(v["target"]),
                        gap=fmt.money(v["gap"]))  # fmt: skip
            return (
                said
                + _month_pace(v, lang)
                + text("reason_recent", lang, recent=fmt.ratio(v["recent"], 0))
            )
        case "region_behind":
            said = text("reason_region_behind", lang, gap=fmt.money(v["gap"]),
                        recent=fmt.ratio(v["recent"], 0))  # fmt: skip
            return said + _month_pace(v, lang)
        case "region_reports":
            return text("reason_region_reports", lang, missing=v["missing"], due=v["due"],
                        share=fmt.ratio(v["share"], 0), reps=v["reps"])  # fmt: skip
        case "daily_reports":
            return text("reason_daily_reports", lang, late=v["late"], missing=v["missing"])
        case "effective_rate":
            return text("reason_effective_rate", lang, rate=fmt.ratio(v["rate"], 0),
                        median=fmt.ratio(v["median"], 0), gap=f"{v['gap'] * 100:.0f}")  # fmt: skip
        case "key_customer":
            said = text("reason_key_customer", lang, customers=v["customers"], limit=v["limit"])
            if v.get("days") is not None:
                said += text("reason_key_longest", lang, days=v["days"])
            if v.get("never"):
                said += text("reason_key_never", lang, never=v["never"])
            return said
    return str(flag["rule"])


def _month_pace(values: dict, lang: str) -> str:
    """ "; month to date 61 % at 52 % of the month" (nothing without a month target)."""
    if values.get("month_share") is None:
        return ""
    return text("reason_month_pace", lang, share=fmt.ratio(values["month_share"], 0),
                elapsed=fmt.ratio(values["elapsed"], 0))  # fmt: skip


def item_reason(item: dict, lang: str) -> str:
    """A decision item's flags in words, most serious first."""
    return "; ".join(reason(flag, lang) for flag in item["findings"])


def section_frame(report: MondayReport, section: str, lang: str) -> pd.DataFrame:
    """The rows of one section (``decisions`` and ``reps`` with their reasons in words)."""
    if section in ("decisions", "exceptions"):
        items = report.items if len(report.items) else pd.DataFrame(columns=ITEM_COLUMNS)
        chosen = items.head(report.decisions) if section == "decisions" else items
        rows = [{**i, "reason": item_reason(i, lang)} for i in chosen.to_dict("records")]
        return pd.DataFrame(rows, columns=[*SECTION_COLUMNS["decisions"]])
    if section == "regions":
        return report.regions if report.by_region else pd.DataFrame()
    if section == "actions":
        return report.actions if len(report.actions) else pd.DataFrame(columns=ACTION_COLUMNS)
    if section == "activity":
        return report.activity if len(report.activity) else pd.DataFrame(columns=PLAN_COLUMNS)
    if section == "changes":
        return _changes_in_words(report.changes, lang)
    if section == "forecast":
        if report.forecast.empty:
            return pd.DataFrame(columns=FORECAST_REPORT_COLUMNS)
        return report.forecast.assign(tendency=[
            None if v is None else text(f"fc_tendency_{v}", lang) for v in report.forecast.tendency
        ])  # fmt: skip
    if section == "reps":  # the flags as records only here, read once: a company has thousands
        reasons: dict[str, list[str]] = {}
        for flag in report.flags.to_dict("records"):
            reasons.setdefault(flag["rep"], []).append(reason(flag, lang))
        return report.reps.assign(reasons=["; ".join(reasons.get(r, [])) for r in report.reps.rep])
    return getattr(report, section)


def change_value(value: object, change: str, lang: str) -> str:
    """A deal change's before or after in words: a stage, a day or an amount."""
    if value is None:
        return fmt.UNDEFINED
    if change in ("amount_up", "amount_down"):
        return fmt.money(int(str(value)))
    if change in ("pushed", "pulled_in"):
        return str(value)
    return text(f"stage_{value}", lang) if f"stage_{value}" in CATALOG else str(value)


def _changes_in_words(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The week's deal changes with the change, and what it was before and after, in words (a
    stage, a day, an amount); ``amount`` stays the deal's amount (or the difference)."""
    if changes.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)

    kinds = list(changes.change)
    return changes.assign(
        change=[text(f"change_{c}", lang) for c in kinds],
        before=[change_value(v, c, lang) for v, c in zip(changes.before, kinds, strict=True)],
        after=[change_value(v, c, lang) for v, c in zip(changes.after, kinds, strict=True)],
    )


def summary_rows(report: MondayReport, lang: str) -> list[list[str]]:
    """The week at a glance: label, this week, last week, change (formatted)."""
    rows = []
    for row in report.summary.itertuples():
        if row.metric in MONEY_METRICS:
            shown = [fmt.money(v) for v in (row.this_week, row.last_week)]
            change = fmt.signed_money(row.change)
        elif row.metric in RATIOS:
            shown = [fmt.ratio(v) for v in (row.this_week, row.last_week)]
            change = fmt.UNDEFINED if row.change is None else f"{row.change * 100:+.1f} pt"
        else:
            shown = [fmt.count(v) for v in (row.this_week, row.last_week)]
            change = fmt.UNDEFINED if row.change is None else f"{row.change:+,.0f}"
        rows.append([text(row.metric, lang), *shown, change])
    return rows


def sections_of(report: MondayReport) -> list[str]:
    """The report's sections in order: last week's actions, what needs a decision, the week
    at a glance, then the rest (regions only when it covers more than one)."""
    rest = [s for s in SECTIONS[2:] if s != "regions" or report.by_region]
    return ["actions", "decisions", "summary", *rest]


def _summary_header(lang: str) -> list[str]:
    return [text(k, lang) for k in ("metric", "this_week", "last_week", "change")]


def section_rows(
    report: MondayReport, section: str, lang: str
) -> tuple[list[str], list[list[str]]]:
    if section == "summary":
        return _summary_header(lang), summary_rows(report, lang)
    frame = section_frame(report, section, lang)
    columns = SECTION_COLUMNS[section]
    header = [text(HEADER_KEYS.get(c, c), lang) for c in columns]
    body = [[cell_text(c, row[c], lang) for c in columns] for row in frame.to_dict("records")]
    return header, body


def _title(report: MondayReport, lang: str) -> str:
    return f"{text('monday_report', lang)} · {report.scope_label} · {report.week_label}"


def _caption(report: MondayReport, lang: str) -> str:
    week = text(
        "week_caption", lang, week=report.week_label, start=report.week.start, end=report.week.end
    )
    generated = text("generated", lang, at=f"{datetime.now():%Y-%m-%d %H:%M}")
    return f"{week} · {generated}"


def markdown(report: MondayReport, lang: str = "zh") -> str:
    title = f"{text('monday_report', lang)} · {fmt.plain(report.scope_label)} · {report.week_label}"
    lines = [f"# {title}", "", _caption(report, lang)]
    for section in sections_of(report):
        head, body = section_rows(report, section, lang)
        typed = [c in TYPED_COLUMNS for c in SECTION_COLUMNS.get(section, [])] or [False] * 4
        body = [[fmt.plain(c) if t else c for c, t in zip(r, typed, strict=True)] for r in body]
        lines += ["", f"## {text('section_' + section, lang)}", ""]
        lines += _md_table(head, body) if body else [text("nothing_listed", lang)]
    return "\n".join(lines) + "\n"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(UNESCAPED_PIPE.sub(r"\\|", c) for c in cells) + " |"

    return [line(header), line(["---"] * len(header)), *[line(r) for r in rows]]


# the sections whose title is longer than the 31 characters Excel allows a sheet's name
SHEET_KEYS = {"drops": "sheet_drops", "activity": "sheet_activity", "changes": "sheet_changes"}


def sheet_name(section: str, lang: str) -> str:
    """The name of ``section``'s sheet: its title, or a shorter one where that is too long."""
    title = text(f"section_{section}", lang)
    return title if len(title) <= 31 else text(SHEET_KEYS[section], lang)


def xlsx(report: MondayReport, lang: str = "zh", charts: list[ReportChart] | None = None) -> bytes:
    """One sheet per section; numbers stay numbers (money in yuan, ratios as %)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name("summary", lang)
    sheet.append([_title(report, lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_caption(report, lang)])
    sheet.append(
        [
            text("metric", lang),
            text("this_week", lang),
            text("last_week", lang),
            text("change", lang),
        ]
    )
    for row in report.summary.itertuples():
        values = [row.this_week, row.last_week, row.change]
        if row.metric in MONEY_METRICS:
            values = [fmt.yuan(v) for v in values]
        sheet.append([text(row.metric, lang), *values])
        number = "0.0%" if row.metric in RATIOS else "#,##0"
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = number
    _bold_header(sheet, 3, Font)
    red = PatternFill("solid", fgColor="FDE0DD")
    for section in [s for s in sections_of(report) if s != "summary"]:
        _xlsx_section(
            workbook.create_sheet(sheet_name(section, lang)),
            report,
            section,
            lang,
            Font,
            red,
        )
    _xlsx_charts(workbook, report_charts(report, lang) if charts is None else charts, lang)
    # it opens on last week's actions, or without any on what needs a decision (the title and
    # summary stay the first sheet)
    opening = "actions" if len(report.actions) else "decisions"
    decisions = workbook[sheet_name(opening, lang)]
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet is decisions
    workbook.active = workbook.worksheets.index(decisions)
    for ws in workbook.worksheets:
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(60, max(10, width * 1.6))
    workbook_without_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_charts(workbook: object, charts: list[ReportChart], lang: str) -> None:
    """A sheet with the report's charts as pictures, one under the other (rendered at twice
    the size for the PDF, shown at half of it)."""
    from openpyxl.drawing.image import Image

    if not charts:
        return
    sheet = workbook.create_sheet(sheet_name("charts", lang), 1)
    row = 1
    for chart in charts:
        sheet.cell(row=row, column=1, value=chart.title)
        picture = Image(io.BytesIO(chart.png))
        picture.width, picture.height = picture.width // 2, picture.height // 2
        sheet.add_image(picture, f"A{row + 1}")
        row += 2 + int(picture.height / 20)


def _bold_header(sheet: object, row: int, font: Callable[..., object]) -> None:
    for cell in sheet[row]:
        cell.font = font(bold=True)


def _xlsx_section(
    sheet: object,
    report: MondayReport,
    section: str,
    lang: str,
    font: Callable[..., object],
    red: object,
) -> None:
    columns = SECTION_COLUMNS[section]
    sheet.append([text(HEADER_KEYS.get(c, c), lang) for c in columns])
    _bold_header(sheet, 1, font)
    frame = section_frame(report, section, lang)
    for row in frame.to_dict("records"):
        values = []
        for column in columns:
            value = None if fmt.missing(row[column]) else row[column]
            if column in MONEY_COLUMNS and value is not None:
                value = fmt.yuan(value)
            elif column == "severity":
                value = text(SEVERITY.get(value, str(value)), lang)
            elif column == "status":
                value = text(f"action_{value}", lang)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            values.append(value)
        sheet.append(values)
        for cell, column in zip(sheet[sheet.max_row], columns, strict=True):
            cell.number_format = (
                "#,##0"
                if column in MONEY_COLUMNS
                else ("0.0%" if column in RATIO_COLUMNS else "General")
            )
        if row.get("exception"):
            for cell in sheet[sheet.max_row]:
                cell.fill = red


def file_stem(report: MondayReport, lang: str) -> str:
    """The report's file name without suffix, in the report's language:
    ``monday_report_2026-W48`` / ``销售管理周报_2026-W48``."""
    return f"{text('report_file_stem', lang)}_{report.week_label}"


def cjk_font() -> Path:
    """``CRM_CJK_FONT`` or Noto Sans CJK (Debian: ``apt-get install fonts-noto-cjk``)."""
    configured = settings.value("CRM_CJK_FONT")
    if configured:  # a font named and not there is a mistake to report, not to work around
        if Path(configured).is_file():
            return Path(configured)
        raise ReportFontMissing(f"CRM_CJK_FONT={configured}: no such file")
    for candidate in CJK_FONTS:
        if Path(candidate).exists():
            return Path(candidate)
    raise ReportFontMissing(
        "no CJK font for the PDF: install fonts-noto-cjk or set CRM_CJK_FONT to a .ttf/.ttc"
    )


def pdf(report: MondayReport, lang: str = "zh", charts: list[ReportChart] | None = None) -> bytes:
    """A4 landscape; the CJK font is embedded (subset) so Chinese renders in any viewer."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    font = cjk_font()
    document = FPDF(orientation="L", format="A4")
    document.set_auto_page_break(True, margin=12)
    face = _sc_face(font)
    document.add_font("cjk", fname=str(font), collection_font_number=face)
    document.add_font("cjk", style="B", fname=str(font), collection_font_number=face)
    document.add_page()
    document.set_font("cjk", "B", 16)
    document.cell(text=_title(report, lang), new_x="LMARGIN", new_y="NEXT")
    document.set_font("cjk", size=9)
    document.cell(text=_caption(report, lang), new_x="LMARGIN", new_y="NEXT")
    for section in sections_of(report):
        head, body = section_rows(report, section, lang)
        _pdf_table(
            document,
            text("section_" + section, lang),
            head,
            body[:PDF_ROWS] or [[text("nothing_listed", lang)] + [""] * (len(head) - 1)],
            FontFace,
            PDF_WIDTHS.get(section),
        )
        if section == "summary":
            _pdf_charts(document, report_charts(report, lang) if charts is None else charts, lang)
        if len(body) > PDF_ROWS:
            document.set_font("cjk", size=8)
            document.multi_cell(
                0, 5, text("cut_notice", lang, shown=PDF_ROWS, total=len(body)),
                new_x="LMARGIN", new_y="NEXT",
            )  # fmt: skip
    return bytes(document.output())


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels of a PNG (its IHDR chunk)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@dataclass(frozen=True)
class Box:
    page: int  # 0: the first page of the charts
    x: float
    y: float
    w: float
    h: float


def chart_boxes(sizes: list[tuple[int, int]], width: float, top: float, bottom: float,
                left: float, gap: float = 6) -> list[Box]:  # fmt: skip
    """Where each chart of ``sizes`` (pixels) goes on pages whose usable area spans ``left``
    to ``left + width`` and ``top`` to ``bottom`` (mm): two to a row, each row as high as its
    tallest chart (by the chart's own proportions, so a 60-rep attainment chart takes the
    height it needs), a row that does not fit starting a new page, a chart taller than a page
    shrunk to fit it. No two boxes overlap and none runs off its page."""
    column = (width - gap) / 2
    boxes: list[Box] = []
    page, y = 0, top
    for start in range(0, len(sizes), 2):
        row = []
        for offset, (px_w, px_h) in enumerate(sizes[start : start + 2]):
            w = column
            h = w * px_h / px_w
            if h > bottom - top:  # taller than a page: shrunk to the page's height
                w, h = w * (bottom - top) / h, bottom - top
            row.append((left + offset * (column + gap), w, h))
        height = max(h for _, _, h in row)
        if y + height > bottom and y > top:
            page, y = page + 1, top
        boxes += [Box(page, x, y, w, h) for x, w, h in row]
        y += height + gap
    return boxes


def _pdf_charts(document: object, charts: list[ReportChart], lang: str) -> None:
    """The charts after the sections, on pages of their own (:func:`chart_boxes`)."""
    if not charts:
        return
    document.add_page()
    document.set_font("cjk", "B", 12)
    document.cell(text=text("section_charts", lang), new_x="LMARGIN", new_y="NEXT")
    usable = document.w - document.l_margin - document.r_margin
    bottom = document.h - document.b_margin
    boxes = chart_boxes([png_size(c.png) for c in charts], usable, document.get_y() + 2,
                        bottom, document.l_margin)  # fmt: skip
    page = 0
    for chart, box in zip(charts, boxes, strict=True):
        if box.page != page:
            document.add_page()
            page = box.page
        document.image(io.BytesIO(chart.png), x=box.x, y=box.y, w=box.w, h=box.h)
    document.add_page()


def _sc_face(font: Path) -> int:
    """The Simplified Chinese face of a Noto CJK collection (0 for a single font)."""
    if font.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    names = [f["name"].getDebugName(1) or "" for f in TTCollection(str(font)).fonts]
    return next((i for i, name in enumerate(names) if name.endswith(" SC")), 0)


def _pdf_table(
    document: object,
    title: str,
    header: list[str],
    rows: list[list[str]],
    face: Callable[..., object],
    widths: tuple[float, ...] | None = None,
) -> None:
    document.ln(3)
    if document.get_y() > document.h - document.b_margin - 30:
        document.add_page()  # never a heading alone at the foot of a page
    document.set_font("cjk", "B", 12)
    document.cell(text=title, new_x="LMARGIN", new_y="NEXT")
    document.set_font("cjk", size=8)
    with document.table(
        headings_style=face(emphasis="BOLD", fill_color=(230, 236, 243)),
        line_height=5,
        col_widths=widths,
    ) as table:
        table.row(header)
        for row in rows:
            table.row([str(c) for c in row])
