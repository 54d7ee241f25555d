//! A minimal BER reader that keeps raw slices of the input.
//!
//! Real `.p7m` files mix DER and BER (indefinite lengths, content in chunks), and the
//! signature check needs the bytes exactly as received. So this reader never re-encodes
//! or copies: every element is a view into the input buffer.

use std::fmt;

/// Deepest ASN.1 nesting accepted. Real envelopes stay under 30; the cap keeps a hostile
/// file from exhausting the stack.
pub const MAX_DEPTH: usize = 96;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BerError {
    #[error("unexpected end of data at offset {0}")]
    Truncated(usize),
    #[error("invalid length encoding at offset {0}")]
    BadLength(usize),
    #[error("tag number too large at offset {0}")]
    BadTag(usize),
    #[error("indefinite length on a primitive element at offset {0}")]
    IndefinitePrimitive(usize),
    #[error("ASN.1 nesting deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("expected {expected} at offset {offset}, found tag {found}")]
    UnexpectedTag {
        expected: &'static str,
        found: Tag,
        offset: usize,
    },
    #[error("{0}")]
    Invalid(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Universal,
    Application,
    Context,
    Private,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub class: Class,
    pub constructed: bool,
    pub number: u32,
}

impl Tag {
    pub const fn universal(number: u32) -> Self {
        Tag {
            class: Class::Universal,
            constructed: false,
            number,
        }
    }
    pub fn is_universal(&self, number: u32) -> bool {
        self.class == Class::Universal && self.number == number
    }
    pub fn is_context(&self, number: u32) -> bool {
        self.class == Class::Context && self.number == number
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = match self.class {
            Class::Universal => "UNIVERSAL",
            Class::Application => "APPLICATION",
            Class::Context => "CONTEXT",
            Class::Private => "PRIVATE",
        };
        let form = if self.constructed {
            "constructed"
        } else {
            "primitive"
        };
        write!(f, "[{class} {}] {form}", self.number)
    }
}

pub mod tags {
    pub const BOOLEAN: u32 = 1;
    pub const INTEGER: u32 = 2;
    pub const BIT_STRING: u32 = 3;
    pub const OCTET_STRING: u32 = 4;
    pub const NULL: u32 = 5;
    pub const OID: u32 = 6;
    pub const UTF8_STRING: u32 = 12;
    pub const SEQUENCE: u32 = 16;
    pub const SET: u32 = 17;
    pub const PRINTABLE_STRING: u32 = 19;
    pub const T61_STRING: u32 = 20;
    pub const IA5_STRING: u32 = 22;
    pub const UTC_TIME: u32 = 23;
    pub const GENERALIZED_TIME: u32 = 24;
    pub const UNIVERSAL_STRING: u32 = 28;
    pub const BMP_STRING: u32 = 30;
}

/// One element: a view into the buffer it was read from.
#[derive(Clone, Copy)]
pub struct Tlv<'a> {
    pub tag: Tag,
    /// Offset of the first identifier octet within the buffer given to [`Reader`].
    pub offset: usize,
    /// Whole encoding: identifier, length, contents and (if indefinite) end-of-contents.
    pub raw: &'a [u8],
    /// Contents octets only (for indefinite length: without the end-of-contents octets).
    pub value: &'a [u8],
    /// Offset of `value` within the buffer given to [`Reader`].
    pub value_offset: usize,
    pub indefinite: bool,
}

impl fmt::Debug for Tlv<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Tlv({} @{} len={}{})",
            self.tag,
            self.offset,
            self.value.len(),
            if self.indefinite { " indef" } else { "" }
        )
    }
}

