// The default gazetteers and rules are embedded in the library: rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=gazetteers");
    println!("cargo:rerun-if-changed=rules");
}
