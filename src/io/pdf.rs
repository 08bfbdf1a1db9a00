//! Printed pairing sheets (对接表) as PDF: a small A4 document builder that lays content out into
//! pages in memory (text runs, lines, filled rectangles) and writes everything in
//! [`PdfBuilder::finish`], when the page count for the footer is known.
//!
//! One font only: a subset of the bundled Noto Sans SC ([`crate::assets::NOTO_SC`]) holding just the
//! glyphs used, embedded as a Type0/CIDFontType2 font (Identity-H, CIDToGIDMap Identity on the
//! remapped glyph ids) with a ToUnicode map so the text can be copied and searched. Characters the
//! font lacks are replaced by a visible fallback and counted ([`PdfBuilder::missing_glyphs`]).

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, GlyphId, MetadataProvider};
use subsetter::GlyphRemapper;

use crate::assets::NOTO_SC;

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
/// A4 portrait, in points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 18.0 * MM;
const LEFT: f32 = MARGIN;
const RIGHT: f32 = PAGE_W - MARGIN;
/// Width available to content (between the side margins), in points.
pub const TEXT_W: f32 = RIGHT - LEFT;
/// Content area: from `TOP` down to `BOTTOM` (PDF y grows upwards).
const TOP: f32 = PAGE_H - MARGIN;
const BOTTOM: f32 = MARGIN;
const HEADER_BASELINE: f32 = PAGE_H - 12.0 * MM;
const HEADER_RULE: f32 = PAGE_H - 14.0 * MM;
const FOOTER_BASELINE: f32 = 10.0 * MM;

/// Line height as a multiple of the font size.
const LINE: f32 = 1.35;
/// Default body text size.
pub const BODY_PT: f32 = 10.5;
const TITLE_PT: f32 = 18.0;
const TABLE_PT: f32 = 9.5;
const CHROME_PT: f32 = 8.0;
const CELL_PAD_X: f32 = 3.5;
const CELL_PAD_Y: f32 = 2.5;
/// Tolerance for width comparisons (float rounding).
const EPS: f32 = 0.01;

const GREY_CHROME: f32 = 0.45;
const GREY_LABEL: f32 = 0.3;
const GREY_GRID: f32 = 0.35;
const GREY_HEAD_FILL: f32 = 0.88;

/// The bundled font, parsed once per builder.
struct Face {
    font: FontRef<'static>,
    charmap: Charmap<'static>,
    glyphs: GlyphMetrics<'static>,
    upem: f32,
    /// Share of the line's font box above the baseline (ascent / (ascent − descent)).
    ascent_share: f32,
    /// Replacement for characters the font lacks.
    fallback: char,
}

impl Face {
    fn load() -> Option<Face> {
        let font = FontRef::new(NOTO_SC).ok()?;
        let charmap = font.charmap();
        let glyphs = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let upem = f32::from(metrics.units_per_em.max(1));
        let box_h = metrics.ascent - metrics.descent;
        let ascent_share = if box_h > 0.0 { (metrics.ascent / box_h).clamp(0.5, 1.0) } else { 0.88 };
        let fallback = ['□', '?'].into_iter().find(|&c| charmap.map(c).is_some()).unwrap_or(' ');
        Some(Face { font, charmap, glyphs, upem, ascent_share, fallback })
    }

    fn glyph(&self, c: char) -> Option<u16> {
        self.charmap.map(c).and_then(|g| u16::try_from(g.to_u32()).ok()).filter(|&g| g != 0)
    }

    /// Advance of glyph `gid` in em units.
    fn advance(&self, gid: u16) -> f32 {
        self.glyphs.advance_width(GlyphId::new(u32::from(gid))).unwrap_or(0.0) / self.upem
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Op {
    /// A run of text; `x`, `y` is the start of the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        grey: f32,
        emph: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        grey: f32,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        grey: f32,
    },
}

struct Page {
    /// Running header (top left).
    header: String,
    ops: Vec<Op>,
}

/// Builds an A4 document page by page; see the module docs.
pub struct PdfBuilder {
    doc_title: String,
    face: Option<Face>,
    pages: Vec<Page>,
    /// Running header for pages started from now on.
    header: String,
    /// Top of the free space on the current page.
    y: f32,
    missing: usize,
    /// The characters the font lacks, each once.
    missing_chars: std::collections::BTreeSet<char>,
}

impl PdfBuilder {
    /// A4 portrait, margins 18 mm; `doc_title` goes into the PDF Info /Title and the running header.
    pub fn new(doc_title: &str) -> Self {
        let mut b = PdfBuilder {
            doc_title: String::new(),
            face: Face::load(),
            pages: Vec::new(),
            header: String::new(),
            y: TOP,
            missing: 0,
            missing_chars: std::collections::BTreeSet::new(),
        };
        b.doc_title = b.prepare(doc_title).replace('\n', " ");
        b
    }

    /// Starts a new page that begins a section; `header` is the running header text shown (small, grey,
    /// top left) on this and following pages until the next section; the doc title is on the top right.
    /// An empty current page is reused instead of leaving it blank.
    pub fn section(&mut self, header: &str) {
        self.header = self.prepare(header).replace('\n', " ");
        match self.pages.last_mut() {
            Some(p) if p.ops.is_empty() => p.header = self.header.clone(),
            _ => self.new_page(),
        }
    }

    /// A section that may share the page: it continues on the current page when about `height`
    /// points are left there (several short agendas on one sheet), else starts a new page. The
    /// running header of pages started from here on is `header`.
    pub fn section_keep(&mut self, header: &str, height: f32) {
        if self.pages.is_empty() || self.page_is_fresh() || self.y - height < BOTTOM + EPS {
            self.section(header);
        } else {
            self.header = self.prepare(header).replace('\n', " ");
            self.gap(TITLE_PT * LINE);
            self.rule();
        }
    }

    /// Starts a new page unless about `mm` millimetres are left on this one (keeps a caption with
    /// the first rows of its table).
    pub fn keep_together(&mut self, mm: f32) {
        self.ensure(mm * 72.0 / 25.4);
    }

