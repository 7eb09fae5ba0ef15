//! The floor of issue 12's benchmark: one streaming pass of the `csv` crate over an evidence
//! register, touching the fields the gap join reads (control, system, effective_date, expires,
//! status), and nothing else: no control lookup, no date parsing, no rules, no output but a count.
//! No gap run can read the same file faster, so `scripts/bench_scale.sh` gives srmap's time as a
//! multiple of this one.
//!
//! A register ending in `.xlsx` is read the same way through calamine's streaming cell reader
//! (`worksheet_cells_reader`: the first sheet's cells one at a time, the sheet never held): the
//! floor of an XLSX register.
//!
//! Build and run:
//!     cargo build --release --example register_floor
//!     target/release/examples/register_floor OUTDIR/evidence.csv      (or .xlsx)
//!
//! Prints the number of data rows, and how many of them say `approved`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: register_floor EVIDENCE.csv");
        return ExitCode::from(2);
    };
    match run(&path) {
        Ok((rows, approved)) => {
            println!("{rows} rows, {approved} approved");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("register_floor: {}: {e}", path.to_string_lossy());
            ExitCode::FAILURE
        }
    }
}

type Error = Box<dyn std::error::Error>;

const WANTED: [&str; 4] = ["control", "system", "effective_date", "expires"];

fn run(path: &std::ffi::OsStr) -> Result<(u64, u64), Error> {
    if path.to_string_lossy().to_lowercase().ends_with(".xlsx") {
        return run_xlsx(path);
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(path)?;
    let header = reader.byte_headers()?.clone();
    let column = |name: &str| -> Result<usize, String> {
        header
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| format!("no `{name}` column"))
    };
    let wanted = [
        column(WANTED[0])?,
        column(WANTED[1])?,
        column(WANTED[2])?,
        column(WANTED[3])?,
    ];
    let status = column("status")?;
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut approved, mut bytes) = (0u64, 0u64, 0u64);
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        // Touch each field the join needs, so the pass cannot skip them.
        for &i in &wanted {
            bytes += record.get(i).map_or(0, |f| f.len() as u64);
        }
        if record.get(status) == Some(b"approved".as_slice()) {
            approved += 1;
        }
    }
    std::hint::black_box(bytes);
    Ok((rows, approved))
}

/// The same pass over the first sheet of a workbook, cell by cell.
fn run_xlsx(path: &std::ffi::OsStr) -> Result<(u64, u64), Error> {
    use calamine::{open_workbook, DataRef, Reader, Xlsx};

    let mut book: Xlsx<_> = open_workbook(path)?;
    let first = book.sheet_names().first().cloned().ok_or("no sheet")?;
    let mut cells = book.worksheet_cells_reader(&first)?;
    // Header row: which columns the join needs (0: not needed, 1: touched, 2: status).
    let mut role: Vec<u8> = Vec::new();
    let (mut rows, mut approved, mut touched) = (0u64, 0u64, 0u64);
    let mut last_row = None;
    while let Some(cell) = cells.next_cell()? {
        let (row, col) = cell.get_position();
        let value = cell.get_value();
        if row == 0 {
            let name = match value {
                DataRef::String(s) => s.as_str(),
                DataRef::SharedString(s) => s,
                _ => "",
            };
            let r = if name == "status" {
                2
            } else {
                u8::from(WANTED.contains(&name))
            };
            role.resize(role.len().max(col as usize + 1), 0);
            role[col as usize] = r;
            continue;
        }
        if last_row != Some(row) {
            last_row = Some(row);
            rows += 1;
        }
        match (role.get(col as usize), value) {
            (Some(2), DataRef::SharedString("approved")) => approved += 1,
            (Some(2), DataRef::String(s)) if s == "approved" => approved += 1,
            (Some(1), DataRef::SharedString(s)) => touched += s.len() as u64,
            (Some(1), DataRef::String(s)) => touched += s.len() as u64,
            (Some(1), _) => touched += 1,
            _ => {}
        }
    }
    if !role.contains(&2) {
        return Err("no `status` column".into());
    }
    std::hint::black_box(touched);
    Ok((rows, approved))
}
