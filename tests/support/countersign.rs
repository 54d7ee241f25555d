//! Countersignatures (RFC 5652 §11.4), which openssl's CLI cannot make: a SignerInfo over
//! the parent's signature value octets, signed with `openssl dgst -sign`.

use sha2::{Digest, Sha256};

use super::der_edit::{oid, Node, SIGNATURE};
use super::pki::{openssl, Pki, Signer};

const COUNTERSIGNATURE: &str = "1.2.840.113549.1.9.6";

/// issuerAndSerialNumber of a certificate.
fn issuer_and_serial(cert_der: &[u8]) -> Node {
    let (cert, _) = Node::parse(cert_der);
    let tbs = &cert.children[0];
    // TBSCertificate: [0] version, serialNumber, signature, issuer, ...
    let offset = usize::from(tbs.children[0].tag == 0xA0);
    let serial = tbs.children[offset].clone();
    let issuer = tbs.children[offset + 2].clone();
    Node::seq(0x30, vec![issuer, serial])
}

/// A countersignature SignerInfo by `signer` over `parent_signature`.
pub fn countersignature(pki: &Pki, signer: &Signer, parent_signature: &[u8], tag: &str) -> Node {
    let digest = Sha256::digest(parent_signature);
    let signing_time = Node::seq(
        0x30,
        vec![
            oid("1.2.840.113549.1.9.5"),
            Node::seq(0x31, vec![Node::primitive(0x17, b"260101120000Z")]),
        ],
    );
    let message_digest = Node::seq(
        0x30,
        vec![
            oid("1.2.840.113549.1.9.4"),
            Node::seq(0x31, vec![Node::primitive(0x04, &digest)]),
        ],
    );
    // DER SET OF order: by encoding; both start 30 .. 06 09 2A 86 48 86 F7 0D 01 09 0x.
    let mut attrs = vec![signing_time, message_digest];
    attrs.sort_by_key(Node::encode);
    let signed_attrs_set = Node::seq(0x31, attrs.clone());
    let to_sign = pki.dir.join(format!("{tag}.attrs.der"));
    std::fs::write(&to_sign, signed_attrs_set.encode()).expect("write attrs");
    let signature = openssl(
        &pki.dir,
        &[
            "dgst",
            "-sha256",
            "-sign",
            signer.key.to_str().unwrap_or_default(),
            to_sign.to_str().unwrap_or_default(),
        ],
    );
    let sha256 = Node::seq(0x30, vec![oid("2.16.840.1.101.3.4.2.1")]);
    let sha256_rsa = Node::seq(
        0x30,
        vec![oid("1.2.840.113549.1.1.11"), Node::primitive(0x05, &[])],
    );
    Node::seq(
        0x30,
        vec![
            Node::primitive(0x02, &[1]),
            issuer_and_serial(&pki.cert_der(signer)),
            sha256,
            Node::seq(0xA0, attrs),
            sha256_rsa,
            Node::primitive(0x04, &signature),
        ],
    )
}

/// Adds `counter` to the unsigned attributes of `signer_info`.
pub fn attach(signer_info: &mut Node, counter: Node) {
    let attr = Node::seq(
        0x30,
        vec![oid(COUNTERSIGNATURE), Node::seq(0x31, vec![counter])],
    );
    match signer_info.find(0xA1) {
        Some(i) => signer_info.children[i].children.push(attr),
        None => signer_info.children.push(Node::seq(0xA1, vec![attr])),
    }
}

/// The signature value octets of a SignerInfo.
pub fn signature_of(signer_info: &Node) -> Vec<u8> {
    signer_info.children[SIGNATURE].value.clone()
}
