#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets (fuzz/fuzz_targets/) from the repository's
fixtures and samples, and from ../shared/reference/ when it is there. scripts/fuzz.sh runs it;
nothing it writes is committed (fuzz/seeds/ is ignored).

Usage:
    scripts/fuzz_seeds.py OUT_DIR [MAX_BYTES]

Writes OUT_DIR/<target>/<name> for every target. Text seeds are copied as they are;
workbooks are written twice, as the .xlsx file and as the `#### PATH` parts the workbook
targets build a package from (see fuzz/src/lib.rs), so that mutations reach the XML. Seeds
over MAX_BYTES (default 65536; 262144 for workbooks) are trimmed where the format allows it
(a JSON array or catalog cut down) and left out otherwise. Standard library only.
"""

import csv
import datetime as dt
import hashlib
import io
import json
import re
import sys
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference"
WORKBOOK_MAX = 262144
TEXT_MAX = 65536

TARGETS = [
    "scope",
    "evidence_csv",
    "evidence_xlsx",
    "evidence_ods",
    "evidence_xls",
    "attestations",
    "data_folder",
    "previous",
    "import_ccm",
    "import_fedramp",
    "import_azure",
    "import_matrix",
    "import_oscal",
    "import_prowler",
]

# Workbook parts worth keeping in the parts form (the rest: themes, properties, printer
# settings, drawings, do not reach srmap's readers).
KEEP_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
              "xl/styles.xml")

STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)


class Seeds:
    def __init__(self, out: Path, text_max: int):
        self.out = out
        self.text_max = text_max
        self.count = {t: 0 for t in TARGETS}

    def add(self, target: str, name: str, data: bytes, limit: int = 0):
        limit = limit or self.text_max
        if len(data) > limit:
            return
        d = self.out / target
        d.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(data).hexdigest()[:10]
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[-60:]
        (d / f"{safe}-{digest}").write_bytes(data)
        self.count[target] += 1

    def workbook(self, target: str, name: str, xlsx: bytes):
        """Both forms of a workbook: the file and its parts."""
        self.add(target, name, xlsx, WORKBOOK_MAX)
        parts = parts_of(xlsx)
        if parts is not None:
            self.add(target, name + ".parts", parts, WORKBOOK_MAX)


def parts_of(xlsx: bytes):
    """The `#### PATH` form of a workbook: its workbook, relationships, strings, styles and
    worksheets (a damaged part, as in the bad-input corpus, is left out); None when it is not a
    zip."""
    try:
        z = zipfile.ZipFile(io.BytesIO(xlsx))
    except zipfile.BadZipFile:
        return None
    out = []
    for info in z.infolist():
        n = info.filename
        if n in KEEP_PARTS or (n.startswith("xl/worksheets/sheet") and n.endswith(".xml")):
            try:
                out.append(b"#### " + n.encode() + b"\n" + z.read(n))
            except (zipfile.BadZipFile, zlib.error, EOFError):
                continue
    return b"\n".join(out)


def workbook_stream(data: bytes):
    """The `Workbook` (or `Book`) stream of an XLS file (a compound file of 512-byte sectors, as
    Excel and LibreOffice write it, the stream in its regular sectors); None otherwise."""
    if data[:8] != bytes.fromhex("D0CF11E0A1B11AE1") or data[30:32] != b"\x09\x00":
        return None

    def u32(at):
        return int.from_bytes(data[at:at + 4], "little")

    def sector(n):
        return data[512 + n * 512:1024 + n * 512]
    fat = []
    for i in range(min(u32(44), 109)):
        block = sector(u32(76 + 4 * i))
        fat += [int.from_bytes(block[j:j + 4], "little") for j in range(0, len(block), 4)]

    def chain(start, limit=1 << 16):
        out, n = bytearray(), start
        while n < len(fat) and limit:
            out += sector(n)
            n, limit = fat[n], limit - 1
        return bytes(out)
    directory = chain(u32(48))
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at:at + 128]
        name = entry[:int.from_bytes(entry[64:66], "little")].decode("utf-16-le", "replace")
        if name.rstrip("\0") in ("Workbook", "Book") and entry[66] == 2:
            size = int.from_bytes(entry[120:124], "little")
            if size < 4096:
                return None
            return chain(int.from_bytes(entry[116:120], "little"))[:size]
    return None


def col_name(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def excel_serial(text: str):
    try:
        d = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return (d - dt.date(1899, 12, 30)).days


def sheet_xml(rows, date_columns=()) -> str:
    """A worksheet of inline strings; cells of `date_columns` that hold ISO dates are date
    cells (a serial number with a date format), as a register kept in Excel has them."""
    header = [h.strip().lower() for h in rows[0]] if rows else []
    dates = {i for i, h in enumerate(header) if h in date_columns}
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        out.append(f'<row r="{r}">')
        for c, v in enumerate(row):
            if v == "":
                continue
            ref = f"{col_name(c)}{r}"
            serial = excel_serial(v) if r > 1 and c in dates else None
            if serial is not None:
                out.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(v)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def workbook_xlsx(sheets, date_columns=()) -> bytes:
    """A small workbook (name, rows) by (name, rows), dates as date cells."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1))
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   f"{overrides}</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   "</Relationships>")
        sheet_list = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _) in enumerate(sheets, start=1))
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   f"<sheets>{sheet_list}</sheets></workbook>")
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'{rels}<Relationship Id="rStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                   "</Relationships>")
        z.writestr("xl/styles.xml", STYLES)
        for i, (_, rows) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml(rows, date_columns))
    return buf.getvalue()


