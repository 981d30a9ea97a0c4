//! QR codes for presentations: ISO/IEC 18004 symbols, written as PNG images (W3C PNG
//! Specification; ISO/IEC 15948).
//!
//! A presentation is encoded whole, as one byte-mode segment, so a scanner hands back exactly
//! the bytes that were signed: no split into numeric or alphanumeric segments, no character-set
//! guessing. The PNG writer is deliberately minimal (greyscale, 1 bit per pixel, no filtering,
//! one IDAT): a two-colour picture needs nothing more, and it keeps image crates out of the
//! CLI.

use std::path::Path;

use qrcode::bits::Bits;
use qrcode::types::{Color, EcLevel, Version};
use qrcode::QrCode;

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QrInfo {
    /// QR version, 1 to 40.
    pub version: u8,
    /// Modules per side of the symbol, without the quiet zone: `17 + 4 × version`.
    pub modules: usize,
    /// Bytes of data encoded.
    pub bytes: usize,
    /// Error-correction level: `'H'`, `'Q'`, `'M'` or `'L'`.
    pub ec_level: char,
}

/// Largest accepted `scale`: a version 40 code is then (177 + 8) × 32 = 5920 pixels a side,
/// about 4.4 MB before compression. Bigger is never needed to scan or print one.
pub const MAX_SCALE: u32 = 32;

/// Encodes `data` (a HealthProof presentation: text, taken as raw bytes) as a QR code in byte
/// mode, choosing the highest error-correction level (H, Q, M, L in that order) that still
/// fits in version 40, and writes it as a PNG (black on white, 4-module quiet zone, `scale`
/// pixels per module).
///
/// # Errors
///
/// A sentence when the data does not fit in any QR code (more than 2953 bytes), when `scale`
/// is not between 1 and [`MAX_SCALE`], or when the file cannot be written.
pub fn write_png(data: &[u8], path: &Path, scale: u32) -> Result<QrInfo, String> {
    let (bytes, info) = png(data, scale)?;
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(info)
}

/// Encodes `data` as [`write_png`] does and returns the PNG bytes.
///
/// # Errors
///
/// A sentence when the data does not fit in any QR code (more than 2953 bytes) or when
/// `scale` is not between 1 and [`MAX_SCALE`].
pub fn png(data: &[u8], scale: u32) -> Result<(Vec<u8>, QrInfo), String> {
    if !(1..=MAX_SCALE).contains(&scale) {
        return Err(format!(
            "the QR scale must be 1 to {MAX_SCALE} pixels per module, not {scale}"
        ));
    }
    let (code, info) = encode(data)?;
    let scale = usize::try_from(scale).map_err(|_| "the QR scale is too large".to_string())?;
    let (side, raw) = raster(&code, scale);
    let side = u32::try_from(side).map_err(|_| "the QR image is too large".to_string())?;
    Ok((encode_png(side, &raw)?, info))
}

/// Most bytes any QR code holds in byte mode (version 40, level L).
const MAX_BYTES: usize = 2953;

/// Largest QR version.
const MAX_VERSION: u8 = 40;

/// Light border around the symbol, in modules: the width ISO/IEC 18004 requires.
const QUIET_ZONE: usize = 4;

/// Error-correction levels, strongest first: H restores about 30% damaged codewords, Q 25%,
/// M 15%, L 7%. A presentation shown on a cracked phone screen or printed on paper should
/// survive as much damage as its size allows.
const LEVELS: [(EcLevel, char); 4] =
    [(EcLevel::H, 'H'), (EcLevel::Q, 'Q'), (EcLevel::M, 'M'), (EcLevel::L, 'L')];

/// Picks the strongest level that fits at version 40, then the smallest version at that level.
fn encode(data: &[u8]) -> Result<(QrCode, QrInfo), String> {
    for (level, ec_level) in LEVELS {
        if byte_mode(data, MAX_VERSION, level).is_none() {
            continue;
        }
        for version in 1..=MAX_VERSION {
            if let Some(bits) = byte_mode(data, version, level) {
                let code = QrCode::with_bits(bits, level)
                    .map_err(|e| format!("cannot build the QR code: {e}"))?;
                let info = QrInfo { version, modules: code.width(), bytes: data.len(), ec_level };
                return Ok((code, info));
            }
        }
    }
    Err(format!(
        "the presentation is {} bytes, too large for a QR code: the most one holds is \
         {MAX_BYTES} bytes (version 40, error-correction level L)",
        data.len()
    ))
}

/// `data` as one byte-mode segment of a QR code of `version`, or `None` when it does not fit.
fn byte_mode(data: &[u8], version: u8, level: EcLevel) -> Option<Bits> {
    let mut bits = Bits::new(Version::Normal(i16::from(version)));
    bits.push_byte_data(data).ok()?;
    bits.push_terminator(level).ok()?;
    Some(bits)
}

/// PNG filter type 0: scanline stored as is. The PNG specification advises it for images of
/// under 8 bits per pixel, and on QR rasters deflate does as well without filters as with Up.
const FILTER_NONE: u8 = 0;

