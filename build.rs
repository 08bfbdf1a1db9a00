//! Embeds the icon and version information (assets/bole.rc) into the Windows .exe when building
//! for a `windows-gnu` target with MinGW's windres. Other targets need nothing.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=assets/bole.rc");
    println!("cargo:rerun-if-changed=assets/icon.ico");
    println!("cargo:rerun-if-env-changed=WINDRES");
    let target = std::env::var("TARGET").unwrap_or_default();
    if !target.contains("windows-gnu") {
        return;
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bole-resources.o");
    let windres = std::env::var("WINDRES").unwrap_or_else(|_| "x86_64-w64-mingw32-windres".into());
    let status = Command::new(&windres)
        .args([
            "--codepage=65001",
            "--include-dir",
            "assets",
            "--input",
            "assets/bole.rc",
            "--output-format=coff",
            "--output",
        ])
        .arg(&out)
        .status();
    match status {
        Ok(s) if s.success() => println!("cargo:rustc-link-arg-bins={}", out.display()),
        _ => println!(
            "cargo:warning={windres} failed or is missing: bole.exe is built without icon and version information"
        ),
    }
}
