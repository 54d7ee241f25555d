//! Opening a file as a tree of envelope levels: transport layers, `.tsd` and `.tsr`
//! wrappers, and envelopes nested inside signed content ("matrioska").

use std::borrow::Cow;

use typed_arena::Arena;

use super::ber::{tags, ChunkError, Tlv};
use super::error::EnvelopeError;
use super::oids;
use super::signed_data::{time_stamp_resp_token, ContentInfo, SignedData, TimeStampedData};
use super::sniff::{self, Transport};

/// Deepest nesting of envelopes followed; deeper ones are reported and left as content.
pub const MAX_LEVELS: usize = 16;

/// Storage for bytes that had to be decoded or joined (base64 layers, chunked nested
/// envelopes). Owned by the caller so that every view can borrow from it.
pub type Buffers = Arena<Vec<u8>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelKind {
    /// An ordinary signed envelope.
    SignedData,
    /// An RFC 3161 time-stamp token (its content is a TSTInfo).
    TimeStampToken,
}

impl LevelKind {
    pub fn label(self) -> &'static str {
        match self {
            LevelKind::SignedData => "signed-data",
            LevelKind::TimeStampToken => "time-stamp-token",
        }
    }
}

/// Signed content: an OCTET STRING element, possibly chunked, read where it lies.
#[derive(Debug, Clone, Copy)]
pub struct Content<'a> {
    pub element: Tlv<'a>,
}

impl<'a> Content<'a> {
    /// Calls `f` with each piece of the content in order, without copying.
    pub fn for_each_chunk(&self, mut f: impl FnMut(&'a [u8])) -> Result<(), EnvelopeError> {
        // An eContent that is not an OCTET STRING (old PKCS#7 with other content types) is
        // signed over its contents octets.
        if !is_string_element(&self.element) {
            f(self.element.value);
            return Ok(());
        }
        self.element
            .for_each_chunk::<std::convert::Infallible>(&mut |chunk| {
                f(chunk);
                Ok(())
            })
            .map_err(|e| match e {
                ChunkError::Ber(b) => EnvelopeError::Ber(b),
                ChunkError::Sink(never) => match never {},
            })
    }

    pub fn len(&self) -> Result<u64, EnvelopeError> {
        let mut total = 0u64;
        self.for_each_chunk(|c| total += c.len() as u64)?;
        Ok(total)
    }

    pub fn is_empty(&self) -> Result<bool, EnvelopeError> {
        Ok(self.len()? == 0)
    }

    pub fn is_chunked(&self) -> bool {
        self.element.tag.constructed && is_string_element(&self.element)
    }

    /// The first `n` bytes (fewer if the content is shorter), for sniffing.
    pub fn prefix(&self, n: usize) -> Result<Vec<u8>, EnvelopeError> {
        let mut out = Vec::with_capacity(n);
        self.for_each_chunk(|c| {
            if out.len() < n {
                let take = (n - out.len()).min(c.len());
                out.extend_from_slice(&c[..take]);
            }
        })?;
        Ok(out)
    }

    /// The content as one slice: borrowed when it is a single piece, copied when chunked.
    pub fn contiguous(&self) -> Result<Cow<'a, [u8]>, EnvelopeError> {
        if !self.is_chunked() {
            return Ok(Cow::Borrowed(self.element.value));
        }
        let mut out = Vec::new();
        self.for_each_chunk(|c| out.extend_from_slice(c))?;
        Ok(Cow::Owned(out))
    }
}

fn is_string_element(tlv: &Tlv<'_>) -> bool {
    tlv.tag.is_universal(tags::OCTET_STRING)
}

/// One envelope in the tree.
#[derive(Debug, Clone)]
pub struct Level<'a> {
    pub index: usize,
    pub kind: LevelKind,
    /// "DER" or "BER", plus the transport when the level was base64 or PEM inside its parent.
    pub encoding: String,
    pub signed_data: SignedData<'a>,
    /// The signed content; `None` when detached.
    pub content: Option<Content<'a>>,
}

/// A time-stamp token found around the envelope rather than inside a SignerInfo.
#[derive(Debug, Clone)]
pub struct OuterToken<'a> {
    /// Where it came from: "tsd", "m7m".
    pub source: &'static str,
    /// The token's ContentInfo element.
    pub token: Tlv<'a>,
    /// The bytes its imprint may be over (the `.tsd` content as stored; the `.m7m` signed
    /// part as transmitted).
    pub covers: Vec<&'a [u8]>,
}

