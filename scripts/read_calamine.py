#!/usr/bin/env python3
"""A plain calamine read of a workbook's first sheet: every row, every cell, nothing else. The
XLSX yardstick of issue 12's benchmark (scripts/bench_scale.sh): srmap reads registers through
calamine too, so `srmap gaps --evidence X.xlsx` is timed as a multiple of this.

Usage:
    scripts/read_calamine.py BOOK.xlsx

Needs python-calamine (the benchmark installs it in its virtual environment). Prints the number
of rows read, the header included.
"""

import sys

from python_calamine import CalamineWorkbook


def main(argv):
    if len(argv) != 1:
        sys.exit("usage: read_calamine.py BOOK.xlsx")
    sheet = CalamineWorkbook.from_path(argv[0]).get_sheet_by_index(0)
    rows = cells = 0
    for row in sheet.iter_rows():
        rows += 1
        cells += len(row)
    print(f"{rows} rows, {cells} cells")


if __name__ == "__main__":
    main(sys.argv[1:])
