"""Reads a chronology exported as .xlsx with openpyxl and prints, as JSON, every cell with its
type, the date cells, the frozen pane, the filter and the sheet names."""
import datetime
import json
import sys

import openpyxl

workbook = openpyxl.load_workbook(sys.argv[1])
sheet = workbook.worksheets[0]
rows = []
for row in sheet.iter_rows():
    cells = []
    for c in row:
        value = c.value
        if isinstance(value, datetime.datetime):
            value = value.strftime("%Y-%m-%d")
        cells.append({"value": value, "type": c.data_type, "is_date": c.is_date, "format": c.number_format})
    rows.append(cells)
json.dump({"sheets": workbook.sheetnames, "freeze": sheet.freeze_panes, "filter": sheet.auto_filter.ref,
           "rows": rows, "title": workbook.properties.title}, sys.stdout)
