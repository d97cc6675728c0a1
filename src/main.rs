//! The `collegia` command: parse arguments, run, map the outcome to an exit code.
//!
//! The command line is a module of this binary, not of the library: the library's API is the
//! pipeline ([`collegia::pipeline`]) and its stages; `cli` only turns arguments into options,
//! calls the library and prints.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
