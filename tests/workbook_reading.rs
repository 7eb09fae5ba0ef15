//! The table layer's workbooks, read as a stream of cells (issue 13): rows keep their numbers
//! across gaps, sheets read whole keep their blank rows, dates at midnight are dates, a bad cell
//! is refused only where a value is read, and merged areas read as Excel stores them in the
//! importers' sheets. The hostile workbooks are in the bad-input corpus
//! (`tests/fixtures/bad-input/workbook-*`, made by `scripts/hostile_workbooks.py`).

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as Writer};
use srmap::diagnostic::Code;
use srmap::table::{Cell, Records, Workbook};

const HEADER: [&str; 7] = [
    "control",
    "evidence_id",
    "title",
    "owner",
    "effective_date",
    "status",
    "location",
];

/// A register sheet: the header on row `header_row` (0-based) and `rows` below it, each at its
/// own 0-based row.
fn register(path: &Path, header_row: u32, rows: &[(u32, [&str; 7])]) {
    let mut wb = Writer::new();
    let ws = wb.add_worksheet();
    ws.set_name("Register").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(header_row, c as u16, *h).unwrap();
    }
    for (r, values) in rows {
        for (c, v) in values.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(*r, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn row(id: &str) -> [&str; 7] {
    [
        "iso27001-2022:4.1",
        id,
        "t",
        "o",
        "2026-02-10",
        "approved",
        "l",
    ]
}

#[test]
fn rows_keep_their_numbers_across_gaps_and_blank_rows_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    register(
        &path,
        2,
        &[(3, row("EV-1")), (7, row("EV-2")), (40_000, row("EV-3"))],
    );
    let records = Records::open(&path, None, b',').unwrap();
    assert_eq!(records.header_line, 3);
    let mut seen = Vec::new();
    let count = records
        .each_row(&HEADER, |row, place, _| {
            seen.push((place.line, row.text(1)));
        })
        .unwrap();
    assert_eq!(count, 3);
    assert_eq!(
        seen,
        [
            (4, "EV-1".to_string()),
            (8, "EV-2".to_string()),
            (40_001, "EV-3".to_string())
        ]
    );
}

#[test]
fn a_sheet_read_whole_keeps_its_blank_rows_and_is_as_wide_as_its_widest_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.xlsx");
    let mut wb = Writer::new();
    let ws = wb.add_worksheet();
    ws.write_string(1, 1, "Control").unwrap();
    ws.write_string(1, 2, "Owner").unwrap();
    ws.write_string(4, 1, "5.1").unwrap();
    ws.write_string(4, 4, "far").unwrap();
    wb.save(&path).unwrap();
    let mut book = Workbook::open(&path).unwrap();
    let table = book.read_exact("Sheet1").unwrap();
    let lines: Vec<u64> = table.rows.iter().map(|r| r.line).collect();
    assert_eq!(
        lines,
        [2, 3, 4, 5],
        "from the first row with a value to the last"
    );
    assert!(table.rows[1].is_blank() && table.rows[2].is_blank());
    assert!(table.rows.iter().all(|r| r.cells.len() == 5));
    assert_eq!(table.rows[3].text(4), "far");
    assert_eq!(table.rows[0].text(0), "");
}

#[test]
fn iterating_a_sheets_records_reads_the_rows_under_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    register(&path, 0, &[(1, row("EV-1")), (5, row("EV-2"))]);
    let records = Records::open(&path, None, b',').unwrap();
    let ids: Vec<String> = records.rows.map(|r| r.unwrap().text(1)).collect();
    assert_eq!(ids, ["EV-1", "", "", "", "EV-2"]);
}

#[test]
fn date_cells_are_dates_at_midnight_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.xlsx");
    let mut wb = Writer::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let time = Format::new().set_num_format("hh:mm");
    let day = ExcelDateTime::from_ymd(2026, 2, 10).unwrap();
    let noon = ExcelDateTime::from_ymd(2026, 2, 10)
        .unwrap()
        .and_hms(12, 30, 0)
        .unwrap();
    let only_time = ExcelDateTime::from_hms(9, 15, 0).unwrap();
    ws.write_datetime_with_format(0, 0, &day, &date).unwrap();
    ws.write_datetime_with_format(0, 1, &day, &stamp).unwrap();
    ws.write_datetime_with_format(0, 2, &noon, &stamp).unwrap();
    ws.write_datetime_with_format(0, 3, &only_time, &time)
        .unwrap();
    wb.save(&path).unwrap();
    let mut book = Workbook::open(&path).unwrap();
    let cells = book.read_exact("Sheet1").unwrap().rows[0].cells.clone();
    let want = jiff::civil::date(2026, 2, 10);
    assert_eq!(cells[0], Cell::Date(want));
    assert_eq!(
        cells[1],
        Cell::Date(want),
        "a timestamp at midnight is a date"
    );
    let noon_err = cells[2].date().unwrap_err();
    assert!(
        noon_err.contains("`2026-02-10 12:30:00` is a date and a time"),
        "{noon_err}"
    );
    let time_err = cells[3].date().unwrap_err();
    assert!(
        time_err.contains("`09:15:00` is a time of day without a date"),
        "{time_err}"
    );
}

