#!/usr/bin/env python3
"""Write an evidence register CSV as a workbook, the way a register kept in Excel looks: one
sheet, the same header and rows, dates (`effective_date`, `expires`) as date cells, the rest as
text. For issue 12's benchmark (scripts/bench_scale.sh), which times `srmap gaps --evidence
X.xlsx` against a plain calamine read of the same sheet (scripts/read_calamine.py).

Usage:
    scripts/register_xlsx.py EVIDENCE.csv OUT.xlsx

Needs openpyxl (the benchmark installs it in its virtual environment); uses its write-only mode,
which streams rows to the file instead of holding the sheet.
"""

import csv
import datetime as dt
import sys

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

DATE_COLUMNS = {"effective_date", "expires"}


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__.split("Usage:")[1].split("\n\n")[0].strip())
    src, out = argv
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Evidence")
    with open(src, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        ws.append(header)
        dates = [i for i, h in enumerate(header) if h in DATE_COLUMNS]
        n = 0
        for row in rows:
            cells = list(row)
            for i in dates:
                if cells[i]:
                    c = WriteOnlyCell(ws, value=dt.date.fromisoformat(cells[i]))
                    c.number_format = "yyyy-mm-dd"
                    cells[i] = c
                else:
                    cells[i] = None
            ws.append(cells)
            n += 1
    wb.save(out)
    print(f"{out}: {n} rows", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