    /// A horizontal bar chart, drawn as vector shapes: one row per category, one bar per series
    /// (up to four shades of grey, with a legend), each bar labelled with its value. A row never
    /// splits across pages.
    pub fn bar_chart(&mut self, caption: &str, categories: &[String], series: &[(&str, Vec<f64>)]) {
        const GREYS: [f32; 4] = [0.2, 0.55, 0.75, 0.4];
        if categories.is_empty() || series.is_empty() {
            return;
        }
        let size = TABLE_PT;
        let lh = size * LINE;
        let caption = self.prepare(caption);
        let whole = 2.0 * lh + categories.len() as f32 * (series.len() as f32 * size * 1.05 + 3.0);
        // Kept on one page when it fits on one.
        self.ensure(if whole < TOP - BOTTOM { whole } else { 2.0 * lh + series.len() as f32 * size });
        let y = self.baseline(self.y, BODY_PT);
        self.push_text(LEFT, y, BODY_PT, 0.0, true, caption);
        self.y -= BODY_PT * LINE;
        if series.len() > 1 {
            let mut x = LEFT;
            let y = self.baseline(self.y, size);
            for (i, (name, _)) in series.iter().enumerate() {
                let name = self.prepare(name);
                self.push(Op::Fill { x, y: y - 0.5, w: 3.0 * MM, h: size * 0.7, grey: GREYS[i % 4] });
                let w = self.measure(&name, size);
                self.push_text(x + 4.0 * MM, y, size, 0.0, false, name);
                x += 4.0 * MM + w + 6.0 * MM;
            }
            self.y -= lh;
        }
        let labels: Vec<String> = categories.iter().map(|c| self.prepare(&crate::util::short(c, 14))).collect();
        let label_w = labels.iter().map(|l| self.measure(l, size)).fold(0.0, f32::max).min(TEXT_W * 0.32) + 4.0;
        let value_w = self.measure("00000.0", size) + 4.0;
        let area = TEXT_W - label_w - value_w;
        let max = series.iter().flat_map(|(_, v)| v.iter().copied()).filter(|v| v.is_finite()).fold(1.0, f64::max);
        let bar_h = size * 1.05;
        let row_h = series.len() as f32 * bar_h + 3.0;
        for (i, label) in labels.into_iter().enumerate() {
            self.ensure(row_h);
            let top = self.y;
            let y = self.baseline(top - (series.len() as f32 * bar_h - lh) / 2.0, size);
            self.push_text(LEFT, y, size, GREY_LABEL, false, label);
            for (j, (_, values)) in series.iter().enumerate() {
                let v = values.get(i).copied().filter(|v| v.is_finite() && *v > 0.0).unwrap_or(0.0);
                let w = (v / max) as f32 * area;
                let bottom = top - (j as f32 + 1.0) * bar_h;
                if w > 0.0 {
                    self.push(Op::Fill { x: LEFT + label_w, y: bottom + 1.0, w, h: bar_h - 2.0, grey: GREYS[j % 4] });
                }
                let text = crate::util::number_text((v * 10.0).round() / 10.0);
                let ty = bottom + (bar_h - size * 0.72) / 2.0;
                self.push_text(LEFT + label_w + w + 2.0, ty, size * 0.9, 0.0, false, text);
            }
            self.push_line(LEFT + label_w, top, LEFT + label_w, top - row_h, 0.5, GREY_GRID);
            self.y -= row_h;
        }
        self.gap(0.6 * lh);
    }

    /// A thin full-width line at the current position (between sections sharing a page).
    fn rule(&mut self) {
        let y = self.y;
        if let Some(p) = self.pages.last_mut() {
            p.ops.push(Op::Line { x1: LEFT, y1: y, x2: RIGHT, y2: y, width: 0.6, grey: 0.5 });
        }
        self.y -= 4.0;
    }

    /// A centred title, about 18 pt, wrapped to the text width.
    pub fn title(&mut self, text: &str) {
        let text = self.prepare(text);
        let lh = TITLE_PT * LINE;
        if !self.page_is_fresh() {
            self.gap(0.5 * lh);
        }
        for line in self.wrap(&text, TITLE_PT, TEXT_W) {
            self.ensure(lh);
            if line.is_empty() {
                self.y -= lh;
                continue;
            }
            let w = self.measure(&line, TITLE_PT);
            let (x, y) = (LEFT + (TEXT_W - w) / 2.0, self.baseline(self.y, TITLE_PT));
            self.push_text(x, y, TITLE_PT, 0.0, true, line);
            self.y -= lh;
        }
        self.gap(0.4 * lh);
    }

    /// A paragraph wrapped to the text width (`\n` starts a new line), breaking pages as needed.
    pub fn paragraph(&mut self, text: &str, size_pt: f32) {
        let size = if size_pt.is_finite() && size_pt > 0.0 { size_pt.clamp(4.0, 72.0) } else { BODY_PT };
        let text = self.prepare(text);
        let lh = size * LINE;
        for line in self.wrap(&text, size, TEXT_W) {
            self.ensure(lh);
            if !line.is_empty() {
                let y = self.baseline(self.y, size);
                self.push_text(LEFT, y, size, 0.0, false, line);
            }
            self.y -= lh;
        }
        self.gap(0.5 * lh);
    }

