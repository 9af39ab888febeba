"""Reads a chronology exported as .xlsx with openpyxl and prints, as JSON, every cell with its
type, its fill and font colour, the date cells, the frozen pane, the filter and the sheet names."""
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
        fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
        font = c.font.color.rgb if c.font is not None and c.font.color is not None else None
        cells.append({"value": value, "type": c.data_type, "is_date": c.is_date, "format": c.number_format,
                      "fill": fill if isinstance(fill, str) else None, "font_colour": font if isinstance(font, str) else None,
                      "bold": bool(c.font.b) if c.font is not None else False})
    rows.append(cells)
json.dump({"sheets": workbook.sheetnames, "freeze": sheet.freeze_panes, "filter": sheet.auto_filter.ref,
           "rows": rows, "title": workbook.properties.title}, sys.stdout)
