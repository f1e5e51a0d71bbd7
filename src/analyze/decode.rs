//! A file's bytes as the tool that runs it reads them. Skipping a file that is not valid UTF-8
//! would lose real findings: CPython reads a latin-1 module that says so in a PEP 263 coding
//! line (`# -*- coding: latin-1 -*-`), Node reads any bytes as UTF-8 (invalid ones become
//! U+FFFD), and both drop a UTF-8 byte-order mark. So every file is decoded to UTF-8 here and
//! then analysed like any other.
//!
//! What is read, in order:
//! - a byte-order mark: UTF-8 (dropped, so the first line's columns are right), UTF-32 and
//!   UTF-16 (little or big endian; TypeScript and pip read these, and Windows tools write them);
//! - valid UTF-8, as it is, whatever a coding line says (a valid UTF-8 file under a latin-1
//!   declaration was re-saved by an editor; the columns an editor shows are the UTF-8 ones);
//! - for [`Reader::Python`], a PEP 263 declaration on line 1, or on line 2 under a blank or
//!   comment line 1, naming latin-1, latin-9 (ISO-8859-15) or windows-1252 under any of the
//!   names Python accepts;
//! - anything else lossily: each invalid sequence becomes U+FFFD.
//!
//! Every decoding keeps each newline a newline and adds none, so findings keep their lines;
//! columns are counted in characters, so they stay right too (except after a character of a
//! multi-byte encoding this module does not know, which may count as more than one).
use std::borrow::Cow;

/// How the tool that runs the file reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// CPython for modules, pip for requirements files: a coding declaration on line 1 or 2
    /// names the encoding.
    Python,
    /// Node and TypeScript, and the JSON, TOML and YAML readers: UTF-8.
    Utf8,
}

/// What a file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Valid UTF-8 (a byte-order mark, if any, dropped).
    Utf8,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
    /// ISO-8859-1, by a coding declaration.
    Latin1,
    /// ISO-8859-15, by a coding declaration.
    Latin9,
    /// windows-1252, by a coding declaration.
    Cp1252,
    /// Not valid UTF-8 and no declaration this module can honour: invalid sequences replaced.
    Lossy,
}

impl Encoding {
    pub fn key(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Utf32Le => "utf-32le",
            Encoding::Utf32Be => "utf-32be",
            Encoding::Latin1 => "iso-8859-1",
            Encoding::Latin9 => "iso-8859-15",
            Encoding::Cp1252 => "windows-1252",
            Encoding::Lossy => "utf-8-lossy",
        }
    }
}

/// A file's text and what it was decoded from.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// Borrowed from the bytes when they were valid UTF-8.
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
}

/// Decodes `bytes` as `reader` would. Never fails: the worst case is lossy UTF-8.
pub fn decode(bytes: &[u8], reader: Reader) -> Decoded<'_> {
    let (encoding, text) = if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        utf8(body)
    } else if let Some(body) = bytes.strip_prefix(b"\xFF\xFE\0\0") {
        (
            Encoding::Utf32Le,
            Cow::Owned(utf32(body, u32::from_le_bytes)),
        )
    } else if let Some(body) = bytes.strip_prefix(b"\0\0\xFE\xFF") {
        (
            Encoding::Utf32Be,
            Cow::Owned(utf32(body, u32::from_be_bytes)),
        )
    } else if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        (
            Encoding::Utf16Le,
            Cow::Owned(utf16(body, u16::from_le_bytes)),
        )
    } else if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        (
            Encoding::Utf16Be,
            Cow::Owned(utf16(body, u16::from_be_bytes)),
        )
    } else {
        match (utf8(bytes), reader) {
            ((Encoding::Lossy, _), Reader::Python) => declared(bytes),
            (decoded, _) => decoded,
        }
    };
    Decoded { text, encoding }
}

/// UTF-8, lossily if it must be.
fn utf8(bytes: &[u8]) -> (Encoding, Cow<'_, str>) {
    match String::from_utf8_lossy(bytes) {
        Cow::Borrowed(s) => (Encoding::Utf8, Cow::Borrowed(s)),
        owned => (Encoding::Lossy, owned),
    }
}

