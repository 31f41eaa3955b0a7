//! Just enough WebSocket (RFC 6455) for kubectl's remote commands: the opening handshake's
//! `Sec-WebSocket-Accept`, frames read from the client (masked, bounded) and written to it
//! (unmasked, binary), and the closing handshake. Channel framing (`v5.channel.k8s.io`: the
//! first payload byte names the stream) is [`write_channel`]'s.

use std::io::{self, Read, Write};

/// The GUID RFC 6455 appends to the client's key.
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

pub const OP_CONTINUATION: u8 = 0x0;
pub const OP_TEXT: u8 = 0x1;
pub const OP_BINARY: u8 = 0x2;
pub const OP_CLOSE: u8 = 0x8;
pub const OP_PING: u8 = 0x9;
pub const OP_PONG: u8 = 0xA;

/// Close status 1000: the exchange is over.
pub const CLOSE_NORMAL: u16 = 1000;

/// The largest frame the server reads from a client (stdin arrives in frames of 32 KiB).
pub const MAX_FRAME: usize = 1024 * 1024;

/// The largest data frame the server writes: long output goes as several messages, each
/// with its channel byte.
const MAX_WRITE: usize = 32 * 1024;

/// One frame as read off the connection, unmasked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub fin: bool,
    pub opcode: u8,
    pub payload: Vec<u8>,
}

/// `Sec-WebSocket-Accept` for the client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> String {
    let mut text = key.trim().as_bytes().to_vec();
    text.extend_from_slice(GUID.as_bytes());
    base64(&sha1(&text))
}

/// The `101 Switching Protocols` head that accepts the upgrade with `protocol`.
pub fn handshake_head(key: &str, protocol: &str) -> String {
    format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n",
        accept_key(key)
    )
}

