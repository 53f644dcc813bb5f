//! `uniffi-bindgen`: generates the Kotlin, Swift and Python bindings of
//! `libzhifa_ffi` (library mode). Built separately from the cdylib so the
//! generator's code never ends up in the shipped library.
fn main() {
    uniffi::uniffi_bindgen_main()
}
