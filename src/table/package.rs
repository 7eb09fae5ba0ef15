//! A workbook's zip package (XLSX, XLSM, XLSB, ODS), checked before calamine reads any of it.
//!
//! calamine reads some parts whole when a workbook is opened (the shared strings, reserving
//! room for as many as the file claims; the styles), and its XML parser holds one element or
//! one text at a time, however long. So before calamine sees the file, every part's declared
//! size is added up, then every part is decompressed once and scanned: the bytes actually read
//! counted, the longest stretch of XML without a `<` measured, the shared strings and merged
//! areas noted. The scan costs about a tenth of calamine's read.

use std::collections::HashMap;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use quick_xml::events::Event;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::table::failure;
use crate::table::limits::{
    bytes, count, MAX_OTHER_PART_BYTES, MAX_PARTS, MAX_SHARED_STRINGS, MAX_SHARED_STRINGS_BYTES,
    MAX_UNPACKED_BYTES, MAX_XML_RUN,
};
use crate::table::references::{BadReference, Problem, References};

/// What the scan of a package found that the reader needs later.
#[derive(Debug, Default)]
pub struct Package {
    /// Sheets (by name) whose part has merged areas.
    pub merged: Vec<String>,
    /// Whether any part holds merged areas (ODS and XLSB parts are not matched to sheets).
    pub any_merged: bool,
}

/// What one part's scan found.
#[derive(Debug, Default)]
struct PartScan {
    /// Bytes decompressed.
    bytes: u64,
    /// The longest stretch without a `<`, where it starts, and the last cell opened before it.
    longest: u64,
    longest_cell: Option<String>,
    /// `<si>` elements (shared strings).
    strings: u64,
    /// The `uniqueCount` of `<sst>`, the number calamine reserves room for.
    unique_count: Option<u64>,
    /// A `<mergeCell>` element.
    merged: bool,
    /// The first cell reference beyond Excel's grid (XML parts).
    bad_reference: Option<BadReference>,
}

/// Bytes looked at past the end of each read: enough for a prefixed element name.
const LOOK: usize = 64;

/// Bytes read at a time. A stretch without a `<` that is longer than [`MAX_XML_RUN`] crosses
/// whole reads, so only the stretches between reads are measured: from the last `<` of one to
/// the first `<` of a later one.
const CHUNK: usize = 256 * 1024;

/// Where a walk of XLSB records is: in a record's type (its bytes read so far), its size, or its
/// body (bytes left).
#[derive(Debug)]
enum Walk {
    Type(u8),
    Size { value: u64, bytes: u32 },
    Body(u64),
}

impl Default for Walk {
    fn default() -> Self {
        Walk::Type(0)
    }
}

/// The scanner of one part's bytes, fed in order.
#[derive(Default)]
struct Scanner {
    scan: PartScan,
    /// Whether the part is the shared strings (counted).
    shared: bool,
    /// Whether the part is XLSB records, walked rather than scanned for `<`.
    records: bool,
    /// Where the walk of the records is.
    record: Walk,
    /// Absolute offset of the last `<` (or of the start).
    last_lt: u64,
    /// The bytes around the last `<` of the last read: the cell a long stretch is in.
    tail: Vec<u8>,
    /// The byte before the current read.
    prev: u8,
    /// The `<sst ...>` start tag while it is being collected, and the quote it is inside.
    sst_tag: Option<(Vec<u8>, Option<u8>)>,
    sst_seen: bool,
    /// The cell references of an XML part, checked.
    references: Option<References>,
}

impl Scanner {
    /// Scan `buf[..end]`; `buf[end..]` is look-ahead only (the next call starts there).
    fn feed(&mut self, base: u64, buf: &[u8], end: usize) {
        let chunk = &buf[..end];
        if self.records {
            self.walk(chunk);
            return;
        }
        if let Some(first) = memchr::memchr(b'<', chunk) {
            self.run(base + first as u64);
            let last = memchr::memrchr(b'<', chunk).unwrap_or(first);
            self.last_lt = base + last as u64;
            self.tail.clear();
            self.tail
                .extend_from_slice(&buf[last.saturating_sub(256)..buf.len().min(last + LOOK)]);
        }
        if !self.scan.merged && memchr::memmem::find(buf, b"mergeCell").is_some() {
            self.scan.merged = true;
        }
        if self.shared {
            self.shared_strings(buf, end);
        }
        if let Some(refs) = &mut self.references {
            refs.feed(chunk);
        }
        self.prev = chunk.last().copied().unwrap_or(self.prev);
    }