/// The code as PNG scanlines (1-bit greyscale, 1 = white), with its side in pixels.
fn raster(code: &QrCode, scale: usize) -> (usize, Vec<u8>) {
    let modules = code.width();
    let colors = code.to_colors();
    let side_modules = modules + 2 * QUIET_ZONE;
    let side = side_modules * scale;
    let row_bytes = side.div_ceil(8);
    let mut raw = Vec::with_capacity((1 + row_bytes) * side);
    let mut row = Vec::with_capacity(1 + row_bytes);
    for module_row in 0..side_modules {
        row.clear();
        row.push(FILTER_NONE);
        let mut byte = 0u8;
        let mut filled = 0;
        for x in 0..side {
            let dark = is_dark(&colors, modules, module_row, x / scale);
            byte = (byte << 1) | u8::from(!dark);
            filled += 1;
            if filled == 8 {
                row.push(byte);
                byte = 0;
                filled = 0;
            }
        }
        if filled > 0 {
            // Pad the last byte with white; readers ignore bits past the image width.
            row.push((byte << (8 - filled)) | (0xff >> filled));
        }
        for _ in 0..scale {
            raw.extend_from_slice(&row);
        }
    }
    (side, raw)
}

/// Whether the module at (`row`, `column`), counted from the outer edge of the quiet zone, is
/// dark.
fn is_dark(colors: &[Color], modules: usize, row: usize, column: usize) -> bool {
    let (Some(row), Some(column)) = (row.checked_sub(QUIET_ZONE), column.checked_sub(QUIET_ZONE))
    else {
        return false;
    };
    row < modules && column < modules && colors.get(row * modules + column) == Some(&Color::Dark)
}

/// The eight bytes every PNG file opens with.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// A PNG file holding `raw` scanlines of a `side` × `side` 1-bit greyscale image.
fn encode_png(side: u32, raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&side.to_be_bytes());
    // Bit depth 1, colour type 0 (greyscale), deflate, adaptive filtering, no interlace.
    header.extend_from_slice(&[1, 0, 0, 0, 0]);
    // Level 6, zlib's default: on QR rasters it came out smaller than 9 and 10, and faster.
    let image = miniz_oxide::deflate::compress_to_vec_zlib(raw, 6);
    let mut out = Vec::with_capacity(PNG_SIGNATURE.len() + 3 * 12 + header.len() + image.len());
    out.extend_from_slice(&PNG_SIGNATURE);
    chunk(&mut out, b"IHDR", &header)?;
    chunk(&mut out, b"IDAT", &image)?;
    chunk(&mut out, b"IEND", &[])?;
    Ok(out)
}

/// Appends one PNG chunk: length, type, data, then the CRC-32 of type and data.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) -> Result<(), String> {
    let length = u32::try_from(data.len())
        .ok()
        .filter(|&n| n < 1 << 31)
        .ok_or_else(|| "the QR image is too large for a PNG chunk".to_string())?;
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(kind, data).to_be_bytes());
    Ok(())
}

/// CRC-32 of `kind` then `data`, as PNG Annex D computes it (the ISO 3309 / zlib CRC).
fn crc32(kind: &[u8], data: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in kind.iter().chain(data) {
        // Truncation intended: the low byte of the running CRC selects the table entry.
        let index = usize::from(crc as u8 ^ byte);
        // Invariant: a u8 index is below 256, the table's length.
        crc = CRC_TABLE.get(index).copied().unwrap_or(0) ^ (crc >> 8);
    }
    !crc
}

/// CRC-32 of every byte value, reflected polynomial 0xEDB88320 (PNG Annex D).
const CRC_TABLE: [u32; 256] = crc_table();