/// Reads consecutive elements out of a slice.
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Offset of `data[0]` in the outermost buffer, so errors and [`Tlv::offset`] are absolute.
    base: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader {
            data,
            pos: 0,
            base: 0,
            depth: 0,
        }
    }

    fn nested(data: &'a [u8], base: usize, depth: usize) -> Result<Self, BerError> {
        if depth > MAX_DEPTH {
            return Err(BerError::TooDeep);
        }
        Ok(Reader {
            data,
            pos: 0,
            base,
            depth,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> &'a [u8] {
        &self.data[self.pos.min(self.data.len())..]
    }

    /// Reads the next element. An end-of-contents marker is reported as `None`.
    fn next_or_eoc(&mut self) -> Result<Option<Tlv<'a>>, BerError> {
        let start = self.pos;
        let abs = |p: usize| self.base + p;
        let byte = |p: usize| self.data.get(p).copied().ok_or(BerError::Truncated(abs(p)));

        let first = byte(start)?;
        let mut p = start + 1;
        let class = match first >> 6 {
            0 => Class::Universal,
            1 => Class::Application,
            2 => Class::Context,
            _ => Class::Private,
        };
        let constructed = first & 0x20 != 0;
        let mut number = u32::from(first & 0x1f);
        if number == 0x1f {
            number = 0;
            loop {
                let b = byte(p)?;
                p += 1;
                if number > (u32::MAX >> 7) {
                    return Err(BerError::BadTag(abs(start)));
                }
                number = (number << 7) | u32::from(b & 0x7f);
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        let tag = Tag {
            class,
            constructed,
            number,
        };

        let len_byte = byte(p)?;
        p += 1;
        if first == 0 && len_byte == 0 {
            self.pos = p;
            return Ok(None);
        }
        let (value_start, value_end, end, indefinite) = if len_byte == 0x80 {
            if !constructed {
                return Err(BerError::IndefinitePrimitive(abs(start)));
            }
            // Walk children until end-of-contents to learn where this element ends.
            let mut inner = Reader::nested(&self.data[p..], abs(p), self.depth + 1)?;
            while inner.next_or_eoc()?.is_some() {}
            let eoc_end = p + inner.pos;
            (p, eoc_end - 2, eoc_end, true)
        } else {
            let len = if len_byte & 0x80 == 0 {
                usize::from(len_byte)
            } else {
                let count = usize::from(len_byte & 0x7f);
                if count > std::mem::size_of::<usize>() || count == 0x7f {
                    return Err(BerError::BadLength(abs(start)));
                }
                let mut len: usize = 0;
                for _ in 0..count {
                    len = (len << 8) | usize::from(byte(p)?);
                    p += 1;
                }
                len
            };
            let end = p.checked_add(len).ok_or(BerError::BadLength(abs(start)))?;
            if end > self.data.len() {
                return Err(BerError::Truncated(abs(self.data.len())));
            }
            (p, end, end, false)
        };
        self.pos = end;
        Ok(Some(Tlv {
            tag,
            offset: abs(start),
            raw: &self.data[start..end],
            value: &self.data[value_start..value_end],
            value_offset: abs(value_start),
            indefinite,
        }))
    }

    /// Reads the next element; an unexpected end-of-contents marker is an error.
    // Not an Iterator: every step can fail, and callers want `?` on each element.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Tlv<'a>, BerError> {
        let at = self.base + self.pos;
        self.next_or_eoc()?
            .ok_or(BerError::Invalid("unexpected end-of-contents marker"))
            .map_err(|e| match e {
                BerError::Invalid(_) => BerError::Truncated(at),
                other => other,
            })
    }

    /// Reads the next element if there is one.
    pub fn next_opt(&mut self) -> Result<Option<Tlv<'a>>, BerError> {
        if self.is_empty() {
            return Ok(None);
        }
        self.next().map(Some)
    }

    /// Looks at the tag of the next element without consuming it.
    pub fn peek_tag(&self) -> Option<Tag> {
        let mut copy = Reader {
            data: self.data,
            pos: self.pos,
            base: self.base,
            depth: self.depth,
        };
        copy.next_or_eoc().ok().flatten().map(|t| t.tag)
    }

    /// Reads the next element and checks it is the universal type `number`.
    pub fn expect_universal(
        &mut self,
        number: u32,
        name: &'static str,
    ) -> Result<Tlv<'a>, BerError> {
        let tlv = self.next()?;
        if !tlv.tag.is_universal(number) {
            return Err(BerError::UnexpectedTag {
                expected: name,
                found: tlv.tag,
                offset: tlv.offset,
            });
        }
        Ok(tlv)
    }

    /// Reads the next element if it is context-specific `[number]`.
    pub fn optional_context(&mut self, number: u32) -> Result<Option<Tlv<'a>>, BerError> {
        match self.peek_tag() {
            Some(tag) if tag.is_context(number) => self.next().map(Some),
            _ => Ok(None),
        }
    }
}

impl<'a> Tlv<'a> {
    /// Reads a single element that must fill `data` exactly (trailing bytes are returned).
    pub fn parse_prefix(data: &'a [u8]) -> Result<(Tlv<'a>, &'a [u8]), BerError> {
        let mut reader = Reader::new(data);
        let tlv = reader.next()?;
        Ok((tlv, reader.remaining()))
    }