    /// Walk XLSB records (a type of one or two bytes, a size of one to four, the body): the
    /// longest body is what calamine holds at once.
    fn walk(&mut self, chunk: &[u8]) {
        let mut i = 0;
        while i < chunk.len() {
            match &mut self.record {
                Walk::Body(left) => {
                    let take = (*left).min((chunk.len() - i) as u64);
                    *left -= take;
                    i += take as usize;
                    if *left == 0 {
                        self.record = Walk::Type(0);
                    }
                }
                Walk::Type(n) => {
                    let more = chunk[i] & 0x80 != 0 && *n == 0;
                    self.record = if more {
                        Walk::Type(1)
                    } else {
                        Walk::Size { value: 0, bytes: 0 }
                    };
                    i += 1;
                }
                Walk::Size { value, bytes } => {
                    let b = chunk[i];
                    *value |= u64::from(b & 0x7f) << (7 * *bytes);
                    *bytes += 1;
                    i += 1;
                    if b & 0x80 == 0 || *bytes == 4 {
                        let size = *value;
                        self.scan.longest = self.scan.longest.max(size);
                        self.record = if size == 0 {
                            Walk::Type(0)
                        } else {
                            Walk::Body(size)
                        };
                    }
                }
            }
        }
    }

    /// Count the `<si>` elements of the shared strings, and read the `uniqueCount` of `<sst>`.
    fn shared_strings(&mut self, buf: &[u8], end: usize) {
        // A name that starts in this read and ends in the look-ahead is this read's.
        for at in memchr::memmem::find_iter(&buf[..buf.len().min(end + 1)], b"si") {
            if at < end && opens(buf, at, 2, self.prev) {
                self.scan.strings += 1;
            }
        }
        // The `<sst ...>` tag went on past the last read: the rest of it is here.
        // (However long: the part's own limit bounds it.)
        if let Some((tag, quote)) = &mut self.sst_tag {
            match tag_end(&buf[..end], quote) {
                Some(gt) => {
                    tag.extend_from_slice(&buf[..gt]);
                    self.scan.unique_count = unique_count(tag);
                    self.sst_tag = None;
                }
                None => tag.extend_from_slice(&buf[..end]),
            }
        }
        if !self.sst_seen {
            let sst = memchr::memmem::find_iter(&buf[..buf.len().min(end + 2)], b"sst")
                .find(|&at| at < end && opens(buf, at, 3, self.prev));
            if let Some(at) = sst {
                self.sst_seen = true;
                let mut quote = None;
                match tag_end(&buf[at..end], &mut quote) {
                    Some(gt) => self.scan.unique_count = unique_count(&buf[at..at + gt]),
                    None => self.sst_tag = Some((buf[at..end].to_vec(), quote)),
                }
            }
        }
    }

    /// A `<` at `at`: the stretch since the last one ends.
    fn run(&mut self, at: u64) {
        let run = at - self.last_lt;
        if run > self.scan.longest {
            self.scan.longest = run;
            self.scan.longest_cell = cell_ref(&self.tail);
        }
    }

    fn finish(mut self, total: u64) -> PartScan {
        if !self.records {
            self.run(total);
        }
        self.scan.bytes = total;
        self.scan.bad_reference = self.references.and_then(|r| r.bad);
        self.scan
    }
}

/// Whether the name of `len` bytes at `at` in `buf` opens an element (`<si>`, `<x:si `; not
/// `</si>` nor a word in a text). `prev` is the byte before `buf`.
fn opens(buf: &[u8], at: usize, len: usize, prev: u8) -> bool {
    let byte = |i: usize| if i == 0 { prev } else { buf[i - 1] };
    let after = buf.get(at + len).copied().unwrap_or(b'>');
    if !matches!(after, b'>' | b' ' | b'\t' | b'\n' | b'\r') {
        return false;
    }
    match byte(at) {
        b'<' => true,
        b':' if at > 0 => {
            let mut i = at - 1;
            while i > 0 && buf[i - 1].is_ascii_alphanumeric() {
                i -= 1;
            }
            i > 0 && buf[i - 1] == b'<'
        }
        _ => false,
    }
}

