//! `srmap completions SHELL`: the shell's completion script, from the command line's own
//! definition (`clap_complete`), so it never falls behind the options.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use srmap::output::Destination;

pub const EXAMPLES: &str = "\
Examples:
  srmap completions bash > ~/.local/share/bash-completion/completions/srmap
  srmap completions zsh > ~/.zfunc/_srmap      # with fpath+=~/.zfunc before compinit in ~/.zshrc
  srmap completions fish > ~/.config/fish/completions/srmap.fish
  srmap completions powershell >> $PROFILE
  srmap completions elvish > ~/.config/elvish/lib/srmap.elv   # and `use srmap` in rc.elv";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish, powershell or elvish
    #[arg(value_name = "SHELL")]
    shell: Shell,

    /// Write to FILE instead of standard output (written whole or not at all)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let to = Destination::from_arg(args.output.as_deref());
    // Generated whole first: the generator panics on a failed write (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut super::Cli::command(), "srmap", &mut script);
    to.write(|w| w.write_all(&script))
        .with_context(|| format!("cannot write {to}"))?;
    Ok(ExitCode::SUCCESS)
}
