//! SPDY/3.1 framing, as far as Kubernetes' streams use it (`k8s.io/apimachinery`'s
//! `httpstream/spdy`, on moby's spdystream): what a real kubectl's `port-forward` speaks after
//! the upgrade. Frames are read and written whole; stream state is the caller's.
//!
//! Header blocks are zlib streams with the SPDY/3 dictionary, one stream per direction for
//! the connection's whole life. The client's are inflated with the dictionary preloaded;
//! ours are written as stored (uncompressed) deflate blocks, which every inflater reads and
//! which need no compressor.

use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use std::io::{self, Read, Write};

/// The zlib dictionary of SPDY/3's header compression (draft 3, section 2.6.10.1).
const DICTIONARY: &[u8] = include_bytes!("../data/spdy3-header-dictionary.bin");

/// The largest frame read, far above what kubectl sends in one.
pub const MAX_FRAME: usize = 1 << 20;
/// The most header bytes one connection may inflate to (it only ever names a few streams).
const MAX_HEADER_BYTES: usize = 1 << 20;

pub const SYN_STREAM: u16 = 1;
pub const SYN_REPLY: u16 = 2;
pub const RST_STREAM: u16 = 3;
pub const PING: u16 = 6;
pub const GOAWAY: u16 = 7;
/// FLAG_FIN, on control and data frames alike: the sender is done with the stream.
pub const FIN: u8 = 0x01;

/// One frame off the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Control {
        kind: u16,
        flags: u8,
        payload: Vec<u8>,
    },
    Data {
        stream: u32,
        flags: u8,
        payload: Vec<u8>,
    },
}

pub fn read_frame(input: &mut impl Read) -> io::Result<Frame> {
    let mut head = [0u8; 8];
    input.read_exact(&mut head)?;
    let first = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
    let flags = head[4];
    let length = u32::from_be_bytes([0, head[5], head[6], head[7]]) as usize;
    if length > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "SPDY frame too large",
        ));
    }
    let mut payload = vec![0; length];
    input.read_exact(&mut payload)?;
    Ok(if first & 0x8000_0000 != 0 {
        Frame::Control {
            kind: (first & 0xffff) as u16,
            flags,
            payload,
        }
    } else {
        Frame::Data {
            stream: first & 0x7fff_ffff,
            flags,
            payload,
        }
    })
}