    /// A label/value block. Consecutive short pairs share a row (two per row); a pair whose value
    /// doesn't fit in half the width gets a full row. Labels are grey, values wrap.
    pub fn key_values(&mut self, pairs: &[(String, String)]) {
        if pairs.is_empty() {
            return;
        }
        let size = BODY_PT;
        let lh = size * LINE;
        let gap = 6.0 * MM;
        let half = (TEXT_W - gap) / 2.0;
        let items: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| {
                let mut k = self.prepare(k.trim());
                if !k.is_empty() && !k.ends_with('：') && !k.ends_with(':') {
                    k.push('：');
                }
                (k, self.prepare(v.trim()))
            })
            .collect();
        let widest = items.iter().map(|(k, _)| self.measure(k, size)).fold(0.0, f32::max);
        let label_w = (widest + 2.0).min(half * 0.45);
        let short = |b: &Self, (k, v): &(String, String)| {
            !v.contains('\n') && b.measure(k, size) <= label_w && b.measure(v, size) <= half - label_w
        };
        let mut i = 0;
        while i < items.len() {
            // Each entry: (x, label lines, value lines).
            let mut cols: Vec<(f32, Vec<String>, Vec<String>)> = Vec::new();
            let two = i + 1 < items.len() && short(self, &items[i]) && short(self, &items[i + 1]);
            let take = if two { 2 } else { 1 };
            for (n, (k, v)) in items[i..i + take].iter().enumerate() {
                let x = LEFT + n as f32 * (half + gap);
                let value_w = if two { half - label_w } else { TEXT_W - label_w };
                cols.push((x, self.wrap(k, size, label_w), self.wrap(v, size, value_w)));
            }
            i += take;
            let lines = cols.iter().map(|(_, k, v)| k.len().max(v.len())).max().unwrap_or(1);
            self.ensure((lines as f32 * lh).min(TOP - BOTTOM));
            for l in 0..lines {
                self.ensure(lh);
                let y = self.baseline(self.y, size);
                for (x, ks, vs) in &cols {
                    if let Some(k) = ks.get(l).filter(|k| !k.is_empty()) {
                        self.push_text(*x, y, size, GREY_LABEL, false, k.clone());
                    }
                    if let Some(v) = vs.get(l).filter(|v| !v.is_empty()) {
                        self.push_text(x + label_w, y, size, 0.0, false, v.clone());
                    }
                }
                self.y -= lh;
            }
            self.gap(0.2 * lh);
        }
        self.gap(0.3 * lh);
    }

    /// A table with grid lines; `widths` are relative column widths (missing or invalid ones count
    /// as 1). Cell text wraps (Chinese at any character, Latin words and numbers kept whole where
    /// possible); a row never splits across pages unless it is taller than a page; the shaded
    /// header row repeats on every page the table spans.
    pub fn table(&mut self, headers: &[&str], widths: &[f32], rows: &[Vec<String>]) {
        let ncols = if headers.is_empty() { rows.iter().map(Vec::len).max().unwrap_or(0) } else { headers.len() };
        if ncols == 0 {
            return;
        }
        let rel: Vec<f32> =
            (0..ncols).map(|i| widths.get(i).copied().filter(|w| w.is_finite() && *w > 0.0).unwrap_or(1.0)).collect();
        let total: f32 = rel.iter().sum();
        let mut xs = vec![LEFT];
        for w in &rel {
            xs.push(xs[xs.len() - 1] + w / total * TEXT_W);
        }
        xs[ncols] = RIGHT;
        let size = TABLE_PT;
        let lh = size * LINE;
        let cell_lines = |b: &mut Self, texts: &mut dyn Iterator<Item = &str>| -> Vec<Vec<String>> {
            (0..ncols)
                .map(|c| {
                    let t = texts.next().unwrap_or("");
                    let t = b.prepare(t.trim());
                    b.wrap(&t, size, (xs[c + 1] - xs[c] - 2.0 * CELL_PAD_X).max(size))
                })
                .collect()
        };
        let head = if headers.is_empty() { None } else { Some(cell_lines(self, &mut headers.iter().copied())) };
        let height =
            |cells: &[Vec<String>]| cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * CELL_PAD_Y;
        let head_h = head.as_deref().map_or(0.0, height);
        let body: Vec<Vec<Vec<String>>> =
            rows.iter().map(|r| cell_lines(self, &mut r.iter().map(String::as_str))).collect();

        if !self.page_is_fresh() {
            self.gap(2.0);
        }
        let first_h = body.first().map_or(0.0, |r| height(r).min(lh + 2.0 * CELL_PAD_Y));
        self.ensure(head_h + first_h);
        if let Some(h) = &head {
            self.draw_row(&xs, h, 0, usize::MAX, true);
        }
        for cells in &body {
            let mut from = 0;
            loop {
                let rest: Vec<usize> = cells.iter().map(|c| c.len().saturating_sub(from)).collect();
                let need = rest.iter().copied().max().unwrap_or(0).max(1) as f32 * lh + 2.0 * CELL_PAD_Y;
                let page_room = TOP - BOTTOM - head_h;
                let at_top = (self.y - (TOP - head_h)).abs() < EPS || self.page_is_fresh();
                if self.y - need >= BOTTOM - EPS {
                    self.draw_row(&xs, cells, from, usize::MAX, false);
                    break;
                }
                if need <= page_room + EPS && !at_top {
                    self.table_page_break(&xs, head.as_deref());
                    continue;
                }
                // Taller than a page: fill this page with as many lines as fit, continue on the next.
                let fit = ((self.y - BOTTOM - 2.0 * CELL_PAD_Y) / lh + EPS).floor();
                if fit < 1.0 {
                    self.table_page_break(&xs, head.as_deref());
                    continue;
                }
                self.draw_row(&xs, cells, from, fit as usize, false);
                from += fit as usize;
                self.table_page_break(&xs, head.as_deref());
            }
        }
        self.gap(0.5 * BODY_PT * LINE);
    }

    /// Signature lines below the current content, e.g. `["企业代表签字", "专家签字"]`, each
    /// "label：__________  日期：______" (the blanks are drawn lines); the block moves to a new page
    /// if it doesn't fit.
    pub fn signature_lines(&mut self, labels: &[&str]) {
        if labels.is_empty() {
            return;
        }
        let size = BODY_PT;
        let row_h = 30.0;
        let labels: Vec<String> = labels
            .iter()
            .map(|l| {
                let mut l = self.prepare(l.trim()).replace('\n', " ");
                if !l.ends_with('：') && !l.ends_with(':') {
                    l.push('：');
                }
                l
            })
            .collect();
        let date = "日期：".to_string();
        let label_w = labels.iter().map(|l| self.measure(l, size)).fold(0.0, f32::max).min(TEXT_W * 0.4);
        let date_x = LEFT + TEXT_W * 0.64;
        let date_w = self.measure(&date, size);
        let top_gap = if self.page_is_fresh() { 0.0 } else { 12.0 };
        self.ensure(top_gap + row_h * labels.len() as f32);
        self.gap(top_gap);
        for l in labels {
            self.ensure(row_h);
            let y = self.y - row_h + 8.0;
            let line_y = y - 2.5;
            self.push_text(LEFT, y, size, 0.0, false, l);
            self.push_line(LEFT + label_w + 4.0, line_y, date_x - 18.0, line_y, 0.6, 0.2);
            self.push_text(date_x, y, size, 0.0, false, date.clone());
            self.push_line(date_x + date_w + 4.0, line_y, RIGHT, line_y, 0.6, 0.2);
            self.y -= row_h;
        }
        self.gap(0.5 * size * LINE);
    }