#[test]
fn an_error_value_is_refused_only_in_a_column_that_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.xlsx");
    let mut wb = Writer::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().chain(["notes"].iter()).enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in row("EV-1").iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    // A formula whose cached result is #N/A, in the notes column srmap does not read.
    ws.write_formula(1, 7, "=NA()").unwrap();
    ws.set_formula_result(1, 7, "#N/A");
    wb.save(&path).unwrap();
    let records = Records::open(&path, None, b',').unwrap();
    let h = &records.header;
    let cols: Vec<Option<usize>> = HEADER.iter().map(|c| h.get(c)).collect();
    let mut notes = Vec::new();
    let count = records
        .each_row(&HEADER, |row, _, _| notes.push(row.get(7).clone()))
        .unwrap();
    assert_eq!(count, 1);
    assert!(cols.iter().all(Option::is_some));
    assert!(
        matches!(notes[0], Cell::Error(_)),
        "the notes cell is kept as it is: {:?}",
        notes[0]
    );
}

#[test]
fn merged_areas_read_as_stored_in_a_sheet_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.xlsx");
    let mut wb = Writer::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 2, "Ownership", &Format::new())
        .unwrap();
    ws.write_string(1, 0, "Control").unwrap();
    ws.write_string(1, 1, "CSP").unwrap();
    ws.write_string(1, 2, "Customer").unwrap();
    wb.save(&path).unwrap();
    let mut book = Workbook::open(&path).unwrap();
    let table = book.read_exact("Sheet1").unwrap();
    assert_eq!(table.rows[0].text(0), "Ownership");
    assert_eq!(
        table.rows[0].text(1),
        "",
        "the merged area's other cells are empty"
    );
    // A register sheet with a merged area is refused, the area named.
    let err = match Records::open(&path, None, b',') {
        Err(e) => e,
        Ok(_) => panic!("a merged area in a register"),
    };
    assert_eq!(err.0[0].code, Code::MergedCells);
    assert!(err.0[0].message.contains("cells A1:C1 are merged"));
}

#[test]
fn a_csv_row_may_end_in_empty_fields_beyond_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.csv");
    std::fs::write(
        &path,
        format!(
            "{}\niso27001-2022:4.1,EV-1,t,o,2026-02-10,approved,l,, \n",
            HEADER.join(",")
        ),
    )
    .unwrap();
    let records = Records::open(&path, None, b',').unwrap();
    assert_eq!(records.each_row(&HEADER, |_, _, _| {}).unwrap(), 1);
}

#[test]
fn a_line_break_or_tab_in_a_cell_is_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.csv");
    std::fs::write(
        &path,
        format!(
            "{}\niso27001-2022:4.1,EV-1,\"two\nlines\tand a tab\",o,2026-02-10,approved,l\n",
            HEADER.join(",")
        ),
    )
    .unwrap();
    let records = Records::open(&path, None, b',').unwrap();
    let mut titles = Vec::new();
    records
        .each_row(&HEADER, |row, _, _| titles.push(row.text(2)))
        .unwrap();
    assert_eq!(titles, ["two\nlines\tand a tab"]);
}

/// A BIFF8 record.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = typ.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
    out
}

