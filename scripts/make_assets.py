#!/usr/bin/env python3
"""Builds Bole's bundled assets in assets/ (re-run when UI strings gain characters outside GB2312).

  python3 scripts/make_assets.py            # fonts + icons
  python3 scripts/make_assets.py --check    # only list characters used by the project's sources/data
                                             # that the bundled font lacks; exit 1 if any is CJK
                                             # (hanzi, CJK punctuation, full-width forms)

Needs: fonttools, pillow, openpyxl (installed with pip on first run if missing) and `pip download`
access to PyPI for the source font. Outputs:

  assets/fonts/NotoSansSC-Bole-subset.otf  CFF (CID-keyed) outlines, as in the source font
  assets/fonts/NotoSansSC-Bole-subset.ttf  the same glyphs converted to TrueType (quadratic) outlines
  assets/fonts/OFL.txt                     licence of the font (SIL Open Font License 1.1)
  assets/icon.png (256x256), assets/icon_32.png, assets/icon.ico (16..256)

Source font: NotoSansSC-Regular.otf (Noto Sans SC 2.004, Adobe/Google, OFL-1.1) from the PyPI
package pylopdf-fonts-zh-cn==0.1.1. Character set kept: ASCII, Latin-1, general punctuation,
CJK symbols & punctuation, full-width forms, a few arrow/shape/number blocks, all of GB2312
(6,763 hanzi + its symbol rows), plus every character found in data/**/*.toml, data/demo/*
(xlsx cells read with openpyxl, other files as UTF-8 text), src/**/*.rs, tests/**/*.rs,
benches/**/*.rs, scripts/demo/*.json and ../shared/seeds/*.txt (if present). Hinting is dropped. Output is
deterministic for a given character set (timestamps are not recalculated).
"""
import glob, hashlib, importlib, io, os, subprocess, sys, zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
ASSETS = os.path.join(ROOT, "assets")
FONTS = os.path.join(ASSETS, "fonts")
SEEDS = os.path.abspath(os.path.join(ROOT, "..", "shared", "seeds"))

PKG, PKG_VERSION = "pylopdf-fonts-zh-cn", "0.1.1"
FONT_IN_WHEEL = "pylopdf_fonts_zh_cn/NotoSansSC-Regular.otf"
LICENSE_IN_WHEEL = "pylopdf_fonts_zh_cn-0.1.1.dist-info/licenses/LICENSE"
FONT_SHA256 = "faa6c9df652116dde789d351359f3d7e5d2285a2b2a1f04a2d7244df706d5ea9"
OUT_OTF = os.path.join(FONTS, "NotoSansSC-Bole-subset.otf")
OUT_TTF = os.path.join(FONTS, "NotoSansSC-Bole-subset.ttf")
LICENCE_NOTE = ("Copyright notice and trademark line above are copied from the font's own name table.\n"
                "NotoSansSC-Bole-subset.otf/.ttf are a subset (and a TrueType-outline conversion) of\n"
                "NotoSansSC-Regular.otf made for Bole with fontTools; they are likewise licensed under\n"
                "the SIL Open Font License, Version 1.1, below.\n\n")


def ensure(modname, pipname):
    try:
        return importlib.import_module(modname)
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", pipname])
        return importlib.import_module(modname)


# ---------------------------------------------------------------- character set
def ranges(*pairs):
    out = set()
    for a, b in pairs:
        out.update(chr(c) for c in range(a, b + 1))
    return out


def gb2312_chars():
    """Every character of GB2312: symbol rows 0xA1-0xA9 and hanzi rows 0xB0-0xF7."""
    out = set()
    for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def gb2312_hanzi():
    return {c for c in gb2312_chars() if 0x4E00 <= ord(c) <= 0x9FFF}


def project_text():
    """All text of the project's own sources and data (with where it came from, for --check)."""
    texts = []
    pats = ["data/**/*.toml", "src/**/*.rs", "tests/**/*.rs", "benches/**/*.rs", "scripts/demo/*.json"]
    files = set()
    for p in pats:
        files.update(glob.glob(os.path.join(ROOT, p), recursive=True))
    files.update(f for f in glob.glob(os.path.join(ROOT, "data", "demo", "*")) if os.path.isfile(f))
    files.update(glob.glob(os.path.join(SEEDS, "*.txt")))
    for f in sorted(files):
        if f.endswith(".xlsx"):
            openpyxl = ensure("openpyxl", "openpyxl")
            wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
            parts = []
            for ws in wb.worksheets:
                parts.append(ws.title)
                for row in ws.iter_rows(values_only=True):
                    parts.extend(str(v) for v in row if v is not None)
            wb.close()
            texts.append((f, "\n".join(parts)))
        else:
            with open(f, "rb") as fh:
                texts.append((f, fh.read().decode("utf-8", errors="ignore")))
    return texts