fn utf16(body: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let chunks = body.chunks_exact(2);
    let odd = !chunks.remainder().is_empty();
    let units = chunks.map(|c| unit([c[0], c[1]]));
    let mut s: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if odd {
        s.push(char::REPLACEMENT_CHARACTER);
    }
    s
}

fn utf32(body: &[u8], unit: fn([u8; 4]) -> u32) -> String {
    let chunks = body.chunks_exact(4);
    let odd = !chunks.remainder().is_empty();
    let mut s: String = chunks
        .map(|c| char::from_u32(unit([c[0], c[1], c[2], c[3]])))
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if odd {
        s.push(char::REPLACEMENT_CHARACTER);
    }
    s
}

/// Invalid UTF-8 read by Python: the encoding its coding line names, if known; else lossy.
fn declared(bytes: &[u8]) -> (Encoding, Cow<'_, str>) {
    let encoding = coding_line(bytes).and_then(single_byte_encoding);
    let high: fn(u8) -> char = match encoding {
        Some(Encoding::Latin1) => char::from,
        Some(Encoding::Latin9) => latin9,
        Some(Encoding::Cp1252) => cp1252,
        _ => return (Encoding::Lossy, String::from_utf8_lossy(bytes)),
    };
    let text = bytes
        .iter()
        .map(|&b| if b < 0x80 { char::from(b) } else { high(b) })
        .collect();
    (encoding.unwrap_or(Encoding::Lossy), Cow::Owned(text))
}

/// The encoding name of a PEP 263 declaration: line 1, or line 2 when line 1 is blank or a
/// comment (as `tokenize.detect_encoding` reads it). The pattern is PEP 263's,
/// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`.
fn coding_line(bytes: &[u8]) -> Option<&str> {
    let mut lines = bytes.split(|&b| b == b'\n');
    let first = lines.next()?;
    if let Some(name) = declaration(first) {
        return Some(name);
    }
    if !matches!(trim_blank(first).first(), None | Some(b'#' | b'\r')) {
        return None;
    }
    declaration(lines.next()?)
}

/// `[ \t\f]*` trimmed from the start, as PEP 263 allows before the `#`.
fn trim_blank(line: &[u8]) -> &[u8] {
    let n = line
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\x0C'))
        .count();
    &line[n..]
}

/// The name a comment line declares, if it is a coding declaration.
fn declaration(line: &[u8]) -> Option<&str> {
    let comment = trim_blank(line).strip_prefix(b"#")?;
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&comment[from..], b"coding") {
        let after = from + i + b"coding".len();
        if matches!(comment.get(after), Some(b':' | b'=')) {
            let tail = &comment[after + 1..];
            let spaces = tail
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            let name = &tail[spaces..];
            let len = name
                .iter()
                .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                .count();
            if len > 0 {
                return std::str::from_utf8(&name[..len]).ok();
            }
        }
        from = from + i + 1;
    }
    None
}

/// The single-byte encoding an encoding name means, under the names Python's codec registry
/// and tokenizer accept (`latin-1`, `ISO_8859_1`, `l1`, `cp1252`, Emacs' `latin-1-unix`, ...).
fn single_byte_encoding(name: &str) -> Option<Encoding> {
    let norm = normalize(name);
    let mut norm = norm.as_str();
    for prefix in ["latin_1", "iso_8859_1", "iso_latin_1"] {
        if norm
            .strip_prefix(prefix)
            .is_some_and(|r| r.starts_with('_'))
        {
            return Some(Encoding::Latin1);
        }
    }
    for eol in ["_unix", "_dos", "_mac"] {
        norm = norm.strip_suffix(eol).unwrap_or(norm);
    }
    match norm {
        "latin_1" | "latin1" | "latin" | "l1" | "iso8859_1" | "iso_8859_1" | "iso8859" | "8859"
        | "cp819" | "ibm819" | "iso_ir_100" | "csisolatin1" | "iso_8859_1_1987" | "iso_latin_1" => {
            Some(Encoding::Latin1)
        }
        "iso8859_15" | "iso_8859_15" | "latin9" | "latin_9" | "l9" => Some(Encoding::Latin9),
        "cp1252" | "windows_1252" | "1252" => Some(Encoding::Cp1252),
        _ => None,
    }
}