/// The reference of the last cell opened in `bytes` (`<c r="B7"`, `<x:c r="B7"`).
fn cell_ref(bytes: &[u8]) -> Option<String> {
    let at = memchr::memmem::rfind_iter(bytes, b"c r=\"")
        .find(|&at| at > 0 && matches!(bytes[at - 1], b'<' | b':'))?
        + 5;
    let len = memchr::memchr(b'"', &bytes[at..])?;
    std::str::from_utf8(&bytes[at..at + len])
        .ok()
        .map(str::to_string)
}

/// Where a start tag ends in `bytes`: its `>`, not one inside a quoted attribute value (an
/// XML parser reads `<sst a="</x>" uniqueCount="9">` as one tag). `quote` carries the open
/// quote from one read to the next.
fn tag_end(bytes: &[u8], quote: &mut Option<u8>) -> Option<usize> {
    for (i, &b) in bytes.iter().enumerate() {
        match *quote {
            Some(q) if b == q => *quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => *quote = Some(b),
            None if b == b'>' => return Some(i),
            None => {}
        }
    }
    None
}

/// The `uniqueCount` attribute of an `<sst ...>` tag as an XML parser finds it (spaces around
/// `=`, either quote), saturating (a number too large for u64 is read as u64::MAX); digits after
/// spaces or a `+` are read too, so a count calamine might read is never missed.
fn unique_count(tag: &[u8]) -> Option<u64> {
    let name = b"uniqueCount";
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    for at in memchr::memmem::find_iter(tag, name) {
        if at == 0 || !space(&tag[at - 1]) {
            continue;
        }
        let rest = &tag[at + name.len()..];
        let rest = &rest[rest.iter().take_while(|b| space(b)).count()..];
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = &rest[rest.iter().take_while(|b| space(b)).count()..];
        let Some((_, rest)) = rest
            .split_first()
            .filter(|(q, _)| matches!(q, b'"' | b'\''))
        else {
            continue;
        };
        let rest = &rest[rest.iter().take_while(|b| space(b) || **b == b'+').count()..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit());
        return Some(digits.fold(0u64, |n, d| {
            n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
        }));
    }
    None
}

/// Decompress and scan one part (`shared`: the shared strings, counted; `records`: XLSB
/// records, walked; other parts are XML, their cell references checked).
fn scan_part(mut part: impl Read, shared: bool, records: bool) -> std::io::Result<PartScan> {
    let mut scanner = Scanner {
        shared: shared && !records,
        records,
        references: (!records).then(References::default),
        ..Scanner::default()
    };
    let mut buf = vec![0u8; CHUNK + LOOK];
    let (mut len, mut base, mut eof) = (0usize, 0u64, false);
    loop {
        while !eof && len < buf.len() {
            match part.read(&mut buf[len..])? {
                0 => eof = true,
                n => len += n,
            }
        }
        let end = if eof { len } else { len - LOOK };
        scanner.feed(base, &buf[..len], end);
        buf.copy_within(end..len, 0);
        base += end as u64;
        len -= end;
        if eof {
            return Ok(scanner.finish(base));
        }
    }
}

/// The place of a problem in a part: the sheet and cell when the part is a sheet's.
fn place(path: &Path, sheet: Option<&String>, cell: Option<&str>) -> Location {
    let mut loc = Location::file(path.display().to_string());
    loc.sheet = sheet.cloned();
    if let Some((row, col)) = cell.and_then(crate::table::sheet::parse_ref) {
        loc.line = Some(row + 1);
        loc.column = Some(col + 1);
    }
    loc
}

fn too_large(loc: Location, msg: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(Code::WorkbookTooLarge, loc, msg)])
}

/// Parts read whole when the workbook is opened, besides the shared strings.
fn read_whole(name: &str, workbook: Option<&str>) -> bool {
    let lower = name.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    lower.ends_with(".rels")
        || workbook.is_some_and(|w| w.eq_ignore_ascii_case(name))
        || matches!(
            file,
            "workbook.xml" | "workbook.bin" | "styles.xml" | "styles.bin" | "theme1.xml"
        )
}

fn is_shared_strings(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with("sharedstrings.xml") || lower.ends_with("sharedstrings.bin")
}

/// The parts of an XLSB workbook that calamine reads as records (not its macros or printer
/// settings, also `.bin`).
fn xlsb_records(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    lower.ends_with(".bin")
        && (matches!(file, "workbook.bin" | "styles.bin" | "sharedstrings.bin")
            || lower.contains("worksheets/"))
}