/// The big-endian word at `at`, if the payload has it.
pub fn word(payload: &[u8], at: usize) -> Option<u32> {
    let bytes = payload.get(at..at + 4)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

fn control(out: &mut impl Write, kind: u16, flags: u8, payload: &[u8]) -> io::Result<()> {
    let mut frame = Vec::with_capacity(8 + payload.len());
    frame.extend_from_slice(&(0x8000u16 | 3).to_be_bytes());
    frame.extend_from_slice(&kind.to_be_bytes());
    frame.push(flags);
    frame.extend_from_slice(&(payload.len() as u32).to_be_bytes()[1..]);
    frame.extend_from_slice(payload);
    out.write_all(&frame)
}

pub fn write_data(out: &mut impl Write, stream: u32, flags: u8, data: &[u8]) -> io::Result<()> {
    let mut frame = Vec::with_capacity(8 + data.len());
    frame.extend_from_slice(&(stream & 0x7fff_ffff).to_be_bytes());
    frame.push(flags);
    frame.extend_from_slice(&(data.len() as u32).to_be_bytes()[1..]);
    frame.extend_from_slice(data);
    out.write_all(&frame)
}

/// A PING answered with its own id.
pub fn write_ping(out: &mut impl Write, id: u32) -> io::Result<()> {
    control(out, PING, 0, &id.to_be_bytes())
}

/// GOAWAY with status OK: the server is done with the connection.
pub fn write_goaway(out: &mut impl Write, last_stream: u32) -> io::Result<()> {
    let mut payload = last_stream.to_be_bytes().to_vec();
    payload.extend_from_slice(&0u32.to_be_bytes());
    control(out, GOAWAY, 0, &payload)
}

/// The two directions' header compression.
pub struct Headers {
    inflater: Box<DecompressorOxide>,
    /// The dictionary, then everything inflated so far: back references reach into both.
    inflated: Vec<u8>,
    /// The client's zlib header (2 bytes, and 4 of dictionary id) is not read yet.
    fresh_in: bool,
    /// Our zlib header is not written yet.
    fresh_out: bool,
}

impl Default for Headers {
    fn default() -> Self {
        Headers {
            inflater: Box::default(),
            inflated: DICTIONARY.to_vec(),
            fresh_in: true,
            fresh_out: true,
        }
    }
}

impl Headers {
    /// The name/value pairs of a compressed header block, names lower case as SPDY has them;
    /// `None` if it is not one.
    pub fn read(&mut self, mut block: &[u8]) -> Option<Vec<(String, String)>> {
        if self.fresh_in {
            let (&cmf, &flg) = (block.first()?, block.get(1)?);
            if cmf & 0x0f != 8 || (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 {
                return None;
            }
            block = &block[if flg & 0x20 != 0 { 6 } else { 2 }..];
            self.fresh_in = false;
        }
        let start = self.inflated.len();
        loop {
            let at = self.inflated.len();
            self.inflated.resize(at + 4096, 0);
            let flags = inflate_flags::TINFL_FLAG_HAS_MORE_INPUT
                | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
            let (status, read, written) =
                decompress(&mut self.inflater, block, &mut self.inflated, at, flags);
            self.inflated.truncate(at + written);
            block = &block[read..];
            match status {
                TINFLStatus::NeedsMoreInput if block.is_empty() => break,
                TINFLStatus::HasMoreOutput | TINFLStatus::NeedsMoreInput => {}
                _ => return None,
            }
            if self.inflated.len() > DICTIONARY.len() + MAX_HEADER_BYTES {
                return None;
            }
        }
        parse_pairs(&self.inflated[start..])
    }

    /// A header block for `pairs`, compressed (stored) in this direction's stream.
    pub fn write(&mut self, pairs: &[(&str, &str)]) -> Vec<u8> {
        let mut plain = (pairs.len() as u32).to_be_bytes().to_vec();
        for (name, value) in pairs {
            for text in [name, value] {
                plain.extend_from_slice(&(text.len() as u32).to_be_bytes());
                plain.extend_from_slice(text.as_bytes());
            }
        }
        let mut block = Vec::new();
        if self.fresh_out {
            // CMF 0x78 (deflate, 32 KiB window), FLG 0x01: no dictionary id, check bits.
            block.extend_from_slice(&[0x78, 0x01]);
            self.fresh_out = false;
        }
        for chunk in plain.chunks(0xffff) {
            // A stored block that is not the last: the stream goes on with the next frame.
            let len = chunk.len() as u16;
            block.push(0);
            block.extend_from_slice(&len.to_le_bytes());
            block.extend_from_slice(&(!len).to_le_bytes());
            block.extend_from_slice(chunk);
        }
        // And an empty one, as a zlib sync flush ends: Go's inflater hands over what it has
        // only when it reaches a block boundary it need not read past.
        block.extend_from_slice(&[0, 0, 0, 0xff, 0xff]);
        block
    }
}

fn parse_pairs(plain: &[u8]) -> Option<Vec<(String, String)>> {
    let count = word(plain, 0)? as usize;
    let mut at = 4;
    let mut text = || {
        let length = word(plain, at)? as usize;
        let bytes = plain.get(at + 4..(at + 4).checked_add(length)?)?;
        at += 4 + length;
        Some(String::from_utf8_lossy(bytes).into_owned())
    };
    let mut pairs = Vec::new();
    for _ in 0..count.min(256) {
        let name = text()?.to_ascii_lowercase();
        pairs.push((name, text()?));
    }
    Some(pairs)
}

/// SYN_REPLY with no headers: the stream is accepted.
pub fn write_syn_reply(out: &mut impl Write, headers: &mut Headers, stream: u32) -> io::Result<()> {
    let mut payload = stream.to_be_bytes().to_vec();
    payload.extend_from_slice(&headers.write(&[]));
    control(out, SYN_REPLY, 0, &payload)
}

/// RST_STREAM with status REFUSED_STREAM (3).
pub fn write_refused(out: &mut impl Write, stream: u32) -> io::Result<()> {
    let mut payload = stream.to_be_bytes().to_vec();
    payload.extend_from_slice(&3u32.to_be_bytes());
    control(out, RST_STREAM, 0, &payload)
}

/// SYN_STREAM: what a client opens a stream with (the server opens none; tests play kubectl).
pub fn write_syn_stream(
    out: &mut impl Write,
    headers: &mut Headers,
    stream: u32,
    pairs: &[(&str, &str)],
) -> io::Result<()> {
    let mut payload = stream.to_be_bytes().to_vec();
    // No associated stream, priority 0, slot 0.
    payload.extend_from_slice(&[0; 6]);
    payload.extend_from_slice(&headers.write(pairs));
    control(out, SYN_STREAM, 0, &payload)
}

/// A SYN_STREAM's stream id and headers.
pub fn syn_stream(headers: &mut Headers, payload: &[u8]) -> Option<(u32, Vec<(String, String)>)> {
    let stream = word(payload, 0)? & 0x7fff_ffff;
    // Stream id, associated stream id, priority and slot: 10 bytes before the header block.
    let pairs = headers.read(payload.get(10..)?)?;
    Some((stream, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_is_spdy3s() {
        // Adler-32 of the dictionary, as zlib headers name it.
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in DICTIONARY {
            a = (a + u32::from(byte)) % 65521;
            b = (b + a) % 65521;
        }
        assert_eq!(b << 16 | a, 0xe3c6_a7c2);
    }

    #[test]
    fn header_blocks_written_are_read_back_across_frames() {
        let (mut ours, mut theirs) = (Headers::default(), Headers::default());
        let first = ours.write(&[("streamtype", "error"), ("port", "80")]);
        let second = ours.write(&[("streamtype", "data"), ("requestid", "0")]);
        assert_eq!(
            theirs.read(&first).unwrap(),
            [
                ("streamtype".into(), "error".into()),
                ("port".into(), "80".into())
            ]
        );
        assert_eq!(
            theirs.read(&second).unwrap()[1],
            ("requestid".into(), "0".into())
        );
    }

    /// Two header blocks as Go's zlib writer (and zlib's own) compress them: with the
    /// dictionary, and the second reusing the first's strings.
    #[test]
    fn compressed_header_blocks_are_inflated() {
        let hex = |text: &str| -> Vec<u8> {
            (0..text.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
                .collect()
        };
        let mut headers = Headers::default();
        let first = headers.read(&hex("78f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45a024cc64610024398b209198094adc8c0600000000ffff"));
        assert_eq!(
            first.unwrap(),
            [
                ("streamtype".into(), "error".into()),
                ("port".into(), "80".into()),
                ("requestid".into(), "0".into())
            ]
        );
        let second = headers.read(&hex("c2aa15540a2512d209000000ffff")).unwrap();
        assert_eq!(second[0], ("streamtype".into(), "data".into()));
    }

    #[test]
    fn garbage_is_no_header_block() {
        let mut headers = Headers::default();
        assert_eq!(headers.read(&[]), None);
        assert_eq!(headers.read(&[0x78, 0x01, 0xff, 0xff, 0xff]), None);
        let mut headers = Headers::default();
        assert_eq!(headers.read(&[1, 2, 3]), None);
    }

    #[test]
    fn frames_round_trip_and_huge_ones_are_refused() {
        let mut wire = Vec::new();
        write_data(&mut wire, 3, FIN, b"hello").unwrap();
        write_ping(&mut wire, 7).unwrap();
        let mut input = &wire[..];
        assert_eq!(
            read_frame(&mut input).unwrap(),
            Frame::Data {
                stream: 3,
                flags: FIN,
                payload: b"hello".to_vec()
            }
        );
        assert_eq!(
            read_frame(&mut input).unwrap(),
            Frame::Control {
                kind: PING,
                flags: 0,
                payload: 7u32.to_be_bytes().to_vec()
            }
        );
        let huge = [0, 0, 0, 1, 0, 0xff, 0xff, 0xff];
        assert!(read_frame(&mut &huge[..]).is_err());
    }
}
