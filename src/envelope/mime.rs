//! `.m7m` files: a MIME multipart holding a `.p7m` and an RFC 3161 time-stamp response.
//! Real files declare `Content-Transfer-Encoding: binary` and then carry base64, so each
//! part's body is judged by its bytes, not by its headers.

use std::borrow::Cow;

use super::ber::Tlv;
use super::error::EnvelopeError;
use super::signed_data::time_stamp_resp_token;
use super::sniff::{decode_base64, starts_like_signed_data, Transport, Unwrapped};

/// Splits the message into part bodies (the text between boundary lines, headers removed).
fn part_bodies(message: &[u8]) -> Vec<&[u8]> {
    let mut bodies = Vec::new();
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, b) in message.iter().enumerate() {
        if *b == b'\n' {
            lines.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < message.len() {
        lines.push((start, message.len()));
    }
    let is_boundary = |(s, e): (usize, usize)| message[s..e].starts_with(b"--");
    let boundary_starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_boundary(**l))
        .map(|(i, _)| i)
        .collect();
    for pair in boundary_starts.windows(2) {
        let (first, last) = (pair[0] + 1, pair[1]);
        if first >= last {
            continue;
        }
        let part_start = lines[first].0;
        let part_end = lines[last - 1].1;
        let part = &message[part_start..part_end];
        bodies.push(strip_headers(part));
    }
    bodies
}

fn strip_headers(part: &[u8]) -> &[u8] {
    for (i, w) in part.windows(2).enumerate() {
        if w == b"\n\n" {
            return &part[i + 2..];
        }
        if w == b"\n\r" && part.get(i + 2) == Some(&b'\n') {
            return &part[i + 3..];
        }
    }
    part
}

fn decode_body(body: &[u8]) -> Option<Vec<u8>> {
    let trimmed: &[u8] = {
        let skip = body.iter().take_while(|b| b.is_ascii_whitespace()).count();
        &body[skip..]
    };
    if trimmed.first() == Some(&0x30) {
        // Truly binary part: take the one element it holds.
        return Tlv::parse_prefix(trimmed).ok().map(|(t, _)| t.raw.to_vec());
    }
    decode_base64(trimmed).ok()
}

pub fn unwrap_mime(message: &[u8]) -> Result<Unwrapped<'static>, EnvelopeError> {
    let mut envelope = None;
    let mut tokens = Vec::new();
    let mut tokens_cover = Vec::new();
    for body in part_bodies(message) {
        let Some(bytes) = decode_body(body) else {
            continue;
        };
        let Ok((tlv, _)) = Tlv::parse_prefix(&bytes) else {
            continue;
        };
        if time_stamp_resp_token(&tlv).is_some() {
            tokens.push(bytes);
        } else if starts_like_signed_data(&bytes) && envelope.is_none() {
            envelope = Some(bytes);
            tokens_cover = transmitted_body(body);
        }
    }
    let bytes = envelope.ok_or(EnvelopeError::MimeWithoutEnvelope)?;
    Ok(Unwrapped {
        bytes: Cow::Owned(bytes),
        transport: Transport::Mime,
        extra_tokens: tokens,
        tokens_cover,
    })
}

/// The part body as transmitted: RFC 2046 gives the line break before a boundary to the
/// boundary; writers disagree, so both readings are offered (and the trimmed text).
fn transmitted_body(body: &[u8]) -> Vec<Vec<u8>> {
    let without_break = body
        .strip_suffix(b"\r\n")
        .or_else(|| body.strip_suffix(b"\n"))
        .unwrap_or(body);
    let trimmed = body
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(&body[..0], |last| &body[..=last]);
    let mut out = vec![without_break.to_vec()];
    for candidate in [body, trimmed] {
        if !out.iter().any(|o| o.as_slice() == candidate) {
            out.push(candidate.to_vec());
        }
    }
    out
}