/// Lower case, every run of other characters than letters and digits one `_`, none at either
/// end (Python's `encodings.normalize_encoding`, with `.` as `_` as its alias lookup retries).
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for part in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&part.to_ascii_lowercase());
    }
    out
}

/// ISO-8859-15: latin-1 with eight letters and the euro sign in place of symbols.
fn latin9(b: u8) -> char {
    match b {
        0xA4 => '\u{20AC}',
        0xA6 => '\u{0160}',
        0xA8 => '\u{0161}',
        0xB4 => '\u{017D}',
        0xB8 => '\u{017E}',
        0xBC => '\u{0152}',
        0xBD => '\u{0153}',
        0xBE => '\u{0178}',
        _ => char::from(b),
    }
}

/// windows-1252: latin-1 but for 0x80-0x9F, which hold punctuation (smart quotes, dashes, the
/// euro sign). Its five unassigned bytes become U+FFFD.
fn cp1252(b: u8) -> char {
    const C1: [u16; 32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(C1[usize::from(b - 0x80)]))
            .unwrap_or(char::REPLACEMENT_CHARACTER),
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(bytes: &[u8]) -> (Encoding, String) {
        let d = decode(bytes, Reader::Python);
        (d.encoding, d.text.into_owned())
    }

    fn lines(s: &str) -> usize {
        s.matches('\n').count()
    }

    #[test]
    fn valid_utf8_is_borrowed() {
        let src = "import numpy as np\nNAME = 'café'\n".as_bytes();
        let d = decode(src, Reader::Python);
        assert_eq!(d.encoding, Encoding::Utf8);
        assert!(matches!(d.text, Cow::Borrowed(_)));
        // A latin-1 declaration over valid UTF-8 is stale: UTF-8 wins.
        let src = "# -*- coding: latin-1 -*-\nNAME = 'café'\n".as_bytes();
        let d = decode(src, Reader::Python);
        assert_eq!(d.encoding, Encoding::Utf8);
        assert!(d.text.contains("café"));
    }

    #[test]
    fn latin1_by_its_coding_line() {
        let src = b"# -*- coding: latin-1 -*-\n\"\"\"Caf\xe9.\"\"\"\nimport numpy as np\n";
        let (enc, text) = py(src);
        assert_eq!(enc, Encoding::Latin1);
        assert_eq!(
            text,
            "# -*- coding: latin-1 -*-\n\"\"\"Café.\"\"\"\nimport numpy as np\n"
        );
        // Line 2 under a shebang, with the vim form and another spelling.
        let src = b"#!/usr/bin/env python\n# vim: set fileencoding=ISO_8859-1 :\nx = '\xe9'\n";
        assert_eq!(
            py(src),
            (
                Encoding::Latin1,
                "#!/usr/bin/env python\n# vim: set fileencoding=ISO_8859-1 :\nx = 'é'\n".into()
            )
        );
        // Emacs' end-of-line suffix, and the plain `coding=` form.
        assert_eq!(py(b"# coding: latin-1-unix\n\xe9").0, Encoding::Latin1);
        assert_eq!(py(b"#coding=l1\n\xe9").0, Encoding::Latin1);
        assert_eq!(
            py(b"# coding: iso-8859-15-unix\n\xa4").1,
            "# coding: iso-8859-15-unix\n€"
        );
    }

    #[test]
    fn cp1252_smart_quotes() {
        let src = b"# coding: cp1252\n# \x93quoted\x94 \x96 it\x92s \x80 5\nimport torch\n\x81";
        let (enc, text) = py(src);
        assert_eq!(enc, Encoding::Cp1252);
        assert_eq!(
            text,
            "# coding: cp1252\n# \u{201C}quoted\u{201D} \u{2013} it\u{2019}s \u{20AC} 5\nimport torch\n\u{FFFD}"
        );
        assert_eq!(
            py(b"# coding: windows-1252\n\x93").1,
            "# coding: windows-1252\n\u{201C}"
        );
    }

    #[test]
    fn no_declaration_is_lossy() {
        let src = b"import ws\nname = '\xe9t\xe9'\r\nx = 1\n";
        let (enc, text) = py(src);
        assert_eq!(enc, Encoding::Lossy);
        assert_eq!(text, "import ws\nname = '\u{FFFD}t\u{FFFD}'\r\nx = 1\n");
        // Node and TypeScript never honour a coding line.
        let d = decode(b"// coding: latin-1\nconst s = '\xe9';\n", Reader::Utf8);
        assert_eq!(d.encoding, Encoding::Lossy);
        assert_eq!(d.text, "// coding: latin-1\nconst s = '\u{FFFD}';\n");
    }

    #[test]
    fn declarations_out_of_place_are_ignored() {
        // Line 3 is too late.
        let src = b"#!/usr/bin/env python\n# hello\n# coding: latin-1\n\xe9\n";
        assert_eq!(py(src).0, Encoding::Lossy);
        // Line 2 under a code line 1 does not count.
        assert_eq!(py(b"import os\n# coding: latin-1\n\xe9").0, Encoding::Lossy);
        // Not a comment.
        assert_eq!(py(b"s = '# coding: latin-1'\n\xe9").0, Encoding::Lossy);
        // Line 2 under a blank line 1 counts.
        assert_eq!(py(b"\n# coding: latin-1\n\xe9").0, Encoding::Latin1);
    }

    #[test]
    fn unknown_or_malformed_names_are_lossy() {
        for src in [
            &b"# coding: klingon\n\xe9"[..],
            b"# coding: utf-8\n\xe9",
            b"# coding: euc-jp\n\xa4\xa2",
            b"# coding:\n\xe9",
            b"# coding latin-1\n\xe9",
        ] {
            let (enc, text) = py(src);
            assert_eq!(enc, Encoding::Lossy, "{src:?}");
            assert!(text.contains('\u{FFFD}'), "{src:?}");
            assert_eq!(lines(&text), 1);
        }
        // The first `coding[:=]` with a name wins, as the pattern's lazy `.*?` does.
        assert_eq!(py(b"# coding: ; coding=latin-1\n\xe9").0, Encoding::Latin1);
    }

    #[test]
    fn utf8_bom_is_dropped() {
        let src = b"\xEF\xBB\xBFimport numpy as np\n";
        let d = decode(src, Reader::Python);
        assert_eq!(d.encoding, Encoding::Utf8);
        assert!(matches!(d.text, Cow::Borrowed("import numpy as np\n")));
        let d = decode(b"\xEF\xBB\xBFx = '\xe9'\n", Reader::Utf8);
        assert_eq!(
            (d.encoding, &*d.text),
            (Encoding::Lossy, "x = '\u{FFFD}'\n")
        );
    }

    #[test]
    fn utf16_and_utf32_by_their_bom() {
        let text = "import torch\r\nx = 'é 😀'\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for (bytes, enc) in [(&le, Encoding::Utf16Le), (&be, Encoding::Utf16Be)] {
            for reader in [Reader::Python, Reader::Utf8] {
                let d = decode(bytes, reader);
                assert_eq!((d.encoding, &*d.text), (enc, text));
            }
        }
        let le32: Vec<u8> = [0xFF, 0xFE, 0, 0]
            .into_iter()
            .chain(text.chars().flat_map(|c| u32::from(c).to_le_bytes()))
            .collect();
        let d = decode(&le32, Reader::Utf8);
        assert_eq!((d.encoding, &*d.text), (Encoding::Utf32Le, text));
        // A lone surrogate and an odd last byte are replaced, not fatal.
        let d = decode(&[0xFF, 0xFE, 0x00, 0xD8, b'\n', 0, b'x'], Reader::Utf8);
        assert_eq!(d.text, "\u{FFFD}\n\u{FFFD}");
    }

    #[test]
    fn newlines_are_kept_by_every_decoding() {
        let body = b"a\xe9\nb\x93\r\nc\n\n\xff\xfe";
        for prefix in [&b""[..], b"# coding: latin-1\n", b"# coding: cp1252\n"] {
            let src = [prefix, body].concat();
            let n = src.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(lines(&py(&src).1), n, "{prefix:?}");
            assert_eq!(lines(&decode(&src, Reader::Utf8).text), n);
        }
    }
}