    /// Vertical space of `mm` millimetres (never past the bottom of the page).
    pub fn spacer(&mut self, mm: f32) {
        if mm.is_finite() && mm > 0.0 {
            self.ensure(0.0);
            self.y = (self.y - mm * MM).max(BOTTOM);
        }
    }

    /// Number of characters that had no glyph so far (each was replaced by a visible fallback).
    pub fn missing_glyphs(&self) -> usize {
        self.missing
    }

    /// The characters replaced because the font has no glyph for them, in code point order.
    pub fn missing_chars(&self) -> Vec<char> {
        self.missing_chars.iter().copied().collect()
    }

    /// Pages laid out so far (at least 1: an empty document still gets a page).
    pub fn page_count(&self) -> usize {
        self.pages.len().max(1)
    }

    /// Width of `text` at `size_pt` with the embedded font's advances (characters without a glyph
    /// are measured as the fallback).
    pub fn measure(&self, text: &str, size_pt: f32) -> f32 {
        text.chars().map(|c| self.char_width(c, size_pt)).sum()
    }

    /// Writes every page with a footer "第 i 页 / 共 n 页" (centred), subsets and embeds the font,
    /// returns the PDF bytes.
    pub fn finish(mut self) -> super::Result<Vec<u8>> {
        if self.pages.is_empty() {
            self.new_page();
        }
        let Some(face) = &self.face else {
            return Err(super::FileError::Font("the bundled font has no readable tables".into()));
        };
        let n = self.pages.len();
        let pages: Vec<Vec<Op>> = (0..n).map(|i| self.page_ops(i)).collect();

        // Glyphs used (original id → character for ToUnicode), remapped to consecutive new ids.
        let mut used: BTreeMap<u16, char> = BTreeMap::new();
        for op in pages.iter().flatten() {
            if let Op::Text { text, .. } = op {
                for c in text.chars() {
                    if let Some(g) = face.glyph(c) {
                        used.entry(g).or_insert(c);
                    }
                }
            }
        }
        let mut remapper = GlyphRemapper::new();
        for &g in used.keys() {
            remapper.remap(g);
        }
        let font_data = subsetter::subset(NOTO_SC, 0, &remapper).map_err(|e| super::FileError::Font(e.to_string()))?;

        let mut next = Ref::new(1);
        let catalog_id = next.bump();
        let tree_id = next.bump();
        let info_id = next.bump();
        let type0_id = next.bump();
        let cid_id = next.bump();
        let descriptor_id = next.bump();
        let file_id = next.bump();
        let cmap_id = next.bump();
        let page_ids: Vec<(Ref, Ref)> = (0..n).map(|_| (next.bump(), next.bump())).collect();
        let font_name = Name(b"F1");

        let mut pdf = Pdf::new();
        pdf.catalog(catalog_id).pages(tree_id).lang(TextStr("zh-CN")).viewer_preferences().display_doc_title(true);
        pdf.document_info(info_id)
            .title(TextStr(&self.doc_title))
            .creator(TextStr("伯乐 · 专家与企业需求对接"))
            .producer(TextStr("伯乐 (pdf-writer)"));
        pdf.pages(tree_id).kids(page_ids.iter().map(|p| p.0)).count(n as i32);

        for (ops, &(page_id, content_id)) in pages.iter().zip(&page_ids) {
            let mut page = pdf.page(page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H)).parent(tree_id).contents(content_id);
            page.resources().fonts().pair(font_name, type0_id);
            page.finish();
            let content = deflate(&write_content(face, &remapper, ops, font_name));
            pdf.stream(content_id, &content).filter(Filter::FlateDecode);
        }