// Invariant: n < 256 indexes a 256-entry table; evaluated at compile time in any case.
#[allow(clippy::indexing_slicing)]
const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

    use super::*;

    /// Decodes `bytes` with the independent `png` crate (which checks every CRC and the zlib
    /// checksum), then reads the QR code in it with `rqrr`: the bytes it holds and its metadata.
    fn scan(bytes: &[u8]) -> (Vec<u8>, rqrr::MetaData) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
        let info = reader.info();
        assert_eq!(
            (info.bit_depth, info.color_type),
            (png::BitDepth::One, png::ColorType::Grayscale)
        );
        let (width, height) = (info.width as usize, info.height as usize);
        let mut packed = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut packed).unwrap();
        let stride = frame.line_size;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            let white = packed[y * stride + x / 8] >> (7 - x % 8) & 1 == 1;
            if white {
                255
            } else {
                0
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the image");
        let mut out = Vec::new();
        let meta = grids[0].decode_to(&mut out).unwrap();
        (out, meta)
    }

    /// Text shaped like a presentation: base64url runs, `~` separators, note lines.
    fn presentation_like(len: usize) -> Vec<u8> {
        let pattern = b"healthproof/v1\neyJhbGciOiJFZERTQSIsInR5cCI6ImhwLWlwcytzZC1qd3QifQ.\
            eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIn0.c2lnbmF0dXJlX2J5dGVz-_~WyJzYWx0\
            IiwibmFtZSIsIkpvaG4iXQ~\n\xe2\x80\x94 ledger.example/test t07aDYpBlaGi4PJ7pxB4Ilo=\n";
        pattern.iter().copied().cycle().take(len).collect()
    }

    fn round_trip(data: &[u8], scale: u32) -> (Vec<u8>, QrInfo) {
        let (bytes, info) = png(data, scale).unwrap();
        assert!(bytes.starts_with(&PNG_SIGNATURE));
        let (decoded, meta) = scan(&bytes);
        assert_eq!(decoded, data);
        assert_eq!(meta.version.0, usize::from(info.version));
        assert_eq!(info.modules, 17 + 4 * usize::from(info.version));
        assert_eq!(info.bytes, data.len());
        (bytes, info)
    }

    #[test]
    fn small_presentation_round_trips_at_level_h() {
        let data = presentation_like(300);
        let (_, info) = round_trip(&data, 4);
        assert_eq!(info.ec_level, 'H');
    }

    #[test]
    fn large_presentation_round_trips_at_the_strongest_level_that_fits() {
        let data = presentation_like(2000);
        let (bytes, info) = round_trip(&data, 4);
        // 2000 bytes exceed level Q's 1663 at version 40 but not level M's 2331.
        assert_eq!(info.ec_level, 'M');
        assert!(bytes.len() < 10_000, "{} bytes of PNG", bytes.len());
    }

    #[test]
    fn demo_partial_presentation_fits_at_level_l() {
        let data = include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/vectors/records/demo/partial.hproof"
        ));
        let (_, info) = round_trip(data, 2);
        assert_eq!((info.version, info.ec_level), (40, 'L'));
    }

    #[test]
    fn capacity_edges_pick_the_expected_level_and_version() {
        // Byte-mode capacities at version 40, from ISO/IEC 18004's capacity table: exactly
        // full at one level, and one byte more drops to the next.
        for (capacity, level, next) in [(1273, 'H', 'Q'), (1663, 'Q', 'M'), (2331, 'M', 'L')] {
            let (_, info) = encode(&presentation_like(capacity)).unwrap();
            assert_eq!((info.version, info.ec_level), (40, level), "{capacity} bytes");
            let (_, info) = encode(&presentation_like(capacity + 1)).unwrap();
            assert_eq!(info.ec_level, next, "{} bytes", capacity + 1);
        }
        let (_, info) = encode(&presentation_like(MAX_BYTES)).unwrap();
        assert_eq!((info.version, info.ec_level), (40, 'L'));
        let (_, info) = encode(b"").unwrap();
        assert_eq!((info.version, info.ec_level), (1, 'H'));
    }

    #[test]
    fn too_large_is_an_error_naming_the_size() {
        for len in [2954, 4000] {
            let error = png(&presentation_like(len), 4).unwrap_err();
            assert!(error.contains(&format!("{len} bytes")), "{error}");
            assert!(error.contains("2953 bytes"), "{error}");
        }
    }

    #[test]
    fn scale_out_of_range_is_an_error() {
        assert!(png(b"x", 0).unwrap_err().contains("scale"));
        assert!(png(b"x", MAX_SCALE + 1).unwrap_err().contains("scale"));
        let (bytes, _) = round_trip(b"x", MAX_SCALE);
        assert!(bytes.starts_with(&PNG_SIGNATURE));
    }

    #[test]
    fn quiet_zone_is_four_white_modules() {
        let (bytes, info) = png(&presentation_like(300), 1).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(&bytes)).read_info().unwrap();
        let mut packed = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut packed).unwrap();
        let side = info.modules + 2 * QUIET_ZONE;
        assert_eq!(frame.width as usize, side);
        let pixel = |x: usize, y: usize| packed[y * frame.line_size + x / 8] >> (7 - x % 8) & 1;
        for y in 0..side {
            for x in 0..side {
                let border = x.min(y) < QUIET_ZONE || x.max(y) >= side - QUIET_ZONE;
                if border {
                    assert_eq!(pixel(x, y), 1, "({x}, {y}) is white");
                }
            }
        }
        // The finder pattern's outer corner is dark.
        assert_eq!(pixel(QUIET_ZONE, QUIET_ZONE), 0);
    }

    #[test]
    fn crc32_matches_the_png_spec() {
        // The CRC stored in every IEND chunk.
        assert_eq!(crc32(b"IEND", &[]), 0xae42_6082);
        assert_eq!(crc32(b"", b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn write_png_writes_the_file_and_reports_unwritable_paths() {
        let dir = std::env::temp_dir().join(format!("healthproof-qr-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("code.png");
        let data = presentation_like(500);
        let info = write_png(&data, &path, 3).unwrap();
        let (decoded, _) = scan(&std::fs::read(&path).unwrap());
        assert_eq!(decoded, data);
        assert_eq!(info.bytes, 500);
        let missing = dir.join("no-such-dir").join("code.png");
        let error = write_png(&data, &missing, 3).unwrap_err();
        assert!(error.contains("no-such-dir"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
