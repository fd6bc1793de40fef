//! `nova` binary: parse arguments, run one command, map the outcome to an exit code.

// See Cargo.toml: loading proto trees is dominated by small allocations.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    nova::cli::main()
}