/// Check a workbook's package before calamine opens it: every limit of [`crate::table::limits`]
/// on the zip and its parts. In an XLSB workbook (`xlsb`) the parts calamine reads are records,
/// not XML: their longest record is measured instead.
pub fn check(path: &Path, xlsb: bool) -> Result<Package, Diagnostics> {
    let unreadable = |msg: String| failure(path, Code::UnreadableFile, msg);
    let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| unreadable(format!("cannot open the workbook: {e}")))?;
    let whole = Location::file(path.display().to_string());
    if zip.len() > MAX_PARTS {
        return Err(too_large(
            whole,
            format!(
                "the workbook's zip holds {} parts, over srmap's limit of {}",
                count(zip.len() as u64),
                count(MAX_PARTS as u64)
            ),
        ));
    }
    let mut parts = Vec::with_capacity(zip.len());
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_data(i)
            .map_err(|e| unreadable(format!("cannot open the workbook: {e}")))?;
        declared = declared.saturating_add(entry.size());
        let name = entry
            .name()
            .map_err(|e| unreadable(format!("cannot open the workbook: {e}")))?;
        parts.push((name.to_string(), entry.size()));
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err(too_large(
            whole,
            format!(
                "the workbook's parts would decompress to {}, over srmap's limit of {}: \
                 a register this large reads faster and in less memory as CSV",
                bytes(declared),
                bytes(MAX_UNPACKED_BYTES)
            ),
        ));
    }
    let workbook_part = office_document(&mut zip);
    for (name, size) in &parts {
        let limit = if is_shared_strings(name) {
            MAX_SHARED_STRINGS_BYTES
        } else if read_whole(name, workbook_part.as_deref()) {
            MAX_OTHER_PART_BYTES
        } else {
            continue;
        };
        if *size > limit {
            return Err(too_large(
                whole,
                format!(
                    "part `{name}` would decompress to {}, over srmap's limit of {} for a part \
                     read whole",
                    bytes(*size),
                    bytes(limit)
                ),
            ));
        }
    }
    let sheets = sheet_parts(&mut zip, workbook_part.as_deref());
    let mut package = Package::default();
    let mut read_total: u64 = 0;
    for (i, (name, _)) in parts.iter().enumerate() {
        let sheet = sheets.get(&name.to_ascii_lowercase());
        let entry = zip
            .by_index(i)
            .map_err(|e| unreadable(format!("cannot read part `{name}`: {e}")))?;
        let records = xlsb && xlsb_records(name);
        let scan = scan_part(entry, is_shared_strings(name), records).map_err(|e| {
            unreadable(format!(
                "cannot read part `{name}`: {e} (the workbook is damaged, or made to mislead)"
            ))
        })?;
        read_total += scan.bytes;
        if read_total > MAX_UNPACKED_BYTES {
            return Err(too_large(
                whole,
                format!(
                    "the workbook's parts decompress to more than srmap's limit of {}",
                    bytes(MAX_UNPACKED_BYTES)
                ),
            ));
        }
        if records && scan.longest > MAX_XML_RUN {
            return Err(too_large(
                place(path, sheet, None),
                format!(
                    "part `{name}` has a record of {}, over srmap's limit of {}: no cell Excel \
                     writes is this long (32,767 characters at most)",
                    bytes(scan.longest),
                    bytes(MAX_XML_RUN)
                ),
            ));
        }
        let binary = name.to_ascii_lowercase().ends_with(".bin");
        if !binary && scan.longest > MAX_XML_RUN {
            let what = match (sheet, &scan.longest_cell) {
                (Some(_), Some(_)) => "this cell's XML runs".to_string(),
                _ => format!("part `{name}` runs"),
            };
            return Err(too_large(
                place(path, sheet, scan.longest_cell.as_deref()),
                format!(
                    "{what} {} without a tag, over srmap's limit of {}: no cell Excel writes \
                     is this long (32,767 characters at most)",
                    bytes(scan.longest),
                    bytes(MAX_XML_RUN)
                ),
            ));
        }
        if let Some(bad) = scan.bad_reference.filter(|_| !binary) {
            let (code, why) = match bad.problem {
                Problem::Reversed => (Code::UnreadableFile, "no spreadsheet program writes one"),
                _ => (
                    Code::CellOutOfRange,
                    "no spreadsheet program writes one (a reader that does not check it would \
                     take it for another cell)",
                ),
            };
            let whose = match sheet {
                Some(_) => "the sheet has".to_string(),
                None => format!("part `{name}` has"),
            };
            let cell = (bad.problem != Problem::Reversed).then_some(bad.text.as_str());
            let mut loc = place(path, sheet, cell);
            if bad.is_row() && sheet.is_some() {
                loc.line = bad.text.parse().ok();
            }
            return Err(Diagnostics(vec![Diagnostic::error(
                code,
                loc,
                format!(
                    "{whose} {}: {why}; the workbook is damaged, or made to mislead",
                    bad.describe()
                ),
            )]));
        }
        if is_shared_strings(name) {
            let strings = scan.strings.max(scan.unique_count.unwrap_or(0));
            if strings > MAX_SHARED_STRINGS {
                return Err(too_large(
                    whole,
                    format!(
                        "the workbook has {} shared strings (the texts its cells refer to), \
                         over srmap's limit of {}",
                        count(strings),
                        count(MAX_SHARED_STRINGS)
                    ),
                ));
            }
        }
        if scan.merged {
            package.any_merged = true;
            if let Some(sheet) = sheet {
                package.merged.push(sheet.clone());
            }
        }
    }
    Ok(package)
}