/// Writes one whole (FIN) unmasked frame, as a server does.
pub fn write_frame(out: &mut impl Write, opcode: u8, payload: &[u8]) -> io::Result<()> {
    let mut head = vec![0x80 | (opcode & 0x0F)];
    match payload.len() {
        n @ 0..=125 => head.push(n as u8),
        n @ 126..=0xFFFF => {
            head.push(126);
            head.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            head.push(127);
            head.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.write_all(&head)?;
    out.write_all(payload)
}

/// Writes `data` on remote-command channel `channel` (1 stdout, 2 stderr, 3 the status), as
/// binary messages whose first byte is the channel; nothing for empty data.
pub fn write_channel(out: &mut impl Write, channel: u8, data: &[u8]) -> io::Result<()> {
    for piece in data.chunks(MAX_WRITE) {
        let mut payload = Vec::with_capacity(piece.len() + 1);
        payload.push(channel);
        payload.extend_from_slice(piece);
        write_frame(out, OP_BINARY, &payload)?;
    }
    out.flush()
}

/// A close frame with `code`.
pub fn write_close(out: &mut impl Write, code: u16) -> io::Result<()> {
    write_frame(out, OP_CLOSE, &code.to_be_bytes())?;
    out.flush()
}

/// Reads one frame from a client. Client frames must be masked (RFC 6455 §5.1); a frame over
/// [`MAX_FRAME`], or a control frame over 125 bytes or fragmented, is an `InvalidData` error.
pub fn read_frame(input: &mut impl Read) -> io::Result<Frame> {
    let invalid = |why: &str| io::Error::new(io::ErrorKind::InvalidData, why.to_string());
    let mut head = [0u8; 2];
    input.read_exact(&mut head)?;
    let fin = head[0] & 0x80 != 0;
    let opcode = head[0] & 0x0F;
    if head[1] & 0x80 == 0 {
        return Err(invalid("client frames must be masked"));
    }
    let length = match head[1] & 0x7F {
        126 => {
            let mut bytes = [0u8; 2];
            input.read_exact(&mut bytes)?;
            u64::from(u16::from_be_bytes(bytes))
        }
        127 => {
            let mut bytes = [0u8; 8];
            input.read_exact(&mut bytes)?;
            u64::from_be_bytes(bytes)
        }
        n => u64::from(n),
    };
    if length > MAX_FRAME as u64 {
        return Err(invalid("frame too large"));
    }
    if opcode >= OP_CLOSE && (length > 125 || !fin) {
        return Err(invalid("bad control frame"));
    }
    let mut mask = [0u8; 4];
    input.read_exact(&mut mask)?;
    let mut payload = vec![0u8; length as usize];
    input.read_exact(&mut payload)?;
    for (i, byte) in payload.iter_mut().enumerate() {
        *byte ^= mask[i % 4];
    }
    Ok(Frame {
        fin,
        opcode,
        payload,
    })
}

/// SHA-1 (FIPS 180-4), which the handshake needs and nothing else here does.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (t, word) in block.chunks_exact(4).enumerate() {
            w[t] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for t in 16..80 {
            w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (t, wt) in w.iter().enumerate() {
            let (f, k) = match t / 20 {
                0 => ((b & c) | (!b & d), 0x5A82_7999),
                1 => (b ^ c ^ d, 0x6ED9_EBA1),
                2 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let next = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wt);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = next;
        }
        for (state, value) in h.iter_mut().zip([a, b, c, d, e]) {
            *state = state.wrapping_add(value);
        }
    }
    let mut digest = [0u8; 20];
    for (out, word) in digest.chunks_exact_mut(4).zip(h) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// Standard base64 with `=` padding (RFC 4648 §4), as the accept key is written.
pub fn base64(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group[0],
            *group.get(1).unwrap_or(&0),
            *group.get(2).unwrap_or(&0),
        ];
        let sextets = [
            b[0] >> 2,
            (b[0] & 3) << 4 | b[1] >> 4,
            (b[1] & 15) << 2 | b[2] >> 6,
            b[2] & 63,
        ];
        for (i, sextet) in sextets.iter().enumerate() {
            text.push(if i <= group.len() {
                DIGITS[*sextet as usize] as char
            } else {
                '='
            });
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha1_matches_the_standards_examples() {
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(&sha1(&[b'a'; 1000])),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba"
        );
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    /// A client's frame: FIN, masked with `mask`.
    fn client_frame(opcode: u8, payload: &[u8], mask: [u8; 4]) -> Vec<u8> {
        let mut frame = vec![0x80 | opcode];
        match payload.len() {
            n @ 0..=125 => frame.push(0x80 | n as u8),
            n => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
        }
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        frame
    }

    #[test]
    fn client_frames_are_unmasked_and_must_be_masked() {
        let mut wire = client_frame(OP_BINARY, b"\x00echo hi\n", [1, 2, 3, 4]);
        wire.extend(client_frame(OP_PING, b"", [9, 9, 9, 9]));
        let long = vec![7u8; 300];
        wire.extend(client_frame(OP_BINARY, &long, [0xff, 0, 0xff, 0]));
        let mut input = wire.as_slice();
        let frame = read_frame(&mut input).expect("frame");
        assert_eq!((frame.fin, frame.opcode), (true, OP_BINARY));
        assert_eq!(frame.payload, b"\x00echo hi\n");
        assert_eq!(read_frame(&mut input).expect("ping").opcode, OP_PING);
        assert_eq!(read_frame(&mut input).expect("long").payload, long);
        assert!(read_frame(&mut input).is_err(), "nothing left");

        // Unmasked, or a control frame over 125 bytes, or over the limit: refused.
        let mut unmasked: &[u8] = &[0x82, 0x01, 0x01];
        assert!(read_frame(&mut unmasked).is_err());
        let mut big_ping: &[u8] = &[0x89, 0x80 | 126, 0x00, 0xC8, 0, 0, 0, 0];
        assert!(read_frame(&mut big_ping).is_err());
        let mut huge: &[u8] = &[0x82, 0x80 | 127, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        assert!(read_frame(&mut huge).is_err());
    }

    #[test]
    fn server_frames_carry_the_channel_and_their_length() {
        let mut out = Vec::new();
        write_channel(&mut out, 1, b"hello").expect("write");
        assert_eq!(out, b"\x82\x06\x01hello");
        out.clear();
        write_channel(&mut out, 2, b"").expect("write");
        assert!(out.is_empty(), "no frame for no data");
        let data = vec![b'x'; 200];
        write_channel(&mut out, 2, &data).expect("write");
        assert_eq!(&out[..5], &[0x82, 126, 0, 201, 2]);
        out.clear();
        // Long output: 32 KiB messages, each with its channel byte.
        let data = vec![b'y'; MAX_WRITE + 10];
        write_channel(&mut out, 1, &data).expect("write");
        assert_eq!(&out[..5], &[0x82, 126, 0x80, 0x01, 1]);
        assert_eq!(out.len(), 4 + 1 + MAX_WRITE + 2 + 1 + 10);
        out.clear();
        write_frame(&mut out, OP_BINARY, &vec![0; 70_000]).expect("write");
        assert_eq!(&out[..10], &[0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]);
        out.clear();
        write_close(&mut out, CLOSE_NORMAL).expect("close");
        assert_eq!(out, [0x88, 2, 0x03, 0xE8]);
    }

    #[test]
    fn the_rfc_handshake_example() {
        // RFC 6455 §1.3.
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }
}
