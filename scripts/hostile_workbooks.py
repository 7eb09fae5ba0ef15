#!/usr/bin/env python3
"""Hostile workbooks for srmap (issue 13): each one a few KB to 11 MB on disk that claims or
holds far more, and the broken cells a register can have. Python 3 and its zipfile module only.

Usage:
    scripts/hostile_workbooks.py build OUTDIR [--corpus tests/fixtures/bad-input]
    scripts/hostile_workbooks.py run OUTDIR [--srmap target/release/srmap]

`build` writes every workbook into OUTDIR (about 40 MB, the zip bombs included). With --corpus
it also writes each small one (under 100 KB) as a case folder of the bad-input corpus
(tests/bad_input.rs): the workbook and a case.toml with the command, the code and the place.

`run` runs srmap on each workbook of OUTDIR (`gaps` on the sample's scope, or an importer), one
at a time, and prints a Markdown table: exit code, the diagnostic, wall time and peak memory (the
child's own, from wait4). docs/reliability.md records its output.
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "northwind"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

HEADER = ["control", "system", "evidence_id", "title", "kind", "owner",
          "effective_date", "expires", "status", "location", "notes"]

# Cell styles (xl/styles.xml below): 1 a date, 2 a date and time, 3 a time.
DATE, DATETIME, TIME = 1, 2, 3


def col_letters(n):
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def serial(day):
    """An Excel date serial (1900 system)."""
    return (day - dt.date(1899, 12, 30)).days


def text_cell(ref, value):
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def cell(ref, value):
    """A cell: text, a date, (number, style), ('error', '#REF!') or ('shared', index)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{DATE}"><v>{serial(value)}</v></c>'
    if isinstance(value, tuple):
        kind, v = value
        if kind == "error":
            return f'<c r="{ref}" t="e"><v>{v}</v></c>'
        if kind == "shared":
            return f'<c r="{ref}" t="s"><v>{v}</v></c>'
        return f'<c r="{ref}" s="{kind}"><v>{v}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return text_cell(ref, value)