    /// A reader over the children of a constructed element.
    pub fn children(&self) -> Result<Reader<'a>, BerError> {
        if !self.tag.constructed {
            return Err(BerError::UnexpectedTag {
                expected: "a constructed element",
                found: self.tag,
                offset: self.offset,
            });
        }
        // Depth is not tracked across `Tlv` values; the indefinite-length walk above
        // already bounded it when the element was read.
        Reader::nested(self.value, self.value_offset, 0)
    }

    /// All children, collected.
    pub fn child_list(&self) -> Result<Vec<Tlv<'a>>, BerError> {
        let mut reader = self.children()?;
        let mut out = Vec::new();
        while let Some(child) = reader.next_opt()? {
            out.push(child);
        }
        Ok(out)
    }

    /// Calls `f` with each contiguous piece of a (possibly constructed, chunked) string type.
    /// The pieces concatenated are the string's value; nothing is copied.
    pub fn for_each_chunk<E>(
        &self,
        f: &mut impl FnMut(&'a [u8]) -> Result<(), E>,
    ) -> Result<(), ChunkError<E>> {
        self.walk_chunks(f, 0)
    }

    fn walk_chunks<E>(
        &self,
        f: &mut impl FnMut(&'a [u8]) -> Result<(), E>,
        depth: usize,
    ) -> Result<(), ChunkError<E>> {
        if depth > MAX_DEPTH {
            return Err(ChunkError::Ber(BerError::TooDeep));
        }
        if !self.tag.constructed {
            return f(self.value).map_err(ChunkError::Sink);
        }
        let mut reader = self.children().map_err(ChunkError::Ber)?;
        while let Some(child) = reader.next_opt().map_err(ChunkError::Ber)? {
            if child.tag.number != self.tag.number && !child.tag.is_universal(self.tag.number) {
                // X.690 8.7.3.2: segments of a constructed string carry the universal tag
                // of the string type; for an implicitly tagged string they are OCTET STRINGs.
                if !child.tag.is_universal(tags::OCTET_STRING) {
                    return Err(ChunkError::Ber(BerError::UnexpectedTag {
                        expected: "a string segment",
                        found: child.tag,
                        offset: child.offset,
                    }));
                }
            }
            child.walk_chunks(f, depth + 1)?;
        }
        Ok(())
    }

    /// The string value as one slice when it is primitive, or concatenated (copied) when chunked.
    /// Only for small values (signatures, attribute values), never for document content.
    pub fn string_bytes(&self) -> Result<std::borrow::Cow<'a, [u8]>, BerError> {
        if !self.tag.constructed {
            return Ok(std::borrow::Cow::Borrowed(self.value));
        }
        let mut out = Vec::new();
        self.for_each_chunk::<std::convert::Infallible>(&mut |chunk| {
            out.extend_from_slice(chunk);
            Ok(())
        })
        .map_err(|e| match e {
            ChunkError::Ber(b) => b,
            ChunkError::Sink(never) => match never {},
        })?;
        Ok(std::borrow::Cow::Owned(out))
    }

    /// Decodes an OBJECT IDENTIFIER element.
    pub fn oid(&self) -> Result<const_oid::ObjectIdentifier, BerError> {
        if !self.tag.is_universal(tags::OID) || self.tag.constructed {
            return Err(BerError::UnexpectedTag {
                expected: "OBJECT IDENTIFIER",
                found: self.tag,
                offset: self.offset,
            });
        }
        const_oid::ObjectIdentifier::from_bytes(self.value)
            .map_err(|_| BerError::Invalid("malformed object identifier"))
    }

    /// Decodes a small non-negative INTEGER (versions).
    pub fn small_uint(&self) -> Result<u64, BerError> {
        if !self.tag.is_universal(tags::INTEGER) || self.value.is_empty() || self.value.len() > 8 {
            return Err(BerError::Invalid("expected a small INTEGER"));
        }
        Ok(self
            .value
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }
}

/// Error from [`Tlv::for_each_chunk`]: either the encoding or the caller's sink failed.
#[derive(Debug)]
pub enum ChunkError<E> {
    Ber(BerError),
    Sink(E),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_definite_and_indefinite() {
        // SEQUENCE (indef) { OCTET STRING (constructed, indef) { "ab", "c" } }
        let data = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x00,
            0x00,
        ];
        let (seq, rest) = Tlv::parse_prefix(&data).unwrap();
        assert!(rest.is_empty());
        assert!(seq.indefinite);
        let kids = seq.child_list().unwrap();
        assert_eq!(kids.len(), 1);
        assert_eq!(&*kids[0].string_bytes().unwrap(), b"abc");
        assert_eq!(kids[0].offset, 2);
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let data = [0x30, 0x82, 0x01, 0x00, 0x02];
        for cut in 0..data.len() {
            assert!(Tlv::parse_prefix(&data[..cut]).is_err());
        }
    }

    #[test]
    fn refuses_absurd_depth() {
        let mut data = Vec::new();
        for _ in 0..200 {
            data.extend_from_slice(&[0x30, 0x80]);
        }
        assert_eq!(Tlv::parse_prefix(&data).unwrap_err(), BerError::TooDeep);
    }

    #[test]
    fn trailing_bytes_are_returned() {
        let data = [0x04, 0x01, 0xAA, 0x00];
        let (tlv, rest) = Tlv::parse_prefix(&data).unwrap();
        assert_eq!(tlv.value, &[0xAA]);
        assert_eq!(rest, &[0x00]);
    }
}