def wanted_chars():
    chars = ranges(
        (0x20, 0x7E),      # ASCII
        (0xA0, 0xFF),      # Latin-1 supplement
        (0x2000, 0x206F),  # general punctuation
        (0x2100, 0x214F),  # letterlike symbols (℃ № ™ …)
        (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ …)
        (0x2190, 0x21FF),  # arrows
        (0x2460, 0x24FF),  # enclosed alphanumerics (① …)
        (0x2500, 0x257F),  # box drawing
        (0x25A0, 0x25FF),  # geometric shapes (● ■ ▲ …)
        (0x2605, 0x2606), (0x2713, 0x2717),  # ★ ☆ ✓ ✔ ✕ ✖ ✗
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0xFF00, 0xFFEF),  # half-width and full-width forms
    )
    required = gb2312_chars()
    for _, t in project_text():
        required.update(c for c in t if ord(c) >= 0x20 and not 0xD800 <= ord(c) <= 0xDFFF)
    return chars | required, required


# ---------------------------------------------------------------- source font
def fetch_source():
    """Returns (font bytes, licence text) from the PyPI wheel."""
    cache = os.path.join(os.path.expanduser("~"), ".cache", "bole-assets")
    os.makedirs(cache, exist_ok=True)
    whl = glob.glob(os.path.join(cache, f"pylopdf_fonts_zh_cn-{PKG_VERSION}-*.whl"))
    if not whl:
        subprocess.check_call([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                               "-d", cache, f"{PKG}=={PKG_VERSION}"])
        whl = glob.glob(os.path.join(cache, f"pylopdf_fonts_zh_cn-{PKG_VERSION}-*.whl"))
    with zipfile.ZipFile(whl[0]) as z:
        font = z.read(FONT_IN_WHEEL)
        lic = z.read(LICENSE_IN_WHEEL).decode("utf-8")
    digest = hashlib.sha256(font).hexdigest()
    if digest != FONT_SHA256:
        sys.exit(f"unexpected source font (sha256 {digest}); update FONT_SHA256 if the package changed on purpose")
    return font, lic


# ---------------------------------------------------------------- fonts
def subset_font(src_bytes, chars):
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(src_bytes), recalcTimestamp=False)
    cmap = font.getBestCmap()
    present = {c for c in chars if ord(c) in cmap}
    opts = subset.Options()
    opts.hinting = False             # drop CFF hints / TrueType instructions
    opts.layout_features = ["*"]     # keep GSUB/GPOS (vertical forms, kerning, etc.)
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.drop_tables += ["DSIG"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(ord(c) for c in present))
    sub.subset(font)
    font.recalcTimestamp = False
    return font, present


