//! `srmap man`: the manual pages, in roff, from the command line's own definition
//! (`clap_mangen`): `srmap.1`, and one page per command (`srmap-gaps.1`, `srmap-import-ccm.1`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_mangen::Man;
use roff::{roman, Roff};
use srmap::output::{write_atomic, Destination};

use super::{not_one_of, OptionError};

pub const EXAMPLES: &str = "\
Examples:
  srmap man | man -l -                     # read it now
  srmap man -o srmap.1                     # the page of srmap, listing its commands
  srmap man gaps | man -l -                # one command's page, with all its options
  srmap man --dir ~/.local/share/man/man1  # every page: srmap.1, srmap-gaps.1, ...";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The command whose page to write (`gaps`, `import ccm`) [default: srmap's own page]
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    command: Vec<String>,

    /// Write to FILE instead of standard output (written whole or not at all)
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        conflicts_with = "dir"
    )]
    output: Option<PathBuf>,

    /// Write every page (srmap.1 and srmap-COMMAND.1 for each command) into DIR
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// srmap's command line, built, as the pages describe it.
fn root() -> clap::Command {
    let mut cmd = super::Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The page of `cmd`: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, SUBCOMMANDS, then its `--help`
/// examples as EXAMPLES, lines kept as they are (clap_mangen would fill them as a paragraph),
/// and VERSION.
struct Page {
    man: Man,
    examples: Vec<String>,
    subcommands: bool,
}

impl Page {
    fn of(cmd: &clap::Command) -> Page {
        let examples = cmd
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default()
            .lines()
            .skip_while(|l| l.ends_with(':'))
            .map(|l| l.strip_prefix("  ").unwrap_or(l).to_string())
            .collect();
        let man = Man::new(cmd.clone())
            .manual("srmap manual")
            .source(format!("srmap {}", env!("CARGO_PKG_VERSION")));
        Page {
            man,
            examples,
            subcommands: cmd.has_subcommands(),
        }
    }

    fn file_name(&self) -> String {
        self.man.get_filename()
    }

    fn render(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let man = &self.man;
        man.render_title(w)?;
        man.render_name_section(w)?;
        man.render_synopsis_section(w)?;
        man.render_description_section(w)?;
        man.render_options_section(w)?;
        if self.subcommands {
            man.render_subcommands_section(w)?;
        }
        if !self.examples.is_empty() {
            let mut roff = Roff::new();
            roff.control("SH", ["EXAMPLES"]).control("nf", []);
            for line in &self.examples {
                roff.text([roman(line.as_str())]);
            }
            roff.control("fi", []).to_writer(w)?;
        }
        man.render_version_section(w)
    }
}

/// Every command, the root first, then each subcommand depth first.
fn every(cmd: &clap::Command, out: &mut Vec<clap::Command>) {
    out.push(cmd.clone());
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        every(sub, out);
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let root = root();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut all = Vec::new();
        every(&root, &mut all);
        for cmd in &all {
            let page = Page::of(cmd);
            let path = dir.join(page.file_name());
            write_atomic(&path, |w| page.render(w))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        if !super::quiet() {
            eprintln!(
                "srmap: {} manual pages written to {}",
                all.len(),
                dir.display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut cmd = &root;
    for name in &args.command {
        cmd = match cmd.find_subcommand(name) {
            Some(sub) => sub,
            None => {
                let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                let bad: OptionError = not_one_of("COMMAND", name, "a command", &names);
                return Err(bad.into());
            }
        };
    }
    let page = Page::of(cmd);
    let to = Destination::from_arg(args.output.as_deref());
    to.write(|w| page.render(w))
        .with_context(|| format!("cannot write {to}"))?;
    Ok(ExitCode::SUCCESS)
}
