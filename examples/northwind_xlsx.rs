//! Writes samples/northwind/evidence.xlsx from evidence.csv: the same rows, with real date cells.
//! Run: cargo run --example northwind_xlsx
//! (tests/gaps_cli.rs checks that both files read to the same rows.)

use std::path::Path;

use srmap::render::xlsx::{new_workbook, to_io, SheetWriter};
use srmap::table::{Cell, Records};

fn main() -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/northwind");
    let t = Records::open(&dir.join("evidence.csv"), None, b',')
        .map_err(|d| std::io::Error::other(d.to_string()))?;
    let names = t.header.names.clone();
    let date_cols: Vec<usize> = ["effective_date", "expires"]
        .iter()
        .filter_map(|c| t.header.get(c))
        .collect();
    let mut wb = new_workbook(
        "Northwind evidence register",
        jiff::civil::date(2026, 9, 30),
    )
    .map_err(to_io)?;
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Evidence").map_err(to_io)?;
        s.header(&names.iter().map(String::as_str).collect::<Vec<_>>())
            .map_err(to_io)?;
        for row in t.rows {
            let row = row.map_err(|d| std::io::Error::other(d.to_string()))?;
            for (i, cell) in row.cells.iter().enumerate() {
                let col = i as u16;
                match cell {
                    Cell::Text(v) if date_cols.contains(&i) => {
                        let d: jiff::civil::Date =
                            v.trim().parse().map_err(std::io::Error::other)?;
                        s.date_cell(col, Some(d)).map_err(to_io)?;
                    }
                    Cell::Empty => {}
                    other => s.cell(col, &other.text(), None).map_err(to_io)?,
                }
            }
            s.next_row().map_err(to_io)?;
        }
        s.finish(60.0).map_err(to_io)?;
    }
    let bytes = wb.save_to_buffer().map_err(to_io)?;
    std::fs::write(dir.join("evidence.xlsx"), bytes)?;
    println!("wrote {}", dir.join("evidence.xlsx").display());
    Ok(())
}
