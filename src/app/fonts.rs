//! Chinese text in egui: egui ships no CJK glyphs, so the bundled OFL font (a Noto Sans SC subset
//! covering GB2312 and everything the program and its data use) is installed first, and on
//! Windows Microsoft YaHei is added after it for rare characters.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

pub use crate::assets::NOTO_SC;

/// Font definitions with the Chinese font first in both families.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert("noto_sc".into(), Arc::new(FontData::from_static(NOTO_SC)));
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts.families.entry(family).or_default().insert(0, "noto_sc".into());
    }
    // A system font as the last resort for characters outside the subset (Windows only).
    if let Some(bytes) = system_fallback() {
        fonts.font_data.insert("system_cjk".into(), Arc::new(FontData::from_owned(bytes)));
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            fonts.families.entry(family).or_default().push("system_cjk".into());
        }
    }
    fonts
}

fn system_fallback() -> Option<Vec<u8>> {
    if !cfg!(windows) {
        return None;
    }
    let dir = std::env::var_os("WINDIR").map(std::path::PathBuf::from).unwrap_or_else(|| "C:\\Windows".into());
    std::fs::read(dir.join("Fonts").join("msyh.ttc")).ok()
}

pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
