//! The srmap binary: parse arguments, run a subcommand, print, pick the exit code.
//! Exit codes: 0 success, 1 gaps found with `--fail-on`, 2 usage or input error.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => return cli::usage_error(e),
    };
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            match err.downcast_ref::<cli::OptionError>() {
                Some(bad) => eprintln!("{bad}"),
                None => eprintln!("srmap: error: {err:#}"),
            }
            ExitCode::from(2)
        }
    }
}