/// A minimal XLS workbook: one sheet, `Register`, with a DIMENSIONS record claiming `rows` by
/// `cols` and a number at each of `cells`.
fn xls(path: &Path, rows: u32, cols: u16, cells: &[(u16, u16)]) {
    let mut records = Vec::new();
    for &(r, c) in cells {
        let mut d = r.to_le_bytes().to_vec();
        d.extend(c.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(7.0f64.to_le_bytes());
        records.extend(record(0x0203, &d));
    }
    xls_book(path, rows, cols, &[], &records);
}

/// An XLS workbook of one sheet, `Register`: `globals` (records) after its sheet list, and the
/// sheet's `cells` (records) after a DIMENSIONS record claiming `rows` by `cols`.
fn xls_book(path: &Path, rows: u32, cols: u16, globals: &[u8], cells: &[u8]) {
    let bof = |dt: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        record(0x0809, &d)
    };
    let mut sheet = bof(0x0010);
    let mut dims = 0u32.to_le_bytes().to_vec();
    dims.extend(rows.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    dims.extend(cols.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    sheet.extend(record(0x0200, &dims));
    sheet.extend(cells);
    sheet.extend(record(0x000A, &[]));
    let name = b"Register";
    let boundsheet_len = 4 + 8 + name.len();
    let globals_len = bof(0x0005).len() + boundsheet_len + globals.len() + 4;
    let mut bs = (globals_len as u32).to_le_bytes().to_vec();
    bs.extend([0, 0, name.len() as u8, 0]);
    bs.extend(name);
    let mut stream = bof(0x0005);
    stream.extend(record(0x0085, &bs));
    stream.extend(globals);
    stream.extend(record(0x000A, &[]));
    assert_eq!(stream.len(), globals_len);
    stream.extend(sheet);
    compound(path, &stream);
}

/// An XLS file whose `Workbook` stream is `stream`.
fn compound(path: &Path, stream: &[u8]) {
    let mut file = cfb::create(path).unwrap();
    let mut s = file.create_stream("/Workbook").unwrap();
    std::io::Write::write_all(&mut s, stream).unwrap();
    drop(s);
    // A small stream beside it, as Excel writes (its summary): calamine's compound-file reader
    // wants the root's mini stream, which only streams under 4 KB are kept in.
    let mut summary = file.create_stream("/\u{5}SummaryInformation").unwrap();
    std::io::Write::write_all(&mut summary, &[0u8; 64]).unwrap();
}

/// An SST record of `strings` 8-bit strings, run on into CONTINUE records (each starting with
/// the one-byte flag) where a record is full, as Excel writes a long string.
fn shared_strings(strings: &[&str]) -> Vec<u8> {
    const MAX: usize = 8224;
    let mut out = Vec::new();
    let mut current = (strings.len() as u32).to_le_bytes().to_vec();
    current.extend((strings.len() as u32).to_le_bytes());
    let mut typ = 0x00FCu16;
    for s in strings {
        if current.len() + 4 > MAX {
            out.extend(record(typ, &current));
            (typ, current) = (0x003C, Vec::new());
        }
        current.extend((s.len() as u16).to_le_bytes());
        current.push(0);
        let mut bytes = s.as_bytes();
        while !bytes.is_empty() {
            let room = MAX - current.len();
            if room == 0 {
                out.extend(record(typ, &current));
                (typ, current) = (0x003C, vec![0]);
                continue;
            }
            let n = room.min(bytes.len());
            current.extend(&bytes[..n]);
            bytes = &bytes[n..];
        }
    }
    out.extend(record(typ, &current));
    out
}

/// A LABELSST record: the shared string `index` at `row`, `col`.
fn label_sst(row: u16, col: u16, index: u32) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(index.to_le_bytes());
    record(0x00FD, &d)
}

#[test]
fn an_xls_workbook_is_read_and_one_that_claims_too_much_is_refused_before_calamine() {
    let dir = tempfile::tempdir().unwrap();
    let fine = dir.path().join("fine.xls");
    xls(&fine, 3, 2, &[(0, 0), (2, 1)]);
    let mut book = Workbook::open(&fine).unwrap();
    let table = book.read_exact("Register").unwrap();
    assert_eq!(table.rows.len(), 3);
    assert_eq!(table.rows[2].text(1), "7");

    // A DIMENSIONS record claiming four billion rows: calamine would reserve room for them.
    let claims = dir.path().join("claims.xls");
    xls(&claims, 4_000_000_000, 200, &[(0, 0)]);
    let err = Workbook::open(&claims).err().expect("refused");
    assert_eq!(err.0[0].code, Code::WorkbookTooLarge);
    assert!(
        err.0[0].to_string().contains("sheet Register")
            && err.0[0].message.contains("claims 800,000,000,000 cells"),
        "{}",
        err.0[0]
    );

    // Two cells far apart: calamine's dense range would span 65,536 rows by 65,536 columns.
    let spans = dir.path().join("spans.xls");
    xls(&spans, 1, 1, &[(0, 0), (65_535, 65_535)]);
    let err = Workbook::open(&spans).err().expect("refused");
    assert!(
        err.0[0].message.contains("span 4,294,967,296 cells"),
        "{}",
        err.0[0]
    );
}

#[test]
fn an_xls_shared_string_is_counted_at_every_cell_that_uses_it() {
    let dir = tempfile::tempdir().unwrap();
    let (long, longer) = ("a".repeat(32_767), "b".repeat(65_535));
    let sst = shared_strings(&["EV-1", &long, "approved", &longer]);

    // Read: the strings are found across the CONTINUE records.
    let fine = dir.path().join("fine.xls");
    let cells: Vec<u8> = [(0, 0, 0), (0, 1, 2), (1, 0, 1)]
        .iter()
        .flat_map(|&(r, c, i)| label_sst(r, c, i))
        .collect();
    xls_book(&fine, 2, 2, &sst, &cells);
    let table = Workbook::open(&fine)
        .unwrap()
        .read_exact("Register")
        .unwrap();
    assert_eq!(table.rows[0].text(0), "EV-1");
    assert_eq!(table.rows[0].text(1), "approved");
    assert_eq!(table.rows[1].text(0), long);

    // The longer string in 2,000 cells: 131 million characters from a 100 KB file.
    let bomb = dir.path().join("bomb.xls");
    let cells: Vec<u8> = (0..2_000).flat_map(|r| label_sst(r, 0, 3)).collect();
    xls_book(&bomb, 2_000, 1, &sst, &cells);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 200_000);
    let err = Workbook::open(&bomb).err().expect("refused");
    assert_eq!(err.0[0].code, Code::WorkbookTooLarge);
    assert!(
        err.0[0].to_string().contains("sheet Register")
            && err.0[0].location.line == Some(1025)
            && err.0[0].message.contains("more than 67,108,864 characters"),
        "{}",
        err.0[0]
    );
}