def otf_to_ttf(otf_path, ttf_path, max_err=1.0):
    """CFF outlines -> quadratic TrueType glyf (fontTools' cu2qu; same approach as its otf2ttf snippet)."""
    from fontTools.ttLib import TTFont, newTable
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    font = TTFont(otf_path, recalcTimestamp=False)
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(gs)
        gs[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for t in ("CFF ", "VORG"):
        if t in font:
            del font[t]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for k in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
              "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, k, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0           # no glyph names (CID fonts have none worth keeping)
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcTimestamp = False
    font.save(ttf_path)


# ---------------------------------------------------------------- icons
BG_TOP = (18, 112, 128)      # deep teal
BG_BOTTOM = (12, 68, 104)    # deep blue
GOLD = (232, 186, 92)


def draw_icon(size, font_path, text):
    """Renders one icon size at 4x and downsamples, so every ICO entry is drawn for its size."""
    from PIL import Image, ImageDraw, ImageFont

    S = size * 4
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    # vertical gradient
    grad = Image.new("RGBA", (1, S))
    for y in range(S):
        t = y / (S - 1)
        grad.putpixel((0, y), tuple(round(BG_TOP[i] * (1 - t) + BG_BOTTOM[i] * t) for i in range(3)) + (255,))
    grad = grad.resize((S, S))
    margin = round(S * (0.03 if size > 24 else 0.0))
    radius = round(S * 0.2)
    mask = Image.new("L", (S, S), 0)
    ImageDraw.Draw(mask).rounded_rectangle((margin, margin, S - 1 - margin, S - 1 - margin), radius, fill=255)
    img.paste(grad, (0, 0), mask)
    d = ImageDraw.Draw(img)
    inner = S - 2 * margin
    if len(text) == 2:
        fsize = round(inner * (0.40 if size >= 48 else 0.46))
    else:
        fsize = round(inner * 0.80)
    fnt = ImageFont.truetype(font_path, fsize)
    # text centred a little above the middle; gold accent bar below it (sizes >= 32)
    accent = size >= 48
    bbox = d.textbbox((0, 0), text, font=fnt)
    tw, th = bbox[2] - bbox[0], bbox[3] - bbox[1]
    cy = S / 2 - (inner * 0.06 if accent else 0)
    x = (S - tw) / 2 - bbox[0]
    y = cy - th / 2 - bbox[1]
    stroke = max(0, round(fsize * 0.012))
    d.text((x, y), text, font=fnt, fill=(255, 255, 255, 255), stroke_width=stroke, stroke_fill=(255, 255, 255, 255))
    if accent:
        bw, bh = inner * 0.30, max(4, inner * 0.035)
        by = cy + th / 2 + inner * 0.08
        d.rounded_rectangle(((S - bw) / 2, by, (S + bw) / 2, by + bh), bh / 2, fill=GOLD + (255,))
    return img.resize((size, size), Image.LANCZOS)


def make_icons(font_path):
    ensure("PIL", "pillow")
    sizes = [16, 24, 32, 48, 64, 128, 256]
    imgs = {s: draw_icon(s, font_path, "伯乐" if s >= 32 else "伯") for s in sizes}
    imgs[256].save(os.path.join(ASSETS, "icon.png"), optimize=True)
    imgs[32].save(os.path.join(ASSETS, "icon_32.png"), optimize=True)
    ico = os.path.join(ASSETS, "icon.ico")
    imgs[256].save(ico, format="ICO", sizes=[(s, s) for s in sizes],
                   append_images=[imgs[s] for s in sizes if s != 256])
    return [os.path.join(ASSETS, n) for n in ("icon.png", "icon_32.png", "icon.ico")]


# ---------------------------------------------------------------- check
def check(font_path):
    from fontTools.ttLib import TTFont

    cmap = TTFont(font_path).getBestCmap()
    missing = {}
    for f, t in project_text():
        for c in t:
            if ord(c) >= 0x20 and not 0xD800 <= ord(c) <= 0xDFFF and ord(c) not in cmap:
                missing.setdefault(c, set()).add(os.path.relpath(f, ROOT))
    for c, fs in sorted(missing.items()):
        print(f"  U+{ord(c):04X} {c!r}: {', '.join(sorted(fs))}")
    return missing


def main():
    ensure("fontTools", "fonttools")
    if "--check" in sys.argv:
        miss = check(OUT_OTF)
        cjk = [c for c in miss if 0x2E80 <= ord(c) <= 0x9FFF or 0xF900 <= ord(c) <= 0xFAFF
               or 0xFF00 <= ord(c) <= 0xFFEF or ord(c) >= 0x20000]
        print(f"{len(miss)} characters used by the project are not in {os.path.relpath(OUT_OTF, ROOT)}"
              f" ({len(cjk)} of them CJK: re-run this script to add them)")
        sys.exit(1 if cjk else 0)

    os.makedirs(FONTS, exist_ok=True)
    src, lic = fetch_source()
    print(f"source: {PKG}=={PKG_VERSION} {FONT_IN_WHEEL} ({len(src):,} bytes, sha256 {hashlib.sha256(src).hexdigest()})")
    chars, required = wanted_chars()
    font, present = subset_font(src, chars)
    font.save(OUT_OTF)
    absent = sorted(required - present)
    print(f"wanted {len(chars):,} characters, kept {len(present):,} "
          f"({len(chars - present - required)} of the block ranges are not in the source font)")
    if absent:
        print(f"  {len(absent)} characters of GB2312 / the project's text are not in the source font: " +
              " ".join(f"U+{ord(c):04X} {c}" for c in absent))
    otf_to_ttf(OUT_OTF, OUT_TTF)
    with open(os.path.join(FONTS, "OFL.txt"), "w", encoding="utf-8", newline="\n") as fh:
        names = font["name"]
        head = "\n".join(str(names.getDebugName(i)) for i in (0, 7) if names.getDebugName(i))
        fh.write(head + "\n" + LICENCE_NOTE + lic.replace("\r\n", "\n"))
    outs = [OUT_OTF, OUT_TTF] + make_icons(OUT_TTF)
    for p in outs:
        print(f"  {os.path.relpath(p, ROOT)}: {os.path.getsize(p):,} bytes")


if __name__ == "__main__":
    main()