def csv_rows(path: Path):
    text = path.read_text(encoding="utf-8", errors="replace")
    return list(csv.reader(io.StringIO(text)))


def files(*patterns):
    seen = set()
    for p in patterns:
        for f in sorted(ROOT.glob(p)):
            if f.is_file() and f not in seen and "target" not in f.parts:
                seen.add(f)
                yield f


def sections(folder: Path) -> bytes:
    """A data folder as `#### PATH` sections (its CSV and TOML files under frameworks/ and
    providers/)."""
    out = []
    for f in sorted(folder.rglob("*")):
        if f.is_file() and f.suffix in (".csv", ".toml"):
            rel = f.relative_to(folder).as_posix()
            if rel.startswith(("frameworks/", "providers/")):
                out.append(b"#### " + rel.encode() + b"\n" + f.read_bytes())
    return b"\n".join(out)


def trim_json_array(data: bytes, keep: int) -> bytes:
    v = json.loads(data)
    return json.dumps(v[:keep], indent=1).encode() if isinstance(v, list) else data


def trim_catalog(data: bytes, groups: int = 2, controls: int = 3) -> bytes:
    """An OSCAL catalog cut to a few controls of a few groups."""
    v = json.loads(data)
    cat = v.get("catalog", {})
    gs = cat.get("groups", [])[:groups]
    for g in gs:
        g["controls"] = g.get("controls", [])[:controls]
        for c in g["controls"]:
            c["controls"] = c.get("controls", [])[:2]
        g.pop("groups", None)
    cat["groups"] = gs
    cat.pop("back-matter", None)
    return json.dumps(v, indent=1).encode()


def dictionary(folder: Path) -> set:
    """libFuzzer dictionary words from a target's seeds: TOML keys and table names, CSV header
    fields, JSON keys, XML element and attribute names, and the section markers; escaped for
    the dictionary format."""
    words = set()
    for f in folder.iterdir() if folder.is_dir() else []:
        text = f.read_bytes()[:WORKBOOK_MAX].decode("utf-8", "replace")
        if text.startswith("PK"):
            continue
        words.update(re.findall(r"(?m)^\s*\[{1,2}[A-Za-z0-9_.-]+\]{1,2}", text))
        words.update(k + " =" for k in re.findall(r"(?m)^\s*([A-Za-z0-9_-]+)\s*=", text))
        words.update(f'"{k}":' for k in re.findall(r'"([A-Za-z0-9_-]{2,40})"\s*:', text))
        words.update(f"<{k}" for k in re.findall(r"<([A-Za-z:]{1,30})[ >/]", text))
        words.update(f'{k}="' for k in re.findall(r' ([A-Za-z:]{1,30})="', text))
        words.update(re.findall(r"(?m)^#### \S+", text))
        first = text.split("\n", 1)[0]
        if "," in first or ";" in first:
            words.update(h.strip() for h in re.split(r"[,;]", first) if 1 < len(h.strip()) < 40)
    esc = lambda w: "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else f"\\x{ord(c):02X}"
                            for c in w if ord(c) < 256)
    return {esc(w.strip()) for w in words if w.strip() and len(w.strip()) <= 64}


