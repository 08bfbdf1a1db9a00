//! Files shipped inside the program: the bundled Chinese font, used both by the UI (egui ships
//! no CJK glyphs) and by the PDF pairing sheets (which embed a subset of it).

/// Noto Sans SC, subset to GB2312 and everything the program and its data use, TrueType outlines
/// (assets/fonts/README.md says how it was made; licence OFL 1.1 in assets/fonts/OFL.txt).
pub const NOTO_SC: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-Bole-subset.ttf");
