//! `prongsai`: one binary for the server and every administrative command.

use std::process::ExitCode;

fn main() -> ExitCode {
    prongsai::cli::main()
}
