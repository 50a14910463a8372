"""The Declaration sheet -> who declares, for which scope, as of which date.

Found by structure, in any UI language: the scope row is the row holding the scope choices
("A. Company", "B. Product (or List of Products)", "C. User defined...": the dropdown's source
cells, English in every UI language). Its answer cell (the cell of that row holding one of the
choices) fixes the answer column. Then, in that column:

* the company name is the answer of the row just above the scope row;
* the description of scope is the answer of the row just below it;
* the effective date is the answer of the last row of the company-information block (the block of
  labelled rows that starts at the company name and ends at the first empty row after the
  company's identifiers and contacts), taken only when it reads as a date; failing that, the last
  answer of the block that reads as a date.

Only those four cells are read. The contact name, e-mail and phone, the authorizer's name, e-mail
and phone, the company's identifiers and address, are never read into any output.

**The reporting year.** The CMRT's instructions (Instructions sheet, Company Information item 13)
say of the Effective Date: "Please enter the Date of Completion for this form using the format
DD-MMM-YYYY"; the Checker says "Provide date the form was completed". Nothing in the template's
English text (instructions, definitions, checker, the translation table; releases 6.01 to 6.5)
says which period a declaration covers: no calendar year, no reporting period. So the effective date is not a reporting year and
no year is derived from it. ``reporting_year`` is set only when the declaration itself states its
period in words in the description of scope ("calendar year 2023", "reporting year 2023",
"CY2023", "RY 2023", "1 January - 31 December 2023"), and ``reporting_year_basis`` quotes it;
otherwise the year stays empty and the basis says why.
"""

from __future__ import annotations

import re
from datetime import date

from smelterkg.ingest.cmrt.cells import parse_date
from smelterkg.ingest.cmrt.sheets import SCOPE_CHOICES, SCOPE_CODES, scope_row
from smelterkg.ingest.cmrt.workbook import Sheet
from smelterkg.ingest.models import Locator

MIN_BLOCK_ROWS = 5  # labelled rows after the scope row before an empty row may end the block
NO_PERIOD = (
    "not stated: the CMRT's Effective Date is the date the form was completed (Instructions, "
    "Company Information item 13) and the template names no reporting period"
)
# Explicit statements of a period, each with the year as its last group.
STATED_PERIOD = (
    re.compile(r"\b(?:calendar|reporting|fiscal)\s+year\s*(?:of\s+)?((?:19|20)\d{2})\b", re.I),
    re.compile(r"\b(?:CY|RY)\s*-?\s*((?:19|20)\d{2})\b"),
    re.compile(r"\b(?:1(?:st)?\s+January|January\s+1(?:st)?),?\s*(?:(?:19|20)\d{2}\s*)?(?:-|–|to|through)\s*(?:31(?:st)?\s+December|December\s+31(?:st)?),?\s*((?:19|20)\d{2})\b", re.I),
)
_DATE_LIKE = re.compile(r"^(?:\d{4}-\d{1,2}-\d{1,2}(?: .*)?|\d{1,2}[-\s./][A-Za-z]{3,9}\.?[-\s./,]+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}\w{0,2},?\s+\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$")


def _label_column(values: tuple[str, ...]) -> int:
    return next((c for c, v in enumerate(values, start=1) if v), 0)


def _answer_column(sheet: Sheet, row: int) -> tuple[int, str, str]:
    """(answer column, scope code, answer as printed) of the scope row. The row ends with the
    choices list (one cell per choice); a choice-looking cell left of that list is the answer.
    Unanswered, the answer column is that of the company name in the row above (0 when blank too)."""
    values = sheet.rows[row - 1]
    label = _label_column(values)
    choices = [c for c, v in enumerate(values, start=1) if v and c > label and any(p.match(v) for p in SCOPE_CHOICES)]
    answers = choices[: max(0, len(choices) - len(SCOPE_CHOICES))]
    if answers:
        printed = values[answers[0] - 1]
        code = next((SCOPE_CODES[i] for i, p in enumerate(SCOPE_CHOICES) if p.match(printed)), "")
        return answers[0], code, printed
    above = sheet.rows[row - 2] if row > 1 else ()
    first_choice = choices[0] if choices else len(above) + 1
    column = next((c for c, v in enumerate(above, start=1) if v and label < c < first_choice), 0)
    return column, "", ""


def _block_end(sheet: Sheet, start: int, label: int) -> int:
    """The last labelled row of the company-information block that begins at ``start``."""
    last = start
    labelled = 0
    for row in range(start + 1, min(len(sheet.rows), start + 40) + 1):
        if sheet.cell(row, label):
            last, labelled = row, labelled + 1
        elif labelled >= MIN_BLOCK_ROWS:
            break
    return last


def stated_year(text: str) -> tuple[int | None, str]:
    for pattern in STATED_PERIOD:
        match = pattern.search(text)
        if match:
            return int(match.group(1)), match.group(0)
    return None, ""


def read_declaration_cells(sheet: Sheet) -> tuple[dict[str, str], dict[str, Locator], list[str]]:
    """The four answers read (company, scope, description, effective date) with their cells."""
    row = scope_row(sheet)
    values: dict[str, str] = {}
    where: dict[str, Locator] = {}
    warnings: list[str] = []
    if not row:
        return values, where, [f"sheet {sheet.title!r}: no declaration scope row found"]
    column, code, printed = _answer_column(sheet, row)
    values["scope"], values["scope_text"] = code, printed
    if printed:
        where["scope"] = Locator(sheet=sheet.title, row=row)
    if not column:
        return values, where, [f"sheet {sheet.title!r}: the declaration's answer column cannot be told (nothing answered)"]
    for name, at in (("company", row - 1), ("scope_description", row + 1)):
        text = sheet.cell(at, column)
        values[name] = text
        if text:
            where[name] = Locator(sheet=sheet.title, row=at)
    label = _label_column(sheet.rows[row - 1])
    end = _block_end(sheet, row, label)
    candidates = [end] + list(range(end - 1, row + 1, -1))  # never the description's row
    for at in candidates:
        text = sheet.cell(at, column)
        if text and _DATE_LIKE.match(text):
            values["effective_date"] = text
            where["effective_date"] = Locator(sheet=sheet.title, row=at)
            break
        if at == end and text:
            warnings.append(f"sheet {sheet.title!r} row {at}: the last company-information answer is not a date; looking above it")
    return values, where, warnings


def effective(values: dict[str, str]) -> tuple[date | None, str]:
    """The effective date read (``None`` when its text is not an unambiguous date) and its text."""
    text = values.get("effective_date", "")
    return parse_date(text), text


__all__ = ["NO_PERIOD", "STATED_PERIOD", "read_declaration_cells", "stated_year"]