        embed_font(
            &mut pdf,
            face,
            &remapper,
            &used,
            &font_data,
            FontIds { type0_id, cid_id, descriptor_id, file_id, cmap_id },
        );
        Ok(pdf.finish())
    }

    // ----- layout helpers -----

    /// Text with line ends normalised, invisible controls dropped and characters without a glyph
    /// replaced by the fallback (counted in `missing`).
    fn prepare(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let c = match c {
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        continue;
                    }
                    '\n'
                }
                '\n' => '\n',
                '\t' | '\u{a0}' | '\u{2002}'..='\u{200a}' => ' ',
                '\u{200b}'..='\u{200f}' | '\u{feff}' | '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}' => continue,
                c if c.is_control() => continue,
                c => c,
            };
            match &self.face {
                Some(f) if c != '\n' && f.glyph(c).is_none() && c != f.fallback => {
                    self.missing += 1;
                    self.missing_chars.insert(c);
                    out.push(f.fallback);
                }
                _ => out.push(c),
            }
        }
        out
    }

    fn char_width(&self, c: char, size: f32) -> f32 {
        let em = match &self.face {
            Some(f) => f.glyph(c).or_else(|| f.glyph(f.fallback)).map_or(0.5, |g| f.advance(g)),
            None => 1.0,
        };
        em * size
    }

    /// Lines of `text` no wider than `max_w` (`\n` forces a break; an empty input gives one empty line).
    fn wrap(&self, text: &str, size: f32, max_w: f32) -> Vec<String> {
        let mut out = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            let mut w = 0.0;
            for tok in tokenize(para) {
                let tw = self.measure(&tok, size);
                if w + tw <= max_w + EPS {
                    line.push_str(&tok);
                    w += tw;
                    continue;
                }
                if tok == " " {
                    out.push(line.trim_end().to_string());
                    line.clear();
                    w = 0.0;
                    continue;
                }
                if !line.trim().is_empty() {
                    out.push(line.trim_end().to_string());
                }
                line.clear();
                w = 0.0;
                if tw <= max_w + EPS {
                    line = tok;
                    w = tw;
                } else {
                    // Wider than a whole line: break inside the token.
                    for c in tok.chars() {
                        let cw = self.char_width(c, size);
                        if w + cw > max_w + EPS && !line.is_empty() {
                            out.push(std::mem::take(&mut line));
                            w = 0.0;
                        }
                        line.push(c);
                        w += cw;
                    }
                }
            }
            out.push(line.trim_end().to_string());
        }
        out
    }

    /// Baseline for a line of `size` whose line box (height `LINE × size`) starts at `top`.
    fn baseline(&self, top: f32, size: f32) -> f32 {
        let share = self.face.as_ref().map_or(0.88, |f| f.ascent_share);
        top - (LINE - 1.0) * size / 2.0 - share * size
    }

    fn new_page(&mut self) {
        self.pages.push(Page { header: self.header.clone(), ops: Vec::new() });
        self.y = TOP;
    }

    fn page_is_fresh(&self) -> bool {
        self.pages.last().is_none_or(|p| p.ops.is_empty())
    }

    /// Makes sure there is a page and `h` points of room on it (a fresh page is used as is, even
    /// if `h` is more than a page).
    fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() || (self.y - h < BOTTOM - EPS && !self.page_is_fresh()) {
            self.new_page();
        }
    }

    /// Moves down by `h`, not past the bottom margin (a following element then starts a new page).
    fn gap(&mut self, h: f32) {
        if !self.page_is_fresh() || self.y < TOP {
            self.y = (self.y - h).max(BOTTOM);
        }
    }

    fn push(&mut self, op: Op) {
        if self.pages.is_empty() {
            self.new_page();
        }
        if let Some(p) = self.pages.last_mut() {
            p.ops.push(op);
        }
    }

    fn push_text(&mut self, x: f32, y: f32, size: f32, grey: f32, emph: bool, text: String) {
        self.push(Op::Text { x, y, size, grey, emph, text });
    }

    fn push_line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, grey: f32) {
        self.push(Op::Line { x1, y1, x2, y2, width, grey });
    }

    /// Draws one table row at the current position: lines `from..from + count` of every cell,
    /// grid lines around it; `head` shades it and centres the text.
    fn draw_row(&mut self, xs: &[f32], cells: &[Vec<String>], from: usize, count: usize, head: bool) {
        let size = TABLE_PT;
        let lh = size * LINE;
        let lines = cells.iter().map(|c| c.len().saturating_sub(from).min(count)).max().unwrap_or(0).max(1);
        let h = lines as f32 * lh + 2.0 * CELL_PAD_Y;
        let top = self.y;
        // The previous row's bottom rule (pushed last) is this row's top: don't draw it twice.
        let top_drawn = matches!(self.pages.last().and_then(|p| p.ops.last()),
            Some(Op::Line { x1, y1, x2, y2, .. }) if *x1 == LEFT && *x2 == RIGHT && *y1 == top && *y2 == top);
        if head {
            self.push(Op::Fill { x: LEFT, y: top - h, w: RIGHT - LEFT, h, grey: GREY_HEAD_FILL });
        }
        for (c, cell) in cells.iter().enumerate() {
            let inner = xs[c + 1] - xs[c] - 2.0 * CELL_PAD_X;
            for (k, line) in cell.iter().skip(from).take(count).enumerate() {
                if line.is_empty() {
                    continue;
                }
                let w = self.measure(line, size);
                let x = if head { xs[c] + CELL_PAD_X + ((inner - w) / 2.0).max(0.0) } else { xs[c] + CELL_PAD_X };
                let y = self.baseline(top - CELL_PAD_Y - k as f32 * lh, size);
                self.push_text(x, y, size, 0.0, false, line.clone());
            }
        }
        if !top_drawn {
            self.push_line(LEFT, top, RIGHT, top, 0.5, GREY_GRID);
        }
        for &x in xs {
            self.push_line(x, top, x, top - h, 0.5, GREY_GRID);
        }
        self.push_line(LEFT, top - h, RIGHT, top - h, 0.5, GREY_GRID);
        self.y = top - h;
    }

    fn table_page_break(&mut self, xs: &[f32], head: Option<&[Vec<String>]>) {
        self.new_page();
        if let Some(h) = head {
            self.draw_row(xs, h, 0, usize::MAX, true);
        }
    }

    /// Everything drawn on page `i`: running header, the content, the footer.
    fn page_ops(&self, i: usize) -> Vec<Op> {
        let n = self.page_count();
        let mut ops = Vec::new();
        let page = self.pages.get(i);
        let header = page.map_or("", |p| p.header.as_str());
        let size = CHROME_PT;
        let title = self.fit(&self.doc_title, size, TEXT_W * 0.5);
        let title_w = self.measure(&title, size);
        let left = self.fit(header, size, (TEXT_W - title_w - 12.0).max(0.0));
        if !left.is_empty() {
            ops.push(Op::Text { x: LEFT, y: HEADER_BASELINE, size, grey: GREY_CHROME, emph: false, text: left });
        }
        if !title.is_empty() {
            let x = RIGHT - title_w;
            ops.push(Op::Text { x, y: HEADER_BASELINE, size, grey: GREY_CHROME, emph: false, text: title });
        }
        if !header.is_empty() || !self.doc_title.is_empty() {
            ops.push(Op::Line { x1: LEFT, y1: HEADER_RULE, x2: RIGHT, y2: HEADER_RULE, width: 0.4, grey: 0.7 });
        }
        if let Some(p) = page {
            ops.extend(p.ops.iter().cloned());
        }
        let footer = format!("第 {} 页 / 共 {n} 页", i + 1);
        let x = (PAGE_W - self.measure(&footer, size)) / 2.0;
        ops.push(Op::Text { x, y: FOOTER_BASELINE, size, grey: GREY_CHROME, emph: false, text: footer });
        ops
    }

    /// `text` cut to `max_w` with a trailing ellipsis when too wide.
    fn fit(&self, text: &str, size: f32, max_w: f32) -> String {
        if self.measure(text, size) <= max_w + EPS {
            return text.to_string();
        }
        let room = max_w - self.measure("…", size);
        let mut w = 0.0;
        let mut out = String::new();
        for c in text.chars() {
            w += self.char_width(c, size);
            if w > room {
                break;
            }
            out.push(c);
        }
        if out.is_empty() { out } else { out + "…" }
    }

    /// Text runs per page (header, content, footer), for tests.
    #[cfg(test)]
    fn pages_text(&self) -> Vec<Vec<String>> {
        (0..self.page_count())
            .map(|i| {
                self.page_ops(i)
                    .into_iter()
                    .filter_map(|op| match op {
                        Op::Text { text, .. } => Some(text),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }
}

/// Break units for wrapping: each CJK character alone, Latin words and numbers whole, spaces alone;
/// closing punctuation sticks to what precedes it and opening punctuation to what follows.
fn tokenize(s: &str) -> Vec<String> {
    const CLOSE: &str = "，。、；：？！）」』》〉】〕］｝”’…%,.;:!?)]}";
    const OPEN: &str = "（「『《〈【〔［｛“‘([{";
    let is_latin = |c: char| (c as u32) < 0x2e80 && !"“”‘’…".contains(c);
    let mut toks: Vec<String> = Vec::new();
    let mut open = String::new();
    let mut in_word = false;
    for c in s.chars() {
        if c == ' ' {
            if !open.is_empty() {
                toks.push(std::mem::take(&mut open));
            }
            toks.push(" ".into());
            in_word = false;
        } else if in_word && is_latin(c) {
            if let Some(t) = toks.last_mut() {
                t.push(c);
                // An e-mail may break after its @ (not anywhere inside the address).
                if c == '@' {
                    in_word = false;
                }
            }
        } else if CLOSE.contains(c) {
            match toks.last_mut() {
                Some(t) if open.is_empty() && t != " " => t.push(c),
                _ if !open.is_empty() => open.push(c),
                _ => toks.push(c.to_string()),
            }
            in_word = false;
        } else if OPEN.contains(c) {
            open.push(c);
            in_word = false;
        } else {
            let mut t = std::mem::take(&mut open);
            t.push(c);
            toks.push(t);
            in_word = is_latin(c);
        }
    }
    if !open.is_empty() {
        toks.push(open);
    }
    toks
}

/// A six-letter subset tag derived from the glyph set (same glyphs → same tag).
fn subset_tag(used: &BTreeMap<u16, char>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &g in used.keys() {
        for b in g.to_be_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (h % 26) as u8);
            h /= 26;
            c
        })
        .collect()
}

/// zlib-compressed bytes for a FlateDecode stream.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    z.write_all(bytes).expect("compress into memory");
    z.finish().expect("compress into memory")
}

