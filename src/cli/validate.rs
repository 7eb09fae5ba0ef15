//! `srmap validate`

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use srmap::Catalog;

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap validate [--data DIR]              # lint the data files: every problem, with file:line:col";

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(data: &[PathBuf], _args: Args) -> Result<ExitCode> {
    match Catalog::load_with(data).and_then(|c| {
        let broken = srmap::share_rules::check(&c);
        if broken.has_errors() {
            // The load's own warnings still count.
            let mut all = c.warnings.clone();
            all.extend(broken);
            Err(all.sorted())
        } else {
            Ok(c)
        }
    }) {
        Ok(c) => {
            for w in c.warnings.iter() {
                say!("{w}");
            }
            let controls: usize = c.frameworks().map(|f| f.control_count()).sum();
            // A reader that stops early (`| head -0`) is not an error.
            let _ = writeln!(
                std::io::stdout(),
                "ok: {} files, {} layers, {} frameworks ({} controls), {} offerings{}",
                c.files,
                c.layers.len(),
                c.frameworks().len(),
                controls,
                c.offerings().len(),
                match c.warnings.len() {
                    0 => String::new(),
                    n => format!(", {n} warning{}", if n == 1 { "" } else { "s" }),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(diags) => {
            for d in diags.iter() {
                say!("{d}");
            }
            say!("srmap: validate: {diags}");
            Ok(ExitCode::from(2))
        }
    }
}
