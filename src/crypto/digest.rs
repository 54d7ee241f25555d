//! Incremental hashing with any supported digest algorithm, so content is hashed in place,
//! chunk by chunk.

use digest::Digest;

use super::algorithms::DigestAlgorithm;

enum State {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
    Sha3_224(sha3::Sha3_224),
    Sha3_256(sha3::Sha3_256),
    Sha3_384(sha3::Sha3_384),
    Sha3_512(sha3::Sha3_512),
}

pub struct Hasher(State);

impl Hasher {
    pub fn new(alg: DigestAlgorithm) -> Self {
        Hasher(match alg {
            DigestAlgorithm::Md5 => State::Md5(md5::Md5::new()),
            DigestAlgorithm::Sha1 => State::Sha1(sha1::Sha1::new()),
            DigestAlgorithm::Sha224 => State::Sha224(sha2::Sha224::new()),
            DigestAlgorithm::Sha256 => State::Sha256(sha2::Sha256::new()),
            DigestAlgorithm::Sha384 => State::Sha384(sha2::Sha384::new()),
            DigestAlgorithm::Sha512 => State::Sha512(sha2::Sha512::new()),
            DigestAlgorithm::Sha3_224 => State::Sha3_224(sha3::Sha3_224::new()),
            DigestAlgorithm::Sha3_256 => State::Sha3_256(sha3::Sha3_256::new()),
            DigestAlgorithm::Sha3_384 => State::Sha3_384(sha3::Sha3_384::new()),
            DigestAlgorithm::Sha3_512 => State::Sha3_512(sha3::Sha3_512::new()),
        })
    }

    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            State::Md5(h) => h.update(data),
            State::Sha1(h) => h.update(data),
            State::Sha224(h) => h.update(data),
            State::Sha256(h) => h.update(data),
            State::Sha384(h) => h.update(data),
            State::Sha512(h) => h.update(data),
            State::Sha3_224(h) => h.update(data),
            State::Sha3_256(h) => h.update(data),
            State::Sha3_384(h) => h.update(data),
            State::Sha3_512(h) => h.update(data),
        }
    }

    pub fn finalize(self) -> Vec<u8> {
        match self.0 {
            State::Md5(h) => h.finalize().to_vec(),
            State::Sha1(h) => h.finalize().to_vec(),
            State::Sha224(h) => h.finalize().to_vec(),
            State::Sha256(h) => h.finalize().to_vec(),
            State::Sha384(h) => h.finalize().to_vec(),
            State::Sha512(h) => h.finalize().to_vec(),
            State::Sha3_224(h) => h.finalize().to_vec(),
            State::Sha3_256(h) => h.finalize().to_vec(),
            State::Sha3_384(h) => h.finalize().to_vec(),
            State::Sha3_512(h) => h.finalize().to_vec(),
        }
    }
}

pub fn digest(alg: DigestAlgorithm, data: &[u8]) -> Vec<u8> {
    let mut h = Hasher::new(alg);
    h.update(data);
    h.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        // FIPS 180 / 202 and RFC 1321 test vectors for "abc".
        let abc = |alg| hex::encode(digest(alg, b"abc"));
        assert_eq!(
            abc(DigestAlgorithm::Md5),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(
            abc(DigestAlgorithm::Sha1),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            abc(DigestAlgorithm::Sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            abc(DigestAlgorithm::Sha3_256),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"
        );
        let mut chunked = Hasher::new(DigestAlgorithm::Sha512);
        chunked.update(b"a");
        chunked.update(b"bc");
        assert_eq!(chunked.finalize(), digest(DigestAlgorithm::Sha512, b"abc"));
        use DigestAlgorithm::*;
        for alg in [
            Md5, Sha1, Sha224, Sha256, Sha384, Sha512, Sha3_224, Sha3_256, Sha3_384, Sha3_512,
        ] {
            assert_eq!(digest(alg, b"").len(), alg.output_len());
        }
    }
}
