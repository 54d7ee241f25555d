//! A tiny DER tree, independent of the crate's reader, to edit envelopes made by openssl:
//! add countersignatures, reorder attributes, rewrite an algorithm.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub tag: u8,
    /// Contents of a primitive element.
    pub value: Vec<u8>,
    /// Children of a constructed element.
    pub children: Vec<Node>,
}

impl Node {
    pub fn constructed(&self) -> bool {
        self.tag & 0x20 != 0
    }

    pub fn primitive(tag: u8, value: &[u8]) -> Node {
        Node {
            tag,
            value: value.to_vec(),
            children: Vec::new(),
        }
    }

    pub fn seq(tag: u8, children: Vec<Node>) -> Node {
        Node {
            tag,
            value: Vec::new(),
            children,
        }
    }

    /// Parses one DER element (definite lengths, one-byte tags: all the envelope uses).
    pub fn parse(data: &[u8]) -> (Node, usize) {
        let tag = data[0];
        let (len, header) = match data[1] {
            l if l < 0x80 => (l as usize, 2),
            l => {
                let n = (l & 0x7f) as usize;
                assert!(n > 0, "indefinite length in a DER fixture");
                let len = data[2..2 + n]
                    .iter()
                    .fold(0usize, |a, b| (a << 8) | *b as usize);
                (len, 2 + n)
            }
        };
        let body = &data[header..header + len];
        let node = if tag & 0x20 != 0 {
            let mut children = Vec::new();
            let mut at = 0;
            while at < body.len() {
                let (child, used) = Node::parse(&body[at..]);
                children.push(child);
                at += used;
            }
            Node::seq(tag, children)
        } else {
            Node::primitive(tag, body)
        };
        (node, header + len)
    }

    pub fn encode(&self) -> Vec<u8> {
        let body: Vec<u8> = if self.constructed() {
            self.children.iter().flat_map(Node::encode).collect()
        } else {
            self.value.clone()
        };
        let mut out = vec![self.tag];
        if body.len() < 0x80 {
            out.push(body.len() as u8);
        } else {
            let bytes = body.len().to_be_bytes();
            let skip = bytes.iter().take_while(|b| **b == 0).count();
            out.push(0x80 | (bytes.len() - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
        out.extend_from_slice(&body);
        out
    }

    /// The child with the given tag, after `skip` earlier ones with that tag.
    pub fn find(&self, tag: u8) -> Option<usize> {
        self.children.iter().position(|c| c.tag == tag)
    }
}

pub fn oid(dotted: &str) -> Node {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().expect("arc")).collect();
    let mut value = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for arc in &arcs[2..] {
        let mut chunk = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            chunk.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        chunk.reverse();
        value.extend(chunk);
    }
    Node::primitive(0x06, &value)
}

/// Paths into a SignedData envelope made by openssl (DER).
pub struct Envelope {
    pub root: Node,
}

impl Envelope {
    pub fn parse(der: &[u8]) -> Envelope {
        Envelope {
            root: Node::parse(der).0,
        }
    }

    pub fn signed_data(&mut self) -> &mut Node {
        &mut self.root.children[1].children[0]
    }

    pub fn signer_infos(&mut self) -> &mut Node {
        let sd = self.signed_data();
        let last = sd.children.len() - 1;
        &mut sd.children[last]
    }

    pub fn add_certificate(&mut self, cert_der: &[u8]) {
        let sd = self.signed_data();
        let certs = sd.find(0xA0).expect("certificates");
        sd.children[certs].children.push(Node::parse(cert_der).0);
    }
}

/// SignerInfo field positions (version, sid, digestAlgorithm, [0] signedAttrs, sigAlg, sig).
pub const SIGNED_ATTRS: usize = 3;
pub const SIGNATURE_ALGORITHM: usize = 4;
pub const SIGNATURE: usize = 5;
