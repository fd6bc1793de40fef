// include_dir! embeds templates/ at compile time but cannot tell cargo to watch it: without this,
// editing a template would not rebuild nova.
fn main() {
    println!("cargo:rerun-if-changed=templates");
}