/// The content stream of one page; text is encoded as 2-byte new glyph ids (Identity-H).
fn write_content(face: &Face, remapper: &GlyphRemapper, ops: &[Op], font: Name) -> Vec<u8> {
    let mut c = Content::new();
    let mut in_text = false;
    let mut fill: Option<f32> = None;
    let mut stroke: Option<f32> = None;
    let mut width: Option<f32> = None;
    let mut font_size: Option<f32> = None;
    let mut emph_mode = false;
    for op in ops {
        match op {
            Op::Text { x, y, size, grey, emph, text } => {
                let mut bytes = Vec::with_capacity(text.len() * 2);
                for ch in text.chars() {
                    let g = face.glyph(ch).and_then(|g| remapper.get(g)).unwrap_or(0);
                    bytes.extend_from_slice(&g.to_be_bytes());
                }
                if !in_text {
                    c.begin_text();
                    in_text = true;
                }
                if font_size != Some(*size) {
                    c.set_font(font, *size);
                    font_size = Some(*size);
                }
                if fill != Some(*grey) {
                    c.set_fill_gray(*grey);
                    fill = Some(*grey);
                }
                if *emph != emph_mode {
                    if *emph {
                        // Faux bold: fill and stroke the outlines with a thin line.
                        let w = size * 0.022;
                        if width != Some(w) {
                            c.set_line_width(w);
                            width = Some(w);
                        }
                        if stroke != Some(*grey) {
                            c.set_stroke_gray(*grey);
                            stroke = Some(*grey);
                        }
                        c.set_text_rendering_mode(TextRenderingMode::FillStroke);
                    } else {
                        c.set_text_rendering_mode(TextRenderingMode::Fill);
                    }
                    emph_mode = *emph;
                }
                c.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                c.show(Str(&bytes));
            }
            Op::Line { x1, y1, x2, y2, width: w, grey } => {
                if in_text {
                    c.end_text();
                    in_text = false;
                }
                if width != Some(*w) {
                    c.set_line_width(*w);
                    width = Some(*w);
                }
                if stroke != Some(*grey) {
                    c.set_stroke_gray(*grey);
                    stroke = Some(*grey);
                }
                c.move_to(*x1, *y1).line_to(*x2, *y2).stroke();
            }
            Op::Fill { x, y, w, h, grey } => {
                if in_text {
                    c.end_text();
                    in_text = false;
                }
                if fill != Some(*grey) {
                    c.set_fill_gray(*grey);
                    fill = Some(*grey);
                }
                c.rect(*x, *y, *w, *h).fill_nonzero();
            }
        }
    }
    if in_text {
        c.end_text();
    }
    c.finish().to_vec()
}

/// The object ids of the embedded font's parts.
struct FontIds {
    type0_id: Ref,
    cid_id: Ref,
    descriptor_id: Ref,
    file_id: Ref,
    cmap_id: Ref,
}

