//! The text calamine writes for an XLS formula, measured without writing it.
//!
//! calamine turns every formula of an XLS workbook into text when it opens the workbook (srmap
//! reads values, never formulas, but cannot ask it not to). A formula's tokens are short and
//! their text can be long: a 5-byte reference to a defined name is the name (up to 255
//! characters), a 7-byte reference to another sheet is that sheet's name, a 4-byte run of
//! spaces is up to 255 spaces, each inserted one at a time into the text before it. So a formula
//! record of 8 KB can be half a megabyte of text, and cost billions of byte moves to write. The
//! tokens are walked here as calamine walks them (BIFF8, and BIFF5's shorter references) to
//! bound both: the characters written, and the bytes moved while writing them.

/// What the names a formula can refer to are, at most, in characters of UTF-8.
#[derive(Debug, Default, Clone, Copy)]
pub struct Names {
    /// The longest sheet name (or `#REF`, 4).
    pub sheet: u64,
    /// The longest defined name (or `#REF!`, 5).
    pub defined: u64,
}

/// A formula's text, bounded from above.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    /// Bytes of the text.
    pub text: u64,
    /// Bytes moved while writing it (an insertion or a split moves the text after it).
    pub moved: u64,
}

/// The longest function name calamine writes, with room to spare.
const FUNCTION: u64 = 32;

/// What calamine writes for a formula it cannot read (`Unrecognised formula for cell ...`).
const UNREADABLE: u64 = 160;

/// Measure the formula of a FORMULA record's `rgce` (from its byte 20: the size, then the
/// tokens). `biff8`: the workbook's version (BIFF5 references are shorter). A formula cut short,
/// where calamine would stop, is measured to where it stops.
pub fn measure(rgce: &[u8], names: Names, biff8: bool) -> Measure {
    let mut m = Measure::default();
    let Some(size) = rgce
        .get(..2)
        .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    else {
        return m;
    };
    let Some(mut tokens) = rgce.get(2..2 + size) else {
        return m;
    };
    let sheet = names.sheet.max(4);
    let defined = names.defined.max(5);
    while let Some((&ptg, rest)) = tokens.split_first() {
        // (operand bytes, characters added, and whether the text so far is moved: twice for a
        // split and rewrite, once for an insertion)
        let (operand, added, moves) = match ptg {
            0x3A | 0x5A | 0x7A => (6, sheet + 12, 0),
            0x3B | 0x5B | 0x7B => (10, sheet + 24, 0),
            0x3C | 0x5C | 0x7C => (6, sheet + 6, 0),
            0x3D | 0x5D | 0x7D => (10, sheet + 6, 0),
            0x01 => (4, 0, 0),
            0x03..=0x11 => (0, 2, 2),
            0x12 | 0x13 => (0, 1, 1),
            0x14 => (0, 1, 0),
            0x15 => (0, 2, 1),
            0x16 => (0, 0, 0),
            0x17 => {
                let Some(&cch) = rest.first() else { break };
                let cch = usize::from(cch);
                let wide = biff8 && rest.get(1).is_some_and(|f| f & 1 == 1);
                let bytes = if biff8 {
                    1 + cch * if wide { 2 } else { 1 }
                } else {
                    cch
                };
                (1 + bytes, 3 * cch as u64 + 2, 0)
            }
            0x18 => (5, 0, 0),
            0x19 => {
                let Some(&kind) = rest.first() else { break };
                match kind {
                    0x01 | 0x02 | 0x08 | 0x20 | 0x21 => (3, 0, 0),
                    0x04 => {
                        let Some(n) = rest.get(1..3) else { break };
                        let n = usize::from(u16::from_le_bytes([n[0], n[1]])) + 1;
                        (3 + 2 * n, 0, 0)
                    }
                    0x10 => (3, 5, 2),
                    0x40 | 0x41 => {
                        // Spaces, inserted one at a time before the operand.
                        let Some(&cch) = rest.get(2) else { break };
                        let cch = u64::from(cch);
                        m.moved = m.moved.saturating_add(cch.saturating_mul(m.text + cch));
                        (3, cch, 0)
                    }
                    _ => {
                        m.text += UNREADABLE;
                        break;
                    }
                }
            }
            0x1C => (1, 13, 0),
            0x1D => (1, 5, 0),
            0x1E => (2, 5, 0),
            0x1F => {
                let Some(b) = rest.get(..8) else { break };
                let value = f64::from_le_bytes(b.try_into().unwrap_or_default());
                (8, value.to_string().len() as u64, 0)
            }
            0x20 | 0x40 | 0x60 => (7, 10, 0),
            0x21 | 0x41 | 0x61 => (2, FUNCTION + 2 + FUNCTION, 2),
            0x22 | 0x42 | 0x62 => {
                let Some(&argc) = rest.first() else { break };
                (3, FUNCTION + 2 + u64::from(argc), 2)
            }
            0x23 | 0x43 | 0x63 => (4, defined, 0),
            0x24 | 0x44 | 0x64 => (if biff8 { 4 } else { 3 }, 11, 0),
            0x25 | 0x45 | 0x65 => (if biff8 { 8 } else { 6 }, 23, 0),
            0x2A | 0x4A | 0x6A => (if biff8 { 4 } else { 3 }, 5, 0),
            0x2B | 0x4B | 0x6B => (if biff8 { 8 } else { 6 }, 5, 0),
            0x39 | 0x59 => (6, 10, 0),
            _ => {
                m.text += UNREADABLE;
                break;
            }
        };
        let Some(next) = rest.get(operand..) else {
            break;
        };
        m.moved = m.moved.saturating_add(moves * (m.text + added));
        m.text += added;
        tokens = next;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formula(tokens: &[u8]) -> Vec<u8> {
        let mut rgce = (tokens.len() as u16).to_le_bytes().to_vec();
        rgce.extend(tokens);
        rgce
    }

    const NAMES: Names = Names {
        sheet: 8,
        defined: 255,
    };

    #[test]
    fn a_small_formula_is_small() {
        // A1+1: a reference, an integer, an addition.
        let m = measure(
            &formula(&[0x24, 0, 0, 0, 0xC0, 0x1E, 1, 0, 0x03]),
            NAMES,
            true,
        );
        assert!(m.text >= "A1+1".len() as u64 && m.text < 40, "{m:?}");
    }

    #[test]
    fn names_and_spaces_are_counted_at_their_length() {
        // A defined name of 255 characters referred to 1,000 times: 5 KB of tokens.
        let mut tokens = Vec::new();
        for _ in 0..1000 {
            tokens.extend([0x23, 1, 0, 0, 0]);
        }
        assert_eq!(measure(&formula(&tokens), NAMES, true).text, 255_000);
        // A run of 255 spaces, 2,000 times, each inserted before all the text so far.
        let mut tokens = vec![0x1E, 1, 0];
        for _ in 0..2000 {
            tokens.extend([0x19, 0x40, 0, 255]);
        }
        let m = measure(&formula(&tokens), NAMES, true);
        assert_eq!(m.text, 5 + 2000 * 255);
        assert!(m.moved > 100_000_000_000, "{m:?}");
    }

    #[test]
    fn a_formula_cut_short_is_measured_to_where_it_stops() {
        assert_eq!(measure(&[], NAMES, true), Measure::default());
        assert_eq!(measure(&formula(&[0x24, 0, 0]), NAMES, true).text, 0);
        // The size claims more tokens than there are.
        assert_eq!(measure(&[200, 0, 0x03], NAMES, true).text, 0);
    }
}