/// The workbook part `_rels/.rels` names (`xl/workbook.xml` as Excel writes it).
fn office_document<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Option<String> {
    let rels = relationships(zip, "_rels/.rels")?;
    rels.into_values()
        .find(|(kind, _)| kind.ends_with("/officeDocument"))
        .map(|(_, target)| target.trim_start_matches('/').to_string())
}

/// The relationships of a `.rels` part: ID -> (type, target).
fn relationships<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Option<HashMap<String, (String, String)>> {
    let index = (0..zip.len()).find(|&i| {
        zip.by_index_data(i)
            .is_ok_and(|e| e.name().is_ok_and(|n| n.eq_ignore_ascii_case(name)))
    })?;
    let part = zip.by_index(index).ok()?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    let mut out = HashMap::new();
    loop {
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == key)
                        .and_then(|a| value(&a))
                };
                if let (Some(id), Some(kind), Some(target)) =
                    (attr("Id"), attr("Type"), attr("Target"))
                {
                    out.insert(id, (kind, target));
                }
            }
            Event::Eof => return Some(out),
            _ => {}
        }
        buf.clear();
    }
}

/// An attribute's value, its references resolved.
fn value(a: &quick_xml::events::attributes::Attribute<'_>) -> Option<String> {
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

/// Each sheet's part (lower case) -> the sheet's name, from the workbook part and its
/// relationships; empty when they cannot be read (the sheets are then named by part).
fn sheet_parts<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    workbook: Option<&str>,
) -> HashMap<String, String> {
    let Some(workbook) = workbook else {
        return HashMap::new();
    };
    let (dir, file) = workbook.rsplit_once('/').unwrap_or(("", workbook));
    let rels_name = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let Some(rels) = relationships(zip, &rels_name) else {
        return HashMap::new();
    };
    let Some(index) = (0..zip.len()).find(|&i| {
        zip.by_index_data(i)
            .is_ok_and(|e| e.name().is_ok_and(|n| n.eq_ignore_ascii_case(workbook)))
    }) else {
        return HashMap::new();
    };
    let Ok(part) = zip.by_index(index) else {
        return HashMap::new();
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    let mut out = HashMap::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                let mut name = None;
                let mut id = None;
                for a in e.attributes().flatten() {
                    let value = value(&a);
                    match (a.key.prefix().is_some(), a.key.local_name().as_ref()) {
                        (false, "name") => name = value,
                        (true, "id") => id = value,
                        _ => {}
                    }
                }
                if let (Some(name), Some((_, target))) = (name, id.and_then(|id| rels.get(&id))) {
                    let part = if let Some(abs) = target.strip_prefix('/') {
                        abs.to_string()
                    } else if dir.is_empty() {
                        target.clone()
                    } else {
                        format!("{dir}/{target}")
                    };
                    out.insert(part.to_ascii_lowercase(), name);
                }
            }
            Ok(Event::Eof) | Err(_) => return out,
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shared_strings_count_is_read_as_an_xml_parser_reads_it() {
        let count = |tag: &str| {
            let mut quote = None;
            let end = tag_end(tag.as_bytes(), &mut quote).unwrap_or(tag.len());
            unique_count(&tag.as_bytes()[..end])
        };
        assert_eq!(count(r#"<sst count="1" uniqueCount="12">"#), Some(12));
        // A `>` inside a quoted value does not end the tag (a fuzz finding: calamine reserved
        // room for 4,000,000,000 strings).
        assert_eq!(
            count("<sst xmlns=\"http</row>\n\" uniqueCount=\"4000000000\"\n>"),
            Some(4_000_000_000)
        );
        assert_eq!(count("<sst uniqueCount = '7' >"), Some(7));
        assert_eq!(count(r#"<sst xuniqueCount="9" uniqueCount="+8">"#), Some(8));
        assert_eq!(count(r#"<sst count="1">"#), None);
        assert_eq!(
            count(r#"<sst uniqueCount="99999999999999999999999">"#),
            Some(u64::MAX)
        );
        // Split between reads, inside a quote.
        let mut quote = None;
        assert_eq!(tag_end(br#"<sst a="x>"#, &mut quote), None);
        assert_eq!(tag_end(br#"y" uniqueCount="3">"#, &mut quote), Some(18));
    }

    use super::*;

    fn scan(text: &[u8]) -> PartScan {
        scan_part(text, true, false).unwrap()
    }

    #[test]
    fn xlsb_records_are_walked_to_their_longest_body() {
        // A record of type 0x0094 (two bytes) and 3 bytes, then type 0x01 of 200,000 bytes (a
        // three-byte size), then one of size 0.
        let mut bin = vec![0x94, 0x01, 0x03, 1, 2, 3];
        bin.extend([0x01, 0xC0, 0x9A, 0x0C]);
        bin.extend(std::iter::repeat_n(b'x', 200_000));
        bin.extend([0x02, 0x00]);
        let s = scan_part(bin.as_slice(), false, true).unwrap();
        assert_eq!(s.longest, 200_000);
        // The largest size four bytes can say (256 MiB) claimed by a record of a few bytes.
        let s = scan_part([0x01u8, 0xFF, 0xFF, 0xFF, 0x7F].as_slice(), false, true).unwrap();
        assert_eq!(s.longest, (1 << 28) - 1);
    }

    #[test]
    fn the_longest_stretch_without_a_tag_is_measured_across_reads() {
        let mut text =
            b"<row><c r=\"A7\"><v>1</v></c><x:c r=\"B7\" t=\"inlineStr\"><is><t>".to_vec();
        text.extend(std::iter::repeat_n(b'a', 600_000));
        text.extend(b"</t></is></x:c></row>");
        let s = scan(&text);
        assert_eq!(s.longest, 600_000 + 3);
        assert_eq!(s.longest_cell.as_deref(), Some("B7"));
        assert_eq!(s.bytes, text.len() as u64);
    }

    #[test]
    fn shared_strings_and_their_claimed_count_are_counted() {
        let s = scan(b"<?xml?><x:sst xmlns:x=\"y\" count=\"9\" uniqueCount=\"4000000000\"><x:si><x:t>a</x:t></x:si><si><t>b</t></si><sis/></x:sst>");
        assert_eq!(s.strings, 2);
        assert_eq!(s.unique_count, Some(4_000_000_000));
        assert!(!s.merged);
        let huge = scan(b"<sst uniqueCount=\"99999999999999999999999999\">");
        assert_eq!(huge.unique_count, Some(u64::MAX));
    }

    #[test]
    fn shared_strings_across_reads_are_all_counted() {
        // Every shift of the text, so that a read ends inside `si` for one of them.
        for pad in 0..17 {
            let mut text = b"<sst>".to_vec();
            text.extend(std::iter::repeat_n(b' ', pad));
            for _ in 0..20_000 {
                text.extend(b"<si><t>a</t></si>");
            }
            assert_eq!(scan(&text).strings, 20_000, "padded by {pad}");
        }
    }

    #[test]
    fn merged_areas_are_noticed() {
        assert!(scan(b"<worksheet><mergeCells><mergeCell ref=\"B2:B4\"/></mergeCells>").merged);
        assert!(!scan(b"<worksheet><sheetData/></worksheet>").merged);
    }
}