/// Writes the font subset: Type0 → CIDFontType2 → descriptor → FontFile2, plus ToUnicode.
fn embed_font(
    pdf: &mut Pdf,
    face: &Face,
    remapper: &GlyphRemapper,
    used: &BTreeMap<u16, char>,
    font_data: &[u8],
    ids: FontIds,
) {
    let FontIds { type0_id, cid_id, descriptor_id, file_id, cmap_id } = ids;
    let base = format!("{}+NotoSansSC-Regular", subset_tag(used));
    let base_name = Name(base.as_bytes());
    pdf.type0_font(type0_id)
        .base_font(base_name)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    let system_info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    let widths: Vec<f32> = remapper.remapped_gids().map(|g| (face.advance(g) * 1000.0).round()).collect();
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base_name)
        .system_info(system_info)
        .font_descriptor(descriptor_id)
        .default_width(1000.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();

    let m = face.font.metrics(Size::unscaled(), LocationRef::default());
    let k = 1000.0 / face.upem;
    let bbox = m.bounds.map_or(Rect::new(-1000.0, -300.0, 3000.0, 1100.0), |b| {
        Rect::new(b.x_min * k, b.y_min * k, b.x_max * k, b.y_max * k)
    });
    pdf.font_descriptor(descriptor_id)
        .name(base_name)
        .flags(FontFlags::SYMBOLIC)
        .bbox(bbox)
        .italic_angle(0.0)
        .ascent(m.ascent * k)
        .descent(m.descent * k)
        .cap_height(m.cap_height.unwrap_or(m.ascent) * k)
        .stem_v(80.0)
        .font_file2(file_id);
    pdf.stream(file_id, &deflate(font_data)).filter(Filter::FlateDecode).pair(Name(b"Length1"), font_data.len() as i32);

    let mut cmap = UnicodeCmap::new(
        Name(b"Bole-UCS"),
        SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"UCS"), supplement: 0 },
    );
    for (&g, &c) in used {
        if let Some(new) = remapper.get(g) {
            cmap.pair(new, c);
        }
    }
    let cmap = cmap.finish();
    pdf.stream(cmap_id, cmap.as_slice());
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADERS: [&str; 4] = ["序号", "专家姓名", "研究方向", "对接企业"];

    fn rows(n: usize) -> Vec<Vec<String>> {
        (1..=n)
            .map(|i| {
                vec![
                    i.to_string(),
                    format!("专家{i}"),
                    format!("新能源汽车动力电池热管理与安全评估技术研究（第{i}项），含 BMS 算法优化 2.5kWh"),
                    "县经济开发区精密制造有限公司".to_string(),
                ]
            })
            .collect()
    }

    fn sample(rows_n: usize) -> PdfBuilder {
        let mut b = PdfBuilder::new("专家与企业对接表");
        b.section("第一部分 · 对接明细");
        b.title("2025 年度县人才办专家企业需求对接表");
        b.paragraph(
            "根据县委人才工作领导小组安排，现将专家与企业关键技术需求对接情况汇总如下，请各单位核对。",
            BODY_PT,
        );
        b.key_values(&[
            ("企业名称".into(), "县经济开发区精密制造有限公司".into()),
            ("联系人".into(), "王经理".into()),
            ("联系电话".into(), "0571-12345678".into()),
            ("需求编号".into(), "XQ-2025-031".into()),
            (
                "技术需求".into(),
                "高精度数控机床主轴热变形补偿，要求定位精度达到 0.005 mm 以内，并形成可推广的工艺规范。".into(),
            ),
        ]);
        b.table(&HEADERS, &[0.6, 1.2, 4.0, 2.6], &rows(rows_n));
        b.signature_lines(&["企业代表签字", "专家签字"]);
        b
    }

    fn count(hay: &[u8], needle: &[u8]) -> usize {
        hay.windows(needle.len()).filter(|w| *w == needle).count()
    }

    #[test]
    fn document_is_a_pdf_with_an_embedded_subset_font() {
        fn send<T: Send>() {}
        send::<PdfBuilder>();
        let mut b = sample(40);
        // A few hundred more distinct characters.
        let font = FontRef::new(NOTO_SC).unwrap();
        let cmap = font.charmap();
        let many: String = ('\u{4e00}'..'\u{9fa5}').filter(|&c| cmap.map(c).is_some()).take(400).collect();
        b.paragraph(&many, BODY_PT);
        let pages = b.page_count();
        assert!(pages >= 2, "40 rows should need at least 2 pages, got {pages}");
        assert_eq!(b.missing_glyphs(), 0);
        let bytes = b.finish().unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let page_objs = count(&bytes, b"/Type /Page") - count(&bytes, b"/Type /Pages");
        assert_eq!(page_objs, pages);
        for key in [&b"/FontFile2"[..], b"/ToUnicode", b"/Identity-H", b"/CIDFontType2", b"/W ["] {
            assert!(count(&bytes, key) >= 1, "{} missing", String::from_utf8_lossy(key));
        }
        let at = bytes.windows(9).position(|w| w == b"/Length1 ").unwrap() + 9;
        let len: usize = String::from_utf8_lossy(&bytes[at..at + 10])
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(len < 200_000 && len * 10 < NOTO_SC.len(), "embedded font is {len} bytes");
    }

    #[test]
    fn table_header_repeats_and_footer_counts_pages() {
        let b = sample(60);
        let texts = b.pages_text();
        let n = texts.len();
        assert!(n >= 3);
        // The table starts on page 1 and spans every page.
        for (i, page) in texts.iter().enumerate() {
            assert!(page.iter().any(|t| t == "专家姓名"), "header row missing on page {}", i + 1);
            assert!(page.iter().any(|t| t == "第一部分 · 对接明细"), "running header missing on page {}", i + 1);
            assert!(page.contains(&format!("第 {} 页 / 共 {n} 页", i + 1)));
        }
        assert!(texts[1].contains(&format!("第 2 页 / 共 {n} 页")));
        // Every row appears exactly once (rows never split here).
        let all: Vec<&String> = texts.iter().flatten().collect();
        for i in 1..=60 {
            assert_eq!(all.iter().filter(|t| **t == &format!("专家{i}")).count(), 1, "row {i}");
        }
    }

    #[test]
    fn sections_start_pages_and_change_the_running_header() {
        let mut b = PdfBuilder::new("对接表");
        b.section("甲");
        b.paragraph("一", BODY_PT);
        b.section("乙");
        b.paragraph("二", BODY_PT);
        let texts = b.pages_text();
        assert_eq!(texts.len(), 2);
        assert!(texts[0].contains(&"甲".to_string()) && texts[1].contains(&"乙".to_string()));
    }

    #[test]
    fn long_paragraph_wraps_within_the_text_width() {
        let mut b = PdfBuilder::new("测试");
        let text = "人才是第一资源，创新是第一动力。".repeat(30)
            + " https://example.com/a/very/long/url/that/does/not/fit/on/one/line/at/all/because/it/is/far/too/long/for/it";
        b.paragraph(&text, BODY_PT);
        let ops = &b.pages[0].ops;
        let lines: Vec<(f32, &String)> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Text { x, text, .. } => Some((*x, text)),
                _ => None,
            })
            .collect();
        assert!(lines.len() >= 5, "{} lines", lines.len());
        for (x, t) in &lines {
            let w = b.measure(t, BODY_PT);
            assert!(w <= TEXT_W + EPS && x + w <= RIGHT + EPS, "line too wide ({w}): {t}");
        }
        let joined: String = lines.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
        // Lines are full: all but the last come close to the width.
        let cjk: Vec<&String> = lines.iter().map(|(_, t)| *t).filter(|t| t.contains('人')).collect();
        for t in &cjk[..cjk.len() - 1] {
            assert!(b.measure(t, BODY_PT) > TEXT_W - 2.0 * BODY_PT, "short line: {t}");
        }
    }

    #[test]
    fn latin_words_are_kept_whole_and_punctuation_sticks() {
        let b = PdfBuilder::new("");
        let lines = b.wrap("数控机床 performance optimisation 项目。", BODY_PT, 110.0);
        for l in &lines {
            assert!(b.measure(l, BODY_PT) <= 110.0 + EPS);
            assert!(!l.starts_with('。'));
        }
        let all = lines.join(" ");
        assert!(all.contains("performance") && all.contains("optimisation"), "{lines:?}");
        assert_eq!(tokenize("（第1项）。"), vec!["（第", "1", "项）。"]);
    }

    #[test]
    fn names_fit_their_column_and_e_mails_break_after_the_at() {
        let b = PdfBuilder::new("");
        // The 专家 column of an enterprise sheet (1.5 of 14.6 parts of the text width).
        let col = 1.5 / 14.6 * TEXT_W - 2.0 * CELL_PAD_X;
        assert_eq!(b.wrap("詹启远", TABLE_PT, col).len(), 1, "a three-character name stays whole");
        assert_eq!(b.wrap("欧阳明远", TABLE_PT, col).len(), 1, "so does a four-character one");
        let lines = b.wrap("zhang.weiwei@materials.example.edu.cn", TABLE_PT, 2.8 / 14.6 * TEXT_W - 2.0 * CELL_PAD_X);
        assert!(lines[0].ends_with('@'), "{lines:?}");
    }

    #[test]
    fn missing_glyphs_are_counted_and_replaced() {
        let mut b = PdfBuilder::new("测试");
        b.paragraph("笑脸😀\u{fe0f}和𠀀字", BODY_PT);
        b.table(&["a"], &[1.0], &[vec!["🚀".into()]]);
        assert_eq!(b.missing_glyphs(), 3);
        let texts = b.pages_text();
        assert!(texts[0].iter().any(|t| t.contains("笑脸□和□字")), "{:?}", texts[0]);
        let bytes = b.finish().unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    }

    #[test]
    fn tall_rows_split_and_empty_documents_still_work() {
        let mut b = PdfBuilder::new("测试");
        let long = "很长的单元格内容。".repeat(600);
        b.table(&["说明", "备注"], &[3.0, 1.0], &[vec![long, "短".into()], vec!["下一行".into()]]);
        assert!(b.page_count() >= 3);
        for page in b.pages_text() {
            assert!(page.contains(&"说明".to_string()));
        }
        assert!(PdfBuilder::new("").finish().unwrap().starts_with(b"%PDF-"));
        let mut e = PdfBuilder::new("x");
        e.table(&[], &[], &[]);
        e.key_values(&[]);
        e.signature_lines(&[]);
        e.spacer(f32::NAN);
        e.paragraph("", f32::INFINITY);
        assert!(e.finish().is_ok());
    }

    /// A document with a signature block, characters the font lacks and a table row taller than
    /// a page: the row is split across pages, the missing characters are counted (and shown as
    /// the fallback), and the result is a complete PDF. `BOLE_PDF_SAMPLE=path` also writes it
    /// there for looking at.
    #[test]
    fn long_rows_split_across_pages_and_missing_glyphs_are_counted() {
        let mut b = sample(70);
        let before = b.page_count();
        b.section("第二部分 · 说明");
        b.title("附：对接工作说明");
        for _ in 0..3 {
            b.paragraph("一、对接双方应在收到本表后十个工作日内完成首次联系，并将对接情况反馈至县人才办。二、如需调整对接专家，请联系县人才办（电话 0571-8888 8888）。", BODY_PT);
        }
        b.spacer(5.0);
        b.signature_lines(&["企业代表签字", "专家签字", "县人才办经办人"]);
        b.section("第三部分 · 长单元格与缺字");
        b.paragraph("缺字示例：😀 与 𠀀（应显示为方框）。", BODY_PT);
        assert_eq!(b.missing_glyphs(), 2, "the emoji and the rare character have no glyph");
        assert_eq!(b.missing_chars().len(), 2);
        let with_text = b.page_count();
        let tall = "很长的单元格内容，用来检查超过一页的行如何拆分。".repeat(160);
        b.table(
            &["说明", "备注"],
            &[3.0, 1.0],
            &[vec!["前一行".into(), "短".into()], vec![tall, "短".into()], vec!["下一行".into()]],
        );
        let n = b.page_count();
        assert!(n > with_text && with_text > before, "the tall row runs onto more pages: {before} → {with_text} → {n}");
        let bytes = b.finish().unwrap();
        assert!(bytes.starts_with(b"%PDF-") && bytes.ends_with(b"%%EOF\n") || bytes.ends_with(b"%%EOF"));
        assert_eq!(count(&bytes, b"/Type /Page\n") + count(&bytes, b"/Type /Page "), n, "one page object per page");
        if let Some(path) = std::env::var_os("BOLE_PDF_SAMPLE") {
            std::fs::write(path, &bytes).unwrap();
        }
    }
}