/// A CSV row read again from its place (as the gap engine's second pass does) is the row read
/// in turn: its cells and its line, after blank lines, CRLF endings, a byte-order mark and a
/// quoted line break; rows far apart and rows next to each other.
#[test]
fn a_csv_row_read_again_from_its_place_is_the_row_read_in_turn() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.csv");
    let mut text = format!("\u{feff}{}\r\n", HEADER.join(","));
    for i in 0..3000 {
        if i % 7 == 0 {
            text.push_str("\r\n\r\n");
        }
        let title = if i % 11 == 0 {
            format!("\"two\r\nlines {i}\"")
        } else {
            format!("title {i}")
        };
        text.push_str(&format!(
            "iso27001-2022:4.1,EV-{i},{title},o,2026-02-10,approved,l{i}\r\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    let mut all = Vec::new();
    Records::open(&path, None, b',')
        .unwrap()
        .each_row(&HEADER, |row, place, _| {
            let cells: Vec<String> = (0..HEADER.len()).map(|c| row.text(c)).collect();
            all.push((place.at.expect("a CSV row has a place"), row.line, cells));
        })
        .unwrap();
    assert_eq!(all.len(), 3000);
    assert_eq!((all[0].1, all[1].1), (4, 6));
    // Every third row, then a run of neighbours, in the file's order.
    let wanted: Vec<usize> = (0..3000)
        .filter(|i| i % 3 == 0 || (1000..1010).contains(i))
        .collect();
    let mut again = Vec::new();
    Records::open(&path, None, b',')
        .unwrap()
        .each_row_at(
            &HEADER,
            wanted.iter().map(|&i| (all[i].0, all[i].1)),
            |row, place, _| {
                let cells: Vec<String> = (0..HEADER.len()).map(|c| row.text(c)).collect();
                again.push((place.at.unwrap(), row.line, cells));
            },
        )
        .unwrap();
    let expected: Vec<_> = wanted.iter().map(|&i| all[i].clone()).collect();
    assert_eq!(again, expected);
}

/// A fuzz finding (tests/fixtures/fuzz-regressions/evidence_xls/): a DIMENSIONS record whose
/// first row (34,048) comes after its last (256). calamine subtracts them in 32 bits, gets four
/// billion rows (of 256 columns) and asked for room for over a trillion cells (abort); the check works the claim out as
/// calamine does and refuses it.
#[test]
fn an_xls_sheet_whose_first_row_is_after_its_last_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evidence.xls");
    let stream = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "tests/fixtures/fuzz-regressions/evidence_xls/dimensions-first-row-after-last.stream",
    ))
    .unwrap();
    compound(&path, &stream);
    let err = Workbook::open(&path).err().expect("refused");
    assert_eq!(err.0[0].code, Code::WorkbookTooLarge);
    assert!(
        err.0[0].message.contains("claims 1,099,502,977,024 cells"),
        "{}",
        err.0[0]
    );
}
