"""Independent checks of the envelopes the signing tests make.

pyHanko validates the (single) signer of each envelope against the test root: integrity,
signature value, signing-certificate-v2 and the trust path. Countersignatures, which pyHanko
ignores, are checked here with asn1crypto and cryptography: signature over the DER signed
attributes, message-digest equal to the digest of the parent's signature value.

Usage: python pyhanko_check.py ROOT.pem FILE.p7m [FILE.p7m ...]
"""

import asyncio
import hashlib
import sys

from asn1crypto import cms, pem, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign.validation.generic_cms import async_validate_cms_signature
from pyhanko_certvalidator import ValidationContext


def load_root(path):
    data = open(path, "rb").read()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def check_countersignatures(signed_data, name):
    certs = [c.chosen for c in signed_data["certificates"]]
    count = 0
    for si in signed_data["signer_infos"]:
        for attr in si["unsigned_attrs"] or []:
            if attr["type"].native != "counter_signature":
                continue
            for cs in attr["values"]:
                count += 1
                sid = cs["sid"].chosen
                cert = next(
                    c
                    for c in certs
                    if c.issuer == sid["issuer"] and c.serial_number == sid["serial_number"].native
                )
                attrs = cs["signed_attrs"]
                types = [a["type"].native for a in attrs]
                assert "content_type" not in types, f"{name}: content-type in a countersignature"
                digest = next(a for a in attrs if a["type"].native == "message_digest")["values"][0].native
                parent = si["signature"].native
                assert digest == hashlib.sha256(parent).digest(), f"{name}: countersignature digest"
                signed = attrs.untag().dump(force=True)
                key = cx509.load_der_x509_certificate(cert.dump()).public_key()
                sig = cs["signature"].native
                if isinstance(key, rsa.RSAPublicKey):
                    key.verify(sig, signed, padding.PKCS1v15(), hashes.SHA256())
                else:
                    key.verify(sig, signed, ec.ECDSA(hashes.SHA256()))
    return count


async def main():
    root = load_root(sys.argv[1])
    for name in sys.argv[2:]:
        info = cms.ContentInfo.load(open(name, "rb").read())
        signed_data = info["content"]
        context = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")
        status = await async_validate_cms_signature(signed_data, validation_context=context)
        if not (status.intact and status.valid and status.trusted):
            print(f"{name}: pyHanko: intact={status.intact} valid={status.valid} trusted={status.trusted}")
            sys.exit(1)
        counters = check_countersignatures(signed_data, name)
        print(f"{name}: pyHanko OK ({status.pkcs7_signature_mechanism}), countersignatures checked: {counters}")


asyncio.run(main())
