// The built-in data is embedded with include_dir; tell Cargo to rebuild when it changes.
fn main() {
    for dir in ["frameworks", "providers", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
