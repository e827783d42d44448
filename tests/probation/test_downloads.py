"""Downloads never carry a live formula (issue 20, item 8): a staff name typed as a formula is text in the
CSV (with a leading ') and text in the Excel workbook."""

import csv
import io
import zipfile
from datetime import date

from django.test import Client

from probation.downloads import safe_cell
from regions.performance import rollups

FORMULA = '=HYPERLINK("http://x","y")'


def test_a_cell_a_spreadsheet_would_run_is_neutralised_and_others_are_left_alone() -> None:
    for text in [FORMULA, "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]:
        assert safe_cell(text) == "'" + text
    assert [safe_cell(v) for v in ["Olivia Officer", "", -3, 0.5, None]] == ["Olivia Officer", "", -3, 0.5, None]


def test_a_staff_name_written_as_a_formula_downloads_as_text(client: Client, team, officer, national) -> None:
    officer.name = FORMULA
    officer.save()
    rollups.refresh(rollups.month_starts(date(2026, 1, 1), date(2026, 3, 31)))
    client.force_login(national.user)
    url = f"/performance/team/{team.code}/?period=custom&from=2026-01&to=2026-03"
    download = client.get(url + "&format=csv")
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    names = [row[1] for row in rows[1:]]
    assert "'" + FORMULA in names
    assert FORMULA not in names

    workbook = zipfile.ZipFile(io.BytesIO(client.get(url + "&format=xlsx").content))
    sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no cell is a formula
    assert '<t>=HYPERLINK("http://x","y")</t>' in workbook.read("xl/sharedStrings.xml").decode()
