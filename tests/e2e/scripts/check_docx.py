"""Reads an IMR exported as .docx with python-docx, as a reviewer's Word would, and prints what a
test checks as JSON: paragraphs with their styles, tables, sections, header, footer, properties."""
import json
import sys

import docx
from docx.oxml.ns import qn

document = docx.Document(sys.argv[1])
out = {
    "paragraphs": [{"style": p.style.name, "text": p.text} for p in document.paragraphs],
    "tables": [],
    "sections": [],
    "title": document.core_properties.title,
    "author": document.core_properties.author,
}
for table in document.tables:
    rows = []
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.trPr
        header = tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        rows.append({"header": header, "cells": [c.text for c in row.cells]})
    out["tables"].append(rows)
for section in document.sections:
    footer_xml = section.footer._element.xml
    out["sections"].append({
        "landscape": section.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE,
        "header": "\n".join(p.text for p in section.header.paragraphs),
        "footer_has_page_field": "PAGE" in footer_xml and "NUMPAGES" in footer_xml,
        "footer": " ".join(c.text for t in section.footer.tables for r in t.rows for c in r.cells)
                  + " ".join(p.text for p in section.footer.paragraphs),
    })
json.dump(out, sys.stdout)
