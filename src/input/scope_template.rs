//! The documented scope `srmap template scope` writes: every key a scope may have, with the
//! applicability settings of every framework the catalog defines them for, in comments.

use crate::catalog::Catalog;

/// Wrap `text` into `# `-comment lines of at most about 96 characters, indented by `indent`.
fn comment(out: &mut String, indent: &str, text: &str) {
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > 94 {
            out.push_str(&format!("{indent}# {line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{indent}# {line}\n"));
    }
}

/// The scope template: valid as it is (one example system), with every other setting in
/// comments, explained.
pub fn scope_template(catalog: &Catalog) -> String {
    let mut out = String::new();
    out.push_str(
        r#"# srmap scope: who you are, the audit period, your systems and what applies to them.
# Read by `srmap gaps`, `srmap soa`, `srmap template pbc`, `srmap diff --from-scope` and
# `srmap map --scope`.

organization = "Example Corp"
period = { start = "2026-01-01", end = "2026-12-31" }

# Whether your own offices, workstations and paper records are in scope (true or false). Left
# out: each framework's default (in scope for ISO 27001, SOC 2, PCI DSS, HIPAA and GDPR). A
# system may set its own.
# premises = true

# One [[systems]] table per system: the offerings it runs on (`srmap offerings`) and the
# frameworks it is assessed against (`srmap frameworks`).
[[systems]]
name = "app"
description = "What the system does and where it runs."
offerings = ["aws/ec2", "aws/rds"]
frameworks = ["soc2-2017"]
# premises = false
# Its FIPS 199 security category, which the OSCAL SSP of `srmap map --scope` states: one level
# for all three objectives, or each objective's.
# fips-199 = "moderate"
# fips-199 = "confidentiality=high, integrity=moderate, availability=low"

# A system whose applicability differs from the organisation's sets its own settings; each one
# it gives replaces the organisation's for this system only:
# [systems.applicability."soc2-2017"]
# categories = ["security", "availability", "processing-integrity"]

# ---------------------------------------------------------------------------------------------
# Applicability: what kind of organisation you are, framework by framework. Controls written
# for other kinds of organisation are then not applicable: they get no gap and no PBC request,
# and the Statement of Applicability (`srmap soa`, and a sheet and section of `srmap gaps`)
# lists each with the reason. A setting left out keeps every control it decides (the safe
# side). Write framework IDs in quotes: they contain dots.
"#,
    );
    let mut frameworks: Vec<&str> = Vec::new();
    for v in catalog.applicability.iter() {
        if !frameworks.contains(&v.framework.as_str()) {
            frameworks.push(&v.framework);
        }
    }
    for fw in frameworks {
        let name = catalog
            .framework(fw)
            .map(|f| format!("{} {}", f.name, f.version))
            .unwrap_or_default();
        out.push_str(&format!("\n# {name}\n# [applicability.\"{fw}\"]\n"));
        for setting in catalog.applicability.settings(fw) {
            let values: Vec<_> = catalog.applicability.values(fw, setting).collect();
            out.push_str("#\n");
            if catalog.applicability.is_switch(fw, setting) {
                comment(
                    &mut out,
                    "",
                    &format!("true or false. When true: {}", values[0].description),
                );
                out.push_str(&format!("# {setting} = false\n"));
            } else {
                comment(
                    &mut out,
                    "",
                    "One value, or a list of values (an organisation may be more than one):",
                );
                for v in &values {
                    comment(
                        &mut out,
                        "",
                        &format!("- \"{}\": {}", v.value, v.description),
                    );
                }
                let all: Vec<String> = values.iter().map(|v| format!("{:?}", v.value)).collect();
                out.push_str(&format!("# {setting} = [{}]\n", all.join(", ")));
            }
        }
    }
    let mandatory: Vec<String> = catalog
        .frameworks()
        .filter(|f| !f.mandatory_kinds.is_empty())
        .map(|f| format!("{} (its `{}` rows)", f.id, f.mandatory_kinds.join("`, `")))
        .collect();
    out.push_str(
        r#"
# ---------------------------------------------------------------------------------------------
# Exclusions: a control left out by ID, with the reason an auditor will read in the Statement of
# Applicability. `reason` is required; `systems` is optional (left out: every system assessed
# against the framework). Any spelling of the control ID works (`A.8.30`, `8.30`).
"#,
    );
    if !mandatory.is_empty() {
        comment(
            &mut out,
            "",
            &format!("These cannot be excluded: {}.", mandatory.join("; ")),
        );
    }
    out.push_str(
        r#"# [[exclude]]
# framework = "iso27001-2022"
# control = "A.8.30"
# reason = "No development is outsourced: our own engineers build every system."
# systems = ["app"]

# ---------------------------------------------------------------------------------------------
# Who findings are assigned to. A finding about an evidence row goes to the row's `owner`; every
# other one to the most specific rule here: a control or control family under `controls` (the
# longest prefix), a layer of the control under `layers`, `vendor-management` for provider
# reports and agreements, the system, the framework, then `default`; else `unassigned`.
# [owners]
# default = "GRC lead"
# vendor-management = "Vendor risk manager"
# systems = { app = "Platform lead" }
# frameworks = { gdpr = "Data protection officer" }
# layers = { personnel = "HR director" }
# controls = { "pci-dss-4.0.1:8" = "Identity and access lead" }

# When findings fall due: evidence and provider findings `due-before-period-end-days` before the
# period ends (sooner when the control's cadence says so); fixes to register rows
# `row-fixes-due-in-days` after the as-of date. Each takes 0 to 3650 days.
# [worklist]
# due-before-period-end-days = 30
# row-fixes-due-in-days = 14

# The gap report's version and sign-off block (its cover). Names and dates left out leave a line
# to sign by hand.
# [report]
# version = "1.0"
# prepared-by = "Name (GRC Lead)"
# prepared-on = "2026-09-30"
# reviewed-by = "Name (CISO)"
# reviewed-on = "2026-10-02"
# approved-by = "Name (CFO)"
"#,
    );
    out
}