def main(argv):
    if not argv or len(argv) > 2:
        sys.exit(__doc__.split("Usage:")[1].split("\n\n")[0].strip())
    out = Path(argv[0])
    s = Seeds(out, int(argv[1]) if len(argv) > 1 else TEXT_MAX)

    # Scope files: every TOML of the fixtures and samples that is not data.
    for f in files("samples/**/*.toml", "tests/fixtures/**/*.toml", "examples/**/*.toml"):
        rel = f.relative_to(ROOT).as_posix()
        if "/frameworks/" in rel or "/providers/" in rel or f.name == "case.toml":
            continue
        s.add("scope", rel, f.read_bytes())

    # Evidence and attestation registers, as CSV and as workbooks.
    for f in files("samples/**/*.csv", "tests/fixtures/**/*.csv"):
        rel = f.relative_to(ROOT).as_posix()
        if "/frameworks/" in rel or "/providers/" in rel or "import-" in rel:
            continue
        head = f.read_bytes()[:400].decode("utf-8", "replace").lower()
        if "evidence_id" in head or "evidence" in f.name:
            s.add("evidence_csv", rel, f.read_bytes())
            rows = csv_rows(f)
            if rows and len(rows) < 400:
                s.workbook("evidence_xlsx", rel,
                           workbook_xlsx([("Evidence", rows)], ("effective_date", "expires")))
        if "offerings" in head or "attestation" in f.name:
            s.add("attestations", rel, f.read_bytes())
            rows = csv_rows(f)
            if rows and len(rows) < 400:
                s.workbook("attestations", rel,
                           workbook_xlsx([("Attestations", rows)],
                                         ("period_start", "period_end", "expires")))
    for f in files("samples/**/*.xlsx", "tests/fixtures/**/*.xlsx"):
        s.workbook("evidence_xlsx", f.relative_to(ROOT).as_posix(), f.read_bytes())
    # ODS and XLS workbooks: the file, and the part the target builds a workbook around
    # (content.xml; the Workbook stream).
    for f in files("tests/fixtures/**/*.ods"):
        rel = f.relative_to(ROOT).as_posix()
        s.add("evidence_ods", rel, f.read_bytes(), WORKBOOK_MAX)
        try:
            content = zipfile.ZipFile(io.BytesIO(f.read_bytes())).read("content.xml")
            s.add("evidence_ods", rel + ".content", content, WORKBOOK_MAX)
        except (zipfile.BadZipFile, KeyError, zlib.error):
            pass
    for f in files("tests/fixtures/**/*.xls"):
        rel = f.relative_to(ROOT).as_posix()
        s.add("evidence_xls", rel, f.read_bytes(), WORKBOOK_MAX)
        stream = workbook_stream(f.read_bytes())
        if stream is not None:
            s.add("evidence_xls", rel + ".stream", stream, WORKBOOK_MAX)

    # Data folders: every fixture folder with frameworks/ or providers/, and a few built-in
    # files on their own.
    for d in sorted(ROOT.glob("tests/fixtures/**/")):
        if (d / "frameworks").is_dir() or (d / "providers").is_dir():
            s.add("data_folder", d.relative_to(ROOT).as_posix(), sections(d))
    for rel in ["providers/aws/s3.toml", "providers/aws/ec2.toml", "providers/azure/key-vault.toml",
                "providers/gcp/cloud-run.toml", "providers/saas/salesforce.toml",
                "frameworks/soc2-2017.toml"]:
        f = ROOT / rel
        if f.is_file():
            data = b"#### " + rel.encode() + b"\n" + f.read_bytes()
            if rel.endswith(".toml") and rel.startswith("frameworks/"):
                csv_file = f.with_suffix(".csv")
                data += b"\n#### " + rel[:-5].encode() + b".csv\n" + csv_file.read_bytes()
            s.add("data_folder", rel, data)
    mini = (ROOT / "frameworks/mcsb-v1.toml", ROOT / "frameworks/mcsb-v1.csv")
    if all(f.is_file() for f in mini):
        s.add("data_folder", "frameworks/mcsb-v1",
              b"#### frameworks/mcsb-v1.toml\n" + mini[0].read_bytes()
              + b"\n#### frameworks/mcsb-v1.csv\n" + mini[1].read_bytes())

    # Earlier reports (--previous): the sample's cut to a few findings, and the fixtures.
    for f in files("samples/**/*.json", "tests/fixtures/bad-input/**/*.json"):
        if f.parent.name.startswith("import-"):
            continue
        data = f.read_bytes()
        try:
            for keep in (1, 5, 40):
                s.add("previous", f"{f.name}-{keep}", trim_json_array(data, keep))
        except ValueError:
            s.add("previous", f.name, data)

    # Importers.
    for f in files("tests/fixtures/import-matrix/*"):
        s.add("import_matrix", f.name, f.read_bytes())
        rows = csv_rows(f)
        s.workbook("import_matrix", f.name, workbook_xlsx([("Matrix", rows)]))
    matrices = {
        "soc2-vocabulary.csv": [
            ["Control", "Responsibility", "Provider", "Customer"],
            ["CC6.1", "CSP-owned", "Runs the identity platform.", ""],
            ["cc_6_2", "Shared CSP and CSC", "Provisions.", "Approves access."],
            ["CC7.2", "CSC-owned", "", "Monitors its workloads."],
            ["CC9.9", "Whoever", "", ""]],
        "hipaa-ids.csv": [
            ["Standard", "Owner", "What the provider does", "What you do"],
            ["164.308(a)(1)(ii)(A)", "Customer", "", "Risk analysis."],
            ["164_312_a_1", "Shared", "Encrypts disks.", "Manages keys."],
            ["164.310(a)(1)", "Provider", "Guards the data centres.", ""]],
        "header-lower-down.csv": [
            ["Acme responsibility matrix (seed)"], [],
            ["Requirement", "Yes/Partial/No", "Provider", "Customer"],
            ["AC-2(1)", "Yes", "Automates accounts.", ""],
            ["A.5.1", "Partial", "", "Writes the policy."],
            ["PCI_DSS_v4.0.1_8.3.1", "No", "", "Turns on MFA."]],
    }
    for name, rows in matrices.items():
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        s.add("import_matrix", name, text.getvalue().encode())
        s.workbook("import_matrix", name, workbook_xlsx([("Matrix", rows)]))
    for f in files("tests/fixtures/import-prowler/*"):
        s.add("import_prowler", f.name, f.read_bytes())
    oscal = ROOT / "tests/fixtures/import-oscal"
    if oscal.is_dir():
        cat = (oscal / "catalog.json").read_bytes()
        s.add("import_oscal", "catalog.json", cat)
        s.add("import_oscal", "catalog+profile",
              cat + b"\n#### profile.json\n" + (oscal / "profile.json").read_bytes())
        s.add("import_oscal", "broken.json", (oscal / "broken.json").read_bytes())
    for rel in ["oscal/hipaa-2.0.0_catalog.json", "oscal/NIST_SP-800-53_rev5_catalog.json"]:
        f = REFERENCE / rel
        if f.is_file():
            trimmed = trim_catalog(f.read_bytes())
            s.add("import_oscal", f.name, trimmed)
            profile = REFERENCE / "oscal/NIST_SP-800-53_rev5_MODERATE-baseline_profile-min.json"
            if "NIST" in f.name and profile.is_file():
                s.add("import_oscal", f.name + "+profile",
                      trimmed + b"\n#### profile.json\n" + profile.read_bytes())

    ccm_header = ["Control Domain", "Control Title", "Control ID", "Control Specification",
                  "CCM Lite", "IaaS", "PaaS", "SaaS", "Notes"]
    ccm = [["Cloud Controls Matrix v4 (seed)"], [], ccm_header,
           ["Audit & Assurance - A&A"],
           ["Audit & Assurance", "Audit Policy", "A&A-01", "spec", "Yes", "Shared", "CSP-Owned", "CSP-Owned"],
           ["", "Independent Assessments", "A&A-02", "spec", "No", "CSC-Owned", "Shared", "CSP-Owned"],
           ["Identity & Access Management - IAM"],
           ["Identity & Access Management", "Strong Passwords", "IAM-02", "spec", "Yes", "CSC-Owned", "CSC-Owned", "Shared"],
           ["", "Bad", "IAM-99", "spec", "", "Nobody", "", ""]]
    s.workbook("import_ccm", "ccm", workbook_xlsx([("Introduction", [["About"]]), ("CCM", ccm)]))
    caiq = [["Consensus Assessments Initiative Questionnaire (seed)"],
            ["Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership",
             "CSP Implementation Description (Optional/Recommended)",
             "CSC Responsibilities (Optional/Recommended)"],
            ["A&A-01.1", "q", "Yes", "CSP-owned", "We audit yearly.", ""],
            ["A&A-01.2", "q", "Yes", "Shared CSP and CSC", "", "Review our reports."],
            ["IAM-02.1", "q", "Yes", "3rd-party outsourced", "", ""],
            ["DSP-01.1", "q", "Yes", "CSC-owned", "", "Classify your data."],
            ["LOG-01.1", "q", "Yes", "Whoever", "", ""]]
    s.workbook("import_ccm", "caiq", workbook_xlsx([("Introduction", [["CAIQ v4"]]), ("CAIQv4.0.3", caiq)]))

    origination = ["Service Provider Corporate", "Service Provider System Specific",
                   "Service Provider Hybrid (Corporate and System Specific)",
                   "Configured by Customer (Customer System Specific)",
                   "Provided by Customer (Customer System Specific)",
                   "Shared (Service Provider and Customer Responsibility)",
                   "Inherited from Pre-Existing  Authorization"]

    def cis_row(cid, marks):
        r = [""] * 13
        r[0], r[1] = cid, "X"
        for m in marks:
            r[m] = "X"
        return r

    cis = [["FedRAMP Moderate Control Implementation Summary (CIS) Worksheet"],
           ["Control ID", "Implementation Status", "", "", "", "", "Control Origination"],
           ["", "Implemented", "Partially Implemented", "Planned", "Alternative Implementation", "N/A"] + origination,
           cis_row("AC-1(a)", [6]), cis_row("AC-1(b)", [9]), cis_row("AC-2(b)", [11]),
           cis_row("AC-3", [12]), cis_row("AU-2(a)", []), cis_row("XX-1", [6])]
    crm = [["FedRAMP Moderate Customer Responsibility Matrix (CRM) Worksheet"], ["GUIDANCE: ..."], [],
           ["Control ID", "Can Be Inherited from CSP",
            "Specific Inheritance and Customer Agency/CSP Responsibilities"],
           ["AC-2(a)", "No", "The customer manages its own accounts."], ["AC-2(b)", "", ""],
           ["AT-2(a)", "Maybe", ""], ["PE-3(a)", "Yes", ""]]
    intro = [[], [], [], ["", "CSP", "System Name"], ["", "Acme", "Cloud One"]]
    s.workbook("import_fedramp", "rev5", workbook_xlsx(
        [("Instructions", intro), ("Moderate CIS Worksheet", cis), ("Moderate CRM Worksheet", crm)]))
    s.workbook("import_fedramp", "rev4", workbook_xlsx(
        [("CIS Worksheet", cis), ("CRM Worksheet", crm)]))

    summary = [["Control Domain", "ASB Control ID", "ASB Control Title", "Guidance", "Responsibility",
                "Feature Name", "Feature Description", "Feature Supported", "Feature Enabled by Default",
                "Feature Reference", "Feature Notes", "Guidance Notes"],
               ["Network Security", "NS-1", "Title of NS-1", "g", "Customer", "Virtual Network Integration", "d",
                "True", "False", "https://learn.microsoft.com/x", "None", "None"],
               ["Identity Management", "IM-1", "Title of IM-1", "g", "Microsoft", "Azure AD Authentication", "d",
                "True", "True", "Ref: https://learn.microsoft.com/y", "None", "None"],
               ["Data Protection", "DP-3", "Title of DP-3", "g", "Shared", "Data in Transit Encryption", "d",
                "True", "True", "None", "None", "None"],
               ["Logging", "LT-4", "Title of LT-4", "g", "Not Applicable", "Resource Logs", "d",
                "False", "False", "None", "None", "None"]]
    profile = [["Behavior Attribute", "Description", "Value"], ["Product Category", "x", "Compute"],
               ["Customer can access HOST / OS", "x", "Full Access"]]
    s.workbook("import_azure", "baseline",
               workbook_xlsx([("Security Profile", profile), ("Feature Summary", summary)]))
    for f in sorted((REFERENCE / "azure-baselines").glob("*.xlsx")) if REFERENCE.is_dir() else []:
        if "benchmark" not in f.name:
            s.workbook("import_azure", f.name, f.read_bytes())

    for t in TARGETS:
        words = dictionary(out / t)
        (out / f"{t}.dict").write_text("".join(f'"{w}"\n' for w in sorted(words)))
        print(f"{t}: {s.count[t]} seeds, {len(words)} dictionary words")
    missing = [t for t in TARGETS if s.count[t] == 0]
    if missing:
        sys.exit(f"no seeds for {', '.join(missing)}")


if __name__ == "__main__":
    main(sys.argv[1:])
