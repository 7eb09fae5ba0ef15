//! `srmap validate`

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
                eprintln!("{w}");
            }
            let controls: usize = c.frameworks().map(|f| f.control_count()).sum();
            println!(
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
                eprintln!("{d}");
            }
            eprintln!("srmap: validate: {diags}");
            Ok(ExitCode::from(2))
        }
    }
}