def row_xml(number, values, first_col=1):
    cells = "".join(cell(f"{col_letters(first_col + i)}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def good_row(n):
    """A register row the sample's scope accepts."""
    return ["iso27001-2022:4.1", "", f"EV-{n:04d}", "ISMS context analysis", "report",
            "M. Chen (GRC Lead)", dt.date(2026, 2, 10), "", "approved",
            f"https://grc.example/ev/{n}", ""]


STYLES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          f'<styleSheet xmlns="{MAIN}"><cellXfs count="4"><xf numFmtId="0"/>'
          '<xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/>'
          '<xf numFmtId="21" applyNumberFormat="1"/></cellXfs></styleSheet>')


def part(name):
    """A zip entry dated 1980-01-01, so the same workbook is the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_book(path, sheet_chunks, shared=None, sheet="Register", merged=(), lie=None,
               styles=STYLES):
    """Write a workbook of one sheet. `sheet_chunks` yields the sheetData's XML in pieces (so a
    sheet of gigabytes is never held); `shared` yields the shared strings' XML the same way;
    `lie`: declare the sheet's part this many bytes long, whatever it holds."""
    parts = [("xl/worksheets/sheet1.xml", "worksheet"), ("xl/styles.xml", "styles")]
    if shared is not None:
        parts.append(("xl/sharedStrings.xml", "sharedStrings"))
    types = "".join(
        f'<Override PartName="/{p}" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.{"sheet.main" if k == "workbook" else k}+xml"/>'
        for p, k in [("xl/workbook.xml", "workbook")] + parts)
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="{DOC}/{k}" Target="{p[3:]}"/>'
                   for i, (p, k) in enumerate(parts))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(part("[Content_Types].xml"),
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" '
                   f'ContentType="application/xml"/>{types}</Types>')
        z.writestr(part("_rels/.rels"),
                   f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
                   f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr(part("xl/workbook.xml"),
                   f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
                   f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr(part("xl/_rels/workbook.xml.rels"), f'<Relationships xmlns="{RELS}">{rels}</Relationships>')
        z.writestr(part("xl/styles.xml"), styles)
        if shared is not None:
            with z.open(part("xl/sharedStrings.xml"), "w", force_zip64=True) as f:
                for piece in shared:
                    f.write(piece.encode())
        with z.open(part("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for piece in sheet_chunks:
                f.write(piece.encode())
            f.write(b"</sheetData>")
            if merged:
                f.write(f'<mergeCells count="{len(merged)}">'.encode())
                for m in merged:
                    f.write(f'<mergeCell ref="{m}"/>'.encode())
                f.write(b"</mergeCells>")
            f.write(b"</worksheet>")
    if lie is not None:
        declare(path, "xl/worksheets/sheet1.xml", lie)


def declare(path, name, size):
    """Rewrite the uncompressed size the zip's central directory declares for one part (in its
    zip64 extra field when it has one), leaving its data as it is."""
    data = bytearray(Path(path).read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        name_len = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + name_len] != name.encode():
            at += 4
            continue
        if data[at + 24:at + 28] != b"\xff\xff\xff\xff":
            data[at + 24:at + 28] = size.to_bytes(4, "little")
            break
        extra = at + 46 + name_len
        end = extra + int.from_bytes(data[at + 30:at + 32], "little")
        while extra < end:
            tag = int.from_bytes(data[extra:extra + 2], "little")
            if tag == 1:  # zip64: the uncompressed size comes first
                data[extra + 4:extra + 12] = size.to_bytes(8, "little")
            extra += 4 + int.from_bytes(data[extra + 2:extra + 4], "little")
        break
    Path(path).write_bytes(bytes(data))


def rows(*row_lists):
    """The sheetData of a header and rows, in one piece."""
    return ["".join(row_xml(i + 1, r) for i, r in enumerate(row_lists))]


OFFICE = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def write_ods(path, table_rows, sheet="Register"):
    """Write an ODS workbook of one sheet whose rows are `table_rows` (XML, in one piece)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        mimetype = part("mimetype")
        mimetype.compress_type = zipfile.ZIP_STORED
        z.writestr(mimetype, "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(part("META-INF/manifest.xml"),
                   '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                   'manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:'
                   'full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
                   'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
                   'manifest:media-type="text/xml"/></manifest:manifest>')
        z.writestr(part("content.xml"),
                   f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {OFFICE} '
                   f'office:version="1.2"><office:body><office:spreadsheet>'
                   f'<table:table table:name="{sheet}">{table_rows}</table:table>'
                   '</office:spreadsheet></office:body></office:document-content>')


def ods_row(values, repeat_rows=1):
    """A table row: each value text, or (text, columns it is repeated across)."""
    cells = []
    for v in values:
        text, times = v if isinstance(v, tuple) else (v, 1)
        rep = f' table:number-columns-repeated="{times}"' if times > 1 else ""
        cells.append(f'<table:table-cell{rep} office:value-type="string">'
                     f"<text:p>{escape(text)}</text:p></table:table-cell>")
    rep = f' table:number-rows-repeated="{repeat_rows}"' if repeat_rows > 1 else ""
    return f"<table:table-row{rep}>{''.join(cells)}</table:table-row>"


def biff(typ, data):
    """A BIFF8 record: its type, length and bytes."""
    return typ.to_bytes(2, "little") + len(data).to_bytes(2, "little") + data


def sst_records(strings):
    """An SST record of 8-bit strings, run on into CONTINUE records where a record is full (a
    string's characters then continue after a one-byte flag), as Excel writes a long one."""
    limit = 8224
    out, typ = bytearray(), 0x00FC
    current = bytearray(len(strings).to_bytes(4, "little") * 2)
    for text in strings:
        if len(current) + 4 > limit:
            out += biff(typ, bytes(current))
            typ, current = 0x003C, bytearray()
        current += len(text).to_bytes(2, "little") + b"\0"
        data = text.encode("latin-1")
        while data:
            if len(current) == limit:
                out += biff(typ, bytes(current))
                typ, current = 0x003C, bytearray(b"\0")
            n = min(limit - len(current), len(data))
            current += data[:n]
            data = data[n:]
    return bytes(out + biff(typ, bytes(current)))


def write_xls(path, strings, cells, sheet="Register", records=b"", globals_extra=b"", copies=1,
              step=0, skip=0):
    """Write an XLS workbook (BIFF8 in a version 3 compound file) of one sheet: `strings` its
    shared strings, `cells` (row, column, index) the shared-string cells of the sheet, `records`
    more of the sheet's records (raw), `globals_extra` more records of the workbook's globals.
    `copies`: that many sheets (`Register`, `Register2`, ...) whose records start at the one
    sheet's, the second and later `skip` bytes and then `step` bytes each further in."""
    def bof(kind):
        return biff(0x0809, (0x0600).to_bytes(2, "little") + kind.to_bytes(2, "little")
                    + bytes(12))
    rows = max((r for r, _, _ in cells), default=0) + 1
    cols = max((c for _, c, _ in cells), default=0) + 1
    sheet_stream = bof(0x0010) + biff(0x0200, (0).to_bytes(4, "little")
                                      + rows.to_bytes(4, "little") + bytes(2)
                                      + cols.to_bytes(2, "little") + bytes(2))
    sheet_stream += b"".join(biff(0x00FD, r.to_bytes(2, "little") + c.to_bytes(2, "little")
                                  + bytes(2) + i.to_bytes(4, "little")) for r, c, i in cells)
    sheet_stream += records + biff(0x000A, b"")
    names = [(sheet if i == 0 else f"{sheet}{i + 1}").encode("latin-1") for i in range(copies)]
    sst = sst_records(strings)
    globals_len = (len(bof(0x0005)) + sum(4 + 8 + len(n) for n in names) + len(globals_extra)
                   + len(sst) + 4)
    stream = bof(0x0005)
    for i, name in enumerate(names):
        start = globals_len + (skip + i * step if i else 0)
        stream += biff(0x0085, start.to_bytes(4, "little")
                       + bytes([0, 0, len(name), 0]) + name)
    stream += globals_extra + sst + biff(0x000A, b"")
    assert len(stream) == globals_len
    stream += sheet_stream
    # The compound file: the stream (at least 4 KB, so it is not in the mini stream), one
    # directory sector, then the FAT.
    stream = stream.ljust(4096, b"\0")
    data_sectors = -(-len(stream) // 512)
    fat_sectors = 1
    while (data_sectors + 1 + fat_sectors) > 128 * fat_sectors:
        fat_sectors += 1
    end, free, fat_mark, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [i + 1 for i in range(data_sectors - 1)] + [end, end] + [fat_mark] * fat_sectors
    fat += [free] * (128 * fat_sectors - len(fat))

    def entry(label, kind, child, start, size):
        raw = label.encode("utf-16-le") + b"\0\0" if label else b""
        return (raw.ljust(64, b"\0") + len(raw).to_bytes(2, "little") + bytes([kind, 1])
                + none.to_bytes(4, "little") * 2 + child.to_bytes(4, "little") + bytes(36)
                + start.to_bytes(4, "little") + size.to_bytes(8, "little"))
    directory = (entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, none, 0, len(stream))
                 + entry("", 0, none, 0, 0) * 2)
    difat = [data_sectors + 1 + i for i in range(fat_sectors)]
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + (0x3E).to_bytes(2, "little")
              + (3).to_bytes(2, "little") + (0xFFFE).to_bytes(2, "little")
              + (9).to_bytes(2, "little") + (6).to_bytes(2, "little") + bytes(6)
              + (0).to_bytes(4, "little") + fat_sectors.to_bytes(4, "little")
              + data_sectors.to_bytes(4, "little") + bytes(4) + (4096).to_bytes(4, "little")
              + end.to_bytes(4, "little") + bytes(4) + end.to_bytes(4, "little") + bytes(4)
              + b"".join(x.to_bytes(4, "little") for x in difat + [free] * (109 - len(difat))))
    with open(path, "wb") as f:
        f.write(header)
        f.write(stream.ljust(data_sectors * 512, b"\0"))
        f.write(directory)
        f.write(b"".join(x.to_bytes(4, "little") for x in fat))


def xls_formula(row, col, tokens, size=None):
    """A FORMULA record at (row, col): a cached number, then the formula's tokens (`size`: the
    size it claims for them, theirs by default)."""
    size = len(tokens) if size is None else size
    return biff(0x0006, row.to_bytes(2, "little") + col.to_bytes(2, "little") + bytes(2)
                + bytes(8) + bytes(2) + bytes(4) + size.to_bytes(2, "little") + tokens)


def xls_name(text):
    """A NAME record (a defined name) of 8-bit `text`, referring to nothing."""
    data = text.encode("latin-1")
    return biff(0x0018, bytes([0, 0, 0, len(data)]) + bytes(10) + b"\0" + data)


def gaps_on(file):
    return ["gaps", "--scope", "{sample}/scope.toml", "--evidence", file,
            "--as-of", "2026-09-30", "-o", "out.csv"]


GAPS = ["gaps", "--scope", "{sample}/scope.toml", "--evidence", "evidence.xlsx",
        "--as-of", "2026-09-30", "-o", "out.csv"]
ATTESTATIONS = ["gaps", "--scope", "{sample}/scope.toml", "--evidence",
                "{sample}/evidence.csv", "--attestations", "attestations.xlsx",
                "--as-of", "2026-09-30", "-o", "out.csv"]
IMPORT = ["import", "matrix", "matrix.xlsx", "--control-column", "Control", "--owner-column",
          "Owner", "--framework", "iso27001-2022", "--offering", "example/service", "-o", "data"]


def cases():
    """(folder, file, about, args, code, place, writer): `writer(path)` writes the workbook."""
    out = []

    def case(folder, about, code, place, writer, file="evidence.xlsx", args=GAPS):
        out.append((folder, file, about, args, code, place, writer))

    # Cells far out: Excel's last cell is XFD1048576.
    case("workbook-cell-at-xfd1048576",
         "a register with a stray value in Excel's last cell, XFD1048576 (calamine's dense "
         "range asked for 550 GB)", "cell-beyond-header",
         "evidence.xlsx: sheet Register, cell XFD1048576",
         lambda p: write_book(p, rows(HEADER, good_row(1)) + [row_xml(1048576, ["x"], 16384)]))
    case("workbook-only-cell-at-xfd1048576",
         "a workbook whose one cell is XFD1048576: its header row is row 1,048,576",
         "missing-column", "evidence.xlsx: sheet Register, row 1048576 (header)",
         lambda p: write_book(p, [row_xml(1048576, ["x"], 16384)]))
    case("workbook-cell-row-4e9",
         "a cell at row 4,000,000,000 (calamine's dense range asked for 1.4 TB)",
         "cell-out-of-range", "evidence.xlsx: sheet Register, row 4000000000",
         lambda p: write_book(p, rows(HEADER, good_row(1)) + [row_xml(4_000_000_000, ["x"])]))
    case("workbook-cell-column-zzzz",
         "a cell in column ZZZZ, beyond Excel's last column XFD (accepted after 4.3 GB)",
         "cell-out-of-range", "evidence.xlsx: sheet Register, cell ZZZZ3",
         lambda p: write_book(p, rows(HEADER, good_row(1)) + [row_xml(3, ["x"], 475254)]))
    # References that overflow calamine's 32-bit numbers and wrap around to a cell in the grid:
    # the evidence ID of row 2 written at C4294967298 (read as C2), the title of row 2 in the
    # column 2**32 + 4 (read as D2). Without the package scan both rows were accepted as written.
    def wrapped(ref_of):
        def write(p):
            cells = "".join(cell(ref_of(i + 1), v) for i, v in enumerate(good_row(1)))
            write_book(p, rows(HEADER) + [f'<row r="2">{cells}</row>'])
        return write
    case("workbook-cell-row-wraps",
         "a cell at row 4,294,967,298, which a 32-bit reader takes for row 2",
         "cell-out-of-range", "evidence.xlsx: sheet Register, cell C4294967298",
         wrapped(lambda c: f"{col_letters(c)}{4294967298 if c == 3 else 2}"))
    case("workbook-cell-column-wraps",
         "a cell in column 4,294,967,300 (seven letters), which a 32-bit reader takes for "
         "column D", "cell-out-of-range",
         f"evidence.xlsx: sheet Register, cell {col_letters(2**32 + 4)}2",
         wrapped(lambda c: f"{col_letters(2**32 + 4 if c == 4 else c)}2"))
    case("workbook-merged-range-reversed",
         "a merged area written end first (B3:A2), which a reader subtracts into a huge size",
         "unreadable-file", "evidence.xlsx: sheet Register",
         lambda p: write_book(p, rows(HEADER, good_row(1), good_row(2)), merged=["B3:A2"]))
    case("import-matrix-cell-row-4e9",
         "import matrix on a workbook with a cell at row 4,000,000,000",
         "cell-out-of-range", "matrix.xlsx: sheet Register, row 4000000000",
         lambda p: write_book(p, rows(["Control", "Owner"], ["5.1", "customer"])
                              + [row_xml(4_000_000_000, ["x"], 3)]),
         file="matrix.xlsx", args=IMPORT)
    # Parts that claim or hold more than they should.
    case("workbook-shared-strings-claimed-count",
         "shared strings claiming a count of 4,000,000,000 (calamine reserves room for them "
         "before reading one)", "workbook-too-large", "evidence.xlsx",
         lambda p: write_book(p, rows(HEADER), shared=[
             f'<sst xmlns="{MAIN}" count="1" uniqueCount="4000000000"><si><t>a</t></si></sst>']))
    case("workbook-shared-strings-count-after-quoted-gt",
         "shared strings claiming 4,000,000,000 after a `>` inside a quoted attribute value (a "
         "fuzz finding: the count was missed, calamine reserved room for them)",
         "workbook-too-large", "evidence.xlsx",
         lambda p: write_book(p, rows(HEADER), shared=[
             f'<sst xmlns="{MAIN}" note="a</row>b" count="1"\n uniqueCount = \'4000000000\'>'
             '<si><t>a</t></si></sst>']))
    case("workbook-part-size-lie",
         "a sheet part holding more than the size its zip entry declares",
         "unreadable-file", "evidence.xlsx",
         lambda p: write_book(p, rows(HEADER, *[good_row(i) for i in range(1, 200)]), lie=2000))
    case("workbook-cell-xml-run",
         "one cell holding 2 MiB of text (its XML runs 2 MiB without a tag)",
         "workbook-too-large", "evidence.xlsx: sheet Register, cell D2",
         lambda p: write_book(p, rows(HEADER) + [
             '<row r="2">' + text_cell("A2", "iso27001-2022:4.1") + text_cell("C2", "EV-1")
             + '<c r="D2" t="inlineStr"><is><t>', "a" * (2 << 20), "</t></is></c></row>"]))
    def amplified(p):
        # Rows without row numbers (each one the row after the last), all alike: a few KB.
        head = ["control", "evidence_id", "title", "owner", "effective_date", "status", "location"]
        texts = ["iso27001-2022:4.1", "EV-1", "t" * 30_000, "M. Chen", "approved", "https://x"]
        one = ("<row>" + "".join(f'<c t="s"><v>{i}</v></c>' for i in range(4))
               + f'<c s="{DATE}"><v>{serial(dt.date(2026, 2, 10))}</v></c>'
               + "".join(f'<c t="s"><v>{i}</v></c>' for i in (4, 5)) + "</row>")
        sst = "".join(f"<si><t>{t}</t></si>" for t in texts)
        write_book(p, rows(head) + [one * 10_000],
                   shared=[f'<sst xmlns="{MAIN}" uniqueCount="{len(texts)}">{sst}</sst>'])

    case("workbook-shared-string-amplified",
         "one shared string of 30,000 characters used in 10,000 cells: 300 MB of text from a "
         "file of a few KB", "workbook-too-large",
         "evidence.xlsx: sheet Register, cell C8936 (title)", amplified)
    case("import-matrix-too-many-cells",
         "import matrix on a sheet read whole that is 16,384 columns wide and 300 rows deep "
         "(4.9 million cells)", "workbook-too-large", "matrix.xlsx: sheet Register, row 245",
         lambda p: write_book(p, rows(["Control", "Owner"], ["5.1", "customer"])
                              + ["".join(row_xml(r, ["x"], 16384) for r in range(3, 301))]),
         file="matrix.xlsx", args=IMPORT)
    case("workbook-cell-too-long",
         "a title of 40,000 characters, over Excel's 32,767", "cell-too-long",
         "evidence.xlsx: sheet Register, cell D2 (title)",
         lambda p: write_book(p, rows(HEADER, good_row(1)[:3] + ["t" * 40_000] + good_row(1)[4:])))
    # Cells a register cannot be read from.
    case("workbook-merged-cells",
         "B2:B4 merged to `payments`: rows 3 and 4 would read as every system",
         "merged-cells", "evidence.xlsx: sheet Register, cell B2",
         lambda p: write_book(p, rows(HEADER, *[
             good_row(i)[:1] + (["payments"] if i == 1 else [""]) + good_row(i)[2:]
             for i in range(1, 4)]), merged=["B2:B4"]))
    case("workbook-error-cell-id",
         "an evidence ID that is a formula's #REF! error", "error-cell",
         "evidence.xlsx: sheet Register, cell C3 (evidence_id)",
         lambda p: write_book(p, rows(HEADER, good_row(1),
                                      good_row(2)[:2] + [("error", "#REF!")] + good_row(2)[3:])))
    case("workbook-error-cell-owner",
         "an owner that is #N/A (a failed lookup)", "error-cell",
         "evidence.xlsx: sheet Register, cell F2 (owner)",
         lambda p: write_book(p, rows(HEADER, good_row(1)[:5] + [("error", "#N/A")]
                                      + good_row(1)[6:])))
    case("workbook-time-only-date",
         "an effective date cell holding only a time (read as 1899-12-31 before)",
         "bad-date", "evidence.xlsx: sheet Register, cell G2 (effective_date)",
         lambda p: write_book(p, rows(HEADER, good_row(1)[:6] + [(TIME, 0.5625)]
                                      + good_row(1)[7:])))
    case("workbook-date-with-time",
         "an effective date cell at 13:30, not midnight", "bad-date",
         "evidence.xlsx: sheet Register, cell G2 (effective_date)",
         lambda p: write_book(p, rows(HEADER, good_row(1)[:6]
                                      + [(DATETIME, serial(dt.date(2026, 2, 10)) + 0.5625)]
                                      + good_row(1)[7:])))
    case("workbook-control-character",
         "a NUL in an evidence ID (written _x0000_, as Excel does)", "control-character",
         "evidence.xlsx: sheet Register, cell C2 (evidence_id)",
         lambda p: write_book(p, rows(HEADER, good_row(1)[:2] + ["EV-_x0000_1"] + good_row(1)[3:])))
    case("workbook-duplicate-column",
         "two `status` columns (`Status` and `status`): the first silently won",
         "duplicate-column", "evidence.xlsx: sheet Register, cell L1 (status)",
         lambda p: write_book(p, rows(HEADER + ["status"], good_row(1) + ["rejected"])))
    case("workbook-cell-beyond-header",
         "a value in column M of a row, beyond the header's last column (K)",
         "cell-beyond-header", "evidence.xlsx: sheet Register, cell M2",
         lambda p: write_book(p, rows(HEADER, good_row(1) + ["", "stray"])))
    case("attestations-error-cell",
         "an attestation's expiry that is #VALUE!", "error-cell",
         "attestations.xlsx: sheet Register, cell F2 (expires)",
         lambda p: write_book(p, rows(
             ["provider", "kind", "offerings", "period_start", "period_end", "expires", "reference"],
             ["aws", "soc2-type2", "*", dt.date(2025, 4, 1), dt.date(2026, 3, 31),
              ("error", "#VALUE!"), "AWS SOC 2"])),
         file="attestations.xlsx", args=ATTESTATIONS)
    # Workbooks calamine parses whole when it opens them (ODS, XLS): what it would hold is
    # counted first.
    ods_header = ods_row(HEADER)
    ods_good = "".join(ods_row([str(v) if v is not None else "" for v in good_row(i)])
                       for i in range(1, 4))
    case("workbook-ods-repeated-cell",
         "an ODS register with a value repeated across 16,384 columns and 6,000 rows: 98 "
         "million cells from 3 KB (calamine expanded them all)", "workbook-too-large",
         "evidence.ods: sheet Register, row 5",
         lambda p: write_ods(p, ods_header + ods_good + ods_row([("x", 16384)], 6000)),
         file="evidence.ods", args=gaps_on("evidence.ods"))
    case("workbook-ods-text-spaces",
         "an ODS title of 2,000,000,000 spaces, written as one `<text:s text:c=...>` element",
         "workbook-too-large", "evidence.ods: sheet Register, row 2",
         lambda p: write_ods(p, ods_header + ods_good.replace(
             "<text:p>ISMS context analysis</text:p>",
             '<text:p><text:s text:c="2000000000"/></text:p>', 2)),
         file="evidence.ods", args=gaps_on("evidence.ods"))
    case("workbook-ods-repeated-string",
         "an ODS title of 30,000 characters repeated across 100 columns and 1,000 rows (3 "
         "billion characters)", "workbook-too-large", "evidence.ods: sheet Register, row 5",
         lambda p: write_ods(p, ods_header + ods_good + ods_row(
             ["iso27001-2022:4.1", "", "EV-9", ("t" * 30_000, 100)], 1000)),
         file="evidence.ods", args=gaps_on("evidence.ods"))
    case("import-matrix-ods-repeated-cell",
         "import matrix on an ODS matrix whose third row repeats a value across 16,384 "
         "columns and 300 rows", "workbook-too-large", "matrix.ods: sheet Register, row 3",
         lambda p: write_ods(p, ods_row(["Control", "Owner"]) + ods_row(["5.1", "customer"])
                             + ods_row([("x", 16384)], 300)),
         file="matrix.ods", args=[a.replace("matrix.xlsx", "matrix.ods") for a in IMPORT])
    case("workbook-xls-shared-string-amplified",
         "an XLS register whose shared string of 65,535 characters is used by 1,100 cells (72 "
         "million characters from 80 KB; calamine copies it into every cell)",
         "workbook-too-large", "evidence.xls: sheet Register, cell A1025",
         lambda p: write_xls(p, ["EV-1", "t" * 65_535], [(r, 0, 1) for r in range(1100)]),
         file="evidence.xls", args=gaps_on("evidence.xls"))
    # A formula of 2,000 runs of 255 spaces, each space inserted before the text so far.
    spaces = b"\x1e\x01\x00" + b"\x19\x40\x00\xff" * 2000
    case("workbook-xls-formula-spaces",
         "an XLS register with one formula of 2,000 runs of 255 spaces (calamine writes every "
         "formula out as text, inserting each space before the text so far: minutes of work)",
         "workbook-too-large", "evidence.xls: sheet Register, cell B1",
         lambda p: write_xls(p, ["EV-1"], [(0, 0, 0)], records=xls_formula(0, 1, spaces)),
         file="evidence.xls", args=gaps_on("evidence.xls"))
    case("workbook-xls-formula-cut-short",
         "an XLS register with a formula whose size claims more tokens than its record holds "
         "(calamine panicked: exit 101)", "unreadable-file", "evidence.xls",
         lambda p: write_xls(p, ["EV-1"], [(0, 0, 0)],
                             records=xls_formula(0, 1, b"\x24\x00", size=200)),
         file="evidence.xls", args=gaps_on("evidence.xls"))
    case("workbook-xls-sheets-overlap",
         "an XLS workbook of 2,000 sheets that all start inside one sheet of 3,000 cells, one "
         "cell further each (calamine reads that sheet's records again for each, 3 million "
         "cells)", "unreadable-file", "evidence.xls: sheet Register30",
         lambda p: write_xls(p, ["EV-1"], [(r, 0, 0) for r in range(3000)], copies=2000,
                             skip=38, step=14),
         file="evidence.xls", args=gaps_on("evidence.xls"))
    case("workbook-xls-sheet-copies",
         "an XLS workbook of 1,000 sheets that all start at one sheet of 5,000 cells (calamine "
         "holds each copy)", "workbook-too-large", "evidence.xls: sheet Register401",
         lambda p: write_xls(p, ["EV-1"], [(r, 0, 0) for r in range(5000)], copies=1000),
         file="evidence.xls", args=gaps_on("evidence.xls"))
    return out


# A register row of shared strings and a date, without row or cell references: 162 bytes.
BOMB_HEADER = ["control", "evidence_id", "title", "owner", "effective_date", "status", "location"]
BOMB_ROW = ("<row>" + "".join(f'<c t="s"><v>{i}</v></c>' for i in range(4))
            + f'<c s="{DATE}"><v>{serial(dt.date(2026, 2, 10))}</v></c>'
            + "".join(f'<c t="s"><v>{i}</v></c>' for i in (4, 5)) + "</row>")
BOMB_STRINGS = (f'<sst xmlns="{MAIN}" uniqueCount="6">'
                + "".join(f"<si><t>{t}</t></si>" for t in
                          ["iso27001-2022:4.1", "EV-1", "t", "o", "approved", "l"])
                + "</sst>")


def big():
    """(file, about, args, writer): too large for the corpus; built for `run`."""
    def bomb_rows():
        # A register's header, then 6,000,000 rows of one number each, without row numbers (a
        # row is the one after the last): 156 MB of XML in a few hundred KB.
        yield row_xml(1, HEADER)
        piece = "<row><c><v>1</v></c></row>" * 100_000
        for _ in range(60):
            yield piece

    def good_bomb():
        # The register's header, then 6,000,000 good rows alike (shared strings, no row
        # numbers): 972 MB of XML in 3.8 MB. They are read up to Excel's last row.
        yield row_xml(1, BOMB_HEADER)
        piece = BOMB_ROW * 10_000
        for _ in range(600):
            yield piece

    def giant_cell():
        yield row_xml(1, HEADER)
        yield '<row r="2"><c r="D2" t="inlineStr"><is><t>'
        chunk = "a" * (1 << 24)
        for _ in range(128):  # 2 GiB
            yield chunk
        yield "</t></is></c></row>"

    def strings_bomb():
        # 7,000,000 shared strings in 119 MB of XML (under the part's limit), with no count
        # claimed: srmap counts them.
        yield f'<sst xmlns="{MAIN}">'
        piece = "<si><t>a</t></si>" * 100_000
        for _ in range(70):
            yield piece
        yield "</sst>"

    def near_limit_rows():
        # Just under the limits: 1,048,575 good rows of about 950 bytes of XML each (ten
        # number columns after the register's), 1,000 MB in all, 130 MB of it text.
        extra = [f"n{i}" for i in range(10)]
        yield row_xml(1, HEADER + extra)
        batch = []
        for r in range(2, 1_048_577):
            batch.append(row_xml(r, good_row(r) + [(r + i) % 10 for i in range(10)]))
            if len(batch) == 10_000:
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    def near_limit_strings():
        # 1,999,990 shared strings (under the 2,000,000 limit), each used once.
        yield f'<sst xmlns="{MAIN}" uniqueCount="1999990">'
        for start in range(0, 1_999_990, 100_000):
            yield "".join(f"<si><t>EV-{i:07d} a title of some length</t></si>"
                          for i in range(start, min(start + 100_000, 1_999_990)))
        yield "</sst>"

    def shared_rows():
        # Every row a good one whose evidence ID is a shared string (Excel's 1,048,575 rows:
        # the other half of the strings is not used).
        yield row_xml(1, HEADER)
        for start in range(0, 1_048_575, 10_000):
            yield "".join(row_xml(2 + i, good_row(i)[:2] + [("shared", i)] + good_row(i)[3:])
                          for i in range(start, min(start + 10_000, 1_048_575)))

    def ods_rows(count, title):
        # A register of `count` good rows (each with its own evidence ID), in ODS.
        head = ods_row(HEADER)
        body = "".join(ods_row([str(v) if v is not None else "" for v in
                                good_row(i)[:3] + [title] + good_row(i)[4:]])
                       for i in range(1, count + 1))
        return head + body

    return [
        ("near-limit-ods-cells.ods",
         "an ODS register of 170,000 rows (3.91 million cells held, under the 4,000,000 limit)",
         gaps_on("evidence.ods"), lambda p: write_ods(p, ods_rows(170_000, "ISMS context"))),
        ("near-limit-ods-text.ods",
         "an ODS register of 30,000 rows with titles of 1,000 characters (60 million "
         "characters held, under the 64 Mi limit)", gaps_on("evidence.ods"),
         lambda p: write_ods(p, ods_rows(30_000, "t" * 1_000))),
        ("zip-bomb-6m-good-rows.xlsx",
         "zip bomb: 6,000,000 good register rows, read up to Excel's last row", GAPS,
         lambda p: write_book(p, good_bomb(), shared=[BOMB_STRINGS])),
        ("zip-bomb-6m-rows.xlsx", "zip bomb: 6,000,000 rows (was 240 s and 7.2 GB, still running)",
         GAPS, lambda p: write_book(p, bomb_rows())),
        ("cell-2gib.xlsx", "one cell of 2 GiB (used 6.1 GB)", GAPS,
         lambda p: write_book(p, giant_cell())),
        ("shared-strings-bomb.xlsx", "7,000,000 shared strings (a bomb of this kind used 2.1 GB)", GAPS,
         lambda p: write_book(p, rows(HEADER), shared=strings_bomb())),
        ("near-limit-rows.xlsx", "1,048,575 register rows, 1,000 MB of XML: just under the limits",
         GAPS, lambda p: write_book(p, near_limit_rows())),
        ("near-limit-strings.xlsx", "1,999,990 shared strings, 1,048,575 rows: just under the limits",
         GAPS, lambda p: write_book(p, shared_rows(), shared=near_limit_strings())),
    ]


def build(out, corpus):
    out.mkdir(parents=True, exist_ok=True)
    for folder, file, about, args, code, place, writer in cases():
        path = out / f"{folder}{Path(file).suffix}"
        writer(path)
        if corpus is not None:
            size = path.stat().st_size
            if size > 100_000:
                sys.exit(f"{folder}: {size} bytes, too large for the corpus")
            case_dir = corpus / folder
            case_dir.mkdir(parents=True, exist_ok=True)
            (case_dir / file).write_bytes(path.read_bytes())
            toml = (f"# written by scripts/hostile_workbooks.py build --corpus\n"
                    f"about = {quote(about)}\n"
                    f"args = [{', '.join(quote(a) for a in args)}]\n"
                    f"code = {quote(code)}\n"
                    f"place = {quote(place)}\n")
            (case_dir / "case.toml").write_text(toml)
    for file, about, args, writer in big():
        path = out / file
        if not path.exists():
            print(f"writing {path}", file=sys.stderr)
            writer(path)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(out, srmap):
    print("| workbook | size | exit | diagnostic | wall | peak memory |")
    print("|---|---:|---:|---|---:|---:|")
    entries = [(f"{c[0]}{Path(c[1]).suffix}", c[1], c[3]) for c in cases()]
    entries += [(b[0], f"evidence{Path(b[0]).suffix}", b[2]) for b in big()]
    for name, role, args in entries:
        path = out / name
        if not path.exists():
            continue
        work = out / "run"
        work.mkdir(exist_ok=True)
        target = work / role
        if target.exists() or target.is_symlink():
            target.unlink()
        target.symlink_to(path.resolve())
        argv = [str(srmap.resolve())] + [a.replace("{sample}", str(SAMPLE)) for a in args]
        timer = Path("/usr/bin/time")
        if timer.exists():
            argv = [str(timer), "-f", "%M", "-o", str(work / "rss")] + argv
        start = time.monotonic()
        with open(work / "stderr", "wb") as err_file:
            proc = subprocess.Popen(argv, cwd=work, stdout=subprocess.DEVNULL, stderr=err_file,
                                    env={**os.environ, "NO_COLOR": "1"})
            _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        code = os.waitstatus_to_exitcode(status)
        # GNU time's figure when it ran (the child alone); else wait4's, which can include
        # what this script held when it forked.
        peak_kb = int((work / "rss").read_text().split()[-1]) if timer.exists() else usage.ru_maxrss
        # The last diagnostic (after a thousand problems, the one that says srmap stopped).
        with open(work / "stderr", "rb") as f:
            f.seek(max(0, (work / "stderr").stat().st_size - (1 << 16)))
            err = f.read().decode(errors="replace")
        errors = [line for line in err.splitlines() if line.startswith("error[")]
        if errors:
            last = errors[-1].split(": ", 2)
            diag = last[0] + (": " + last[2][:90] if len(last) > 2 else "")
        else:
            diag = (err.strip().splitlines() or [""])[-1][:120]
        for leftover in ("out.csv", "data"):
            p = work / leftover
            if p.is_file():
                p.unlink()
        size = path.stat().st_size
        shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} KB"
        print(f"| {name} | {shown} | {code} | `{diag.replace('|', '/')}` "
              f"| {wall:.2f} s | {peak_kb / 1024:.0f} MB |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("out", type=Path)
    b.add_argument("--corpus", type=Path)
    r = sub.add_parser("run")
    r.add_argument("out", type=Path)
    r.add_argument("--srmap", type=Path, default=ROOT / "target" / "release" / "srmap")
    a = ap.parse_args()
    if a.cmd == "build":
        build(a.out, a.corpus)
    else:
        run(a.out, a.srmap)


if __name__ == "__main__":
    main()