#[derive(Debug, Clone)]
pub struct Envelope<'a> {
    /// Outside in: transport and wrapper encodings recognised.
    pub encodings: Vec<String>,
    pub warnings: Vec<String>,
    pub levels: Vec<Level<'a>>,
    pub outer_tokens: Vec<OuterToken<'a>>,
}

impl<'a> Envelope<'a> {
    /// The innermost signed content, if attached.
    pub fn innermost_content(&self) -> Option<Content<'a>> {
        self.levels.last().and_then(|l| l.content)
    }
}

fn level_encoding(info: &ContentInfo<'_>, signed: &SignedData<'_>) -> &'static str {
    let ber = info.raw.indefinite
        || info.content.indefinite
        || signed
            .econtent
            .is_some_and(|c| c.tag.constructed || c.indefinite);
    if ber {
        "BER"
    } else {
        "DER"
    }
}

/// Reads `input` (a whole file) as an envelope tree. Decoded layers are kept in `buffers`.
pub fn open<'a>(input: &'a [u8], buffers: &'a Buffers) -> Result<Envelope<'a>, EnvelopeError> {
    let unwrapped = sniff::unwrap_transport(input)?;
    let mut encodings = Vec::new();
    let mut warnings = Vec::new();
    if unwrapped.transport != Transport::Binary {
        encodings.push(unwrapped.transport.label().to_string());
    }
    let bytes: &'a [u8] = match unwrapped.bytes {
        Cow::Borrowed(b) => b,
        Cow::Owned(v) => buffers.alloc(v).as_slice(),
    };
    let mut outer_tokens = Vec::new();
    let m7m_covers: Vec<&'a [u8]> = unwrapped
        .tokens_cover
        .into_iter()
        .map(|c| buffers.alloc(c).as_slice())
        .collect();
    for token in unwrapped.extra_tokens {
        let stored: &'a [u8] = buffers.alloc(token).as_slice();
        if let Ok((tlv, _)) = Tlv::parse_prefix(stored) {
            let token = time_stamp_resp_token(&tlv).unwrap_or(tlv);
            outer_tokens.push(OuterToken {
                source: "m7m",
                token,
                covers: m7m_covers.clone(),
            });
        }
    }

    let (top, trailing) = Tlv::parse_prefix(bytes)?;
    if !trailing.is_empty() {
        warnings.push(format!(
            "{} byte(s) after the end of the envelope were ignored",
            trailing.len()
        ));
    }

    // A bare TimeStampResp (.tsr): its token is the first level.
    let (top_info, first_kind) = if let Some(token) = time_stamp_resp_token(&top) {
        encodings.push("TimeStampResp".into());
        (ContentInfo::parse(token)?, LevelKind::TimeStampToken)
    } else {
        (ContentInfo::parse(top)?, LevelKind::SignedData)
    };

    let mut levels = Vec::new();
    let first_info = if top_info.content_type == oids::ID_CT_TIMESTAMPED_DATA {
        encodings.push("TimeStampedData".into());
        let tsd = TimeStampedData::parse(&top_info.content)?;
        let inner = tsd.content.ok_or_else(|| {
            EnvelopeError::malformed(
                "TimeStampedData",
                "the signed file is referenced, not included",
            )
        })?;
        let inner_bytes = Content { element: inner }.contiguous()?;
        let inner_bytes: &'a [u8] = match inner_bytes {
            Cow::Borrowed(b) => b,
            Cow::Owned(v) => buffers.alloc(v).as_slice(),
        };
        for token in tsd.tokens {
            outer_tokens.push(OuterToken {
                source: "tsd",
                token,
                covers: vec![inner_bytes],
            });
        }
        let transport = sniff::nested_transport(&inner_bytes[..inner_bytes.len().min(128)])
            .ok_or_else(|| {
                EnvelopeError::malformed("TimeStampedData", "its content is not a signed envelope")
            })?;
        let decoded: &'a [u8] = if transport == Transport::Binary {
            inner_bytes
        } else {
            buffers
                .alloc(sniff::decode_nested(inner_bytes, transport)?)
                .as_slice()
        };
        let (tlv, rest) = Tlv::parse_prefix(decoded)?;
        if !rest.is_empty() {
            warnings.push(format!(
                "{} byte(s) after the envelope inside the .tsd were ignored",
                rest.len()
            ));
        }
        ContentInfo::parse(tlv)?
    } else {
        top_info
    };

    if first_info.content_type != oids::ID_SIGNED_DATA {
        return Err(EnvelopeError::UnsupportedContentType(
            first_info.content_type.to_string(),
        ));
    }
    let mut signed_data = SignedData::parse(&first_info.content)?;
    let mut info = first_info;
    let mut kind = first_kind;
    let mut transport_note: Option<&'static str> = None;
    loop {
        if signed_data.econtent_type == oids::ID_CT_TST_INFO {
            kind = LevelKind::TimeStampToken;
        }
        let mut encoding = level_encoding(&info, &signed_data).to_string();
        if let Some(note) = transport_note.take() {
            encoding = format!("{note}+{encoding}");
        }
        let content = signed_data.econtent.map(|element| Content { element });
        let index = levels.len();
        levels.push(Level {
            index,
            kind,
            encoding,
            signed_data,
            content,
        });

        let Some(content) = content else { break };
        let prefix = content.prefix(128)?;
        let Some(transport) = sniff::nested_transport(&prefix) else {
            break;
        };
        if levels.len() >= MAX_LEVELS {
            warnings.push(format!(
                "envelopes nested deeper than {MAX_LEVELS} levels: the rest is treated as content"
            ));
            break;
        }
        let whole = content.contiguous()?;
        let whole: &'a [u8] = match whole {
            Cow::Borrowed(b) => b,
            Cow::Owned(v) => buffers.alloc(v).as_slice(),
        };
        let decoded: &'a [u8] = if transport == Transport::Binary {
            whole
        } else {
            match sniff::decode_nested(whole, transport) {
                Ok(v) => buffers.alloc(v).as_slice(),
                // Text that only started like base64: it is the document, not an envelope.
                Err(_) => break,
            }
        };
        // A damaged inner envelope must not hide the outer signatures: report it and
        // judge what is readable, with the inner bytes as the document.
        let parsed = Tlv::parse_prefix(decoded)
            .map_err(EnvelopeError::from)
            .and_then(|(tlv, rest)| ContentInfo::parse(tlv).map(|ci| (ci, rest)))
            .and_then(|(ci, rest)| {
                if ci.content_type != oids::ID_SIGNED_DATA {
                    return Err(EnvelopeError::UnsupportedContentType(
                        ci.content_type.to_string(),
                    ));
                }
                SignedData::parse(&ci.content).map(|sd| (ci, sd, rest))
            });
        match parsed {
            Ok((next, next_signed, rest)) => {
                if !rest.is_empty() {
                    warnings.push(format!(
                        "{} byte(s) after the envelope at level {} were ignored",
                        rest.len(),
                        levels.len()
                    ));
                }
                if transport != Transport::Binary {
                    transport_note = Some(transport.label());
                }
                info = next;
                signed_data = next_signed;
                kind = LevelKind::SignedData;
            }
            Err(e) => {
                warnings.push(format!(
                    "the content of level {} looks like a signed envelope but cannot be read ({e}); it is treated as the document",
                    levels.len() - 1
                ));
                break;
            }
        }
    }
    if levels.is_empty() {
        return Err(EnvelopeError::NotAnEnvelope("no signed data found".into()));
    }
    Ok(Envelope {
        encodings,
        warnings,
        levels,
        outer_tokens,
    })
}

/// Reads a detached RFC 3161 token or response (`.tsr`/`.tst` beside a file).
pub fn open_detached_token<'a>(input: &'a [u8]) -> Result<Tlv<'a>, EnvelopeError> {
    let (tlv, _) = Tlv::parse_prefix(input)?;
    if let Some(token) = time_stamp_resp_token(&tlv) {
        return Ok(token);
    }
    let info = ContentInfo::parse(tlv)?;
    if info.content_type != oids::ID_SIGNED_DATA {
        return Err(EnvelopeError::NotAnEnvelope(
            "not a time-stamp token".into(),
        ));
    }
    Ok(tlv)
}
