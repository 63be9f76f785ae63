"""The registry's seal (R-PDF-5): a PDF document timestamp made by the registry itself.

The registry acts as its own RFC 3161 time-stamping authority, in-process: pyHanko's
`DummyTimeStamper` signs the timestamp token with the registry's key (RSA only), and `seal` embeds
it as a /DocTimeStamp in an incremental update. The sealed bytes are the issued PDF; every later
signature appends to them, so the issued PDF stays a byte prefix of any honest upload.

The seal's signature dictionary carries /M, the time of sealing. pyHanko's `PdfTimeStamper` leaves
it out (PAdES discourages the descriptive entries in a document timestamp, the time being in the
token), and readers that do not decode an RFC 3161 token, poppler's `pdfsig` and the viewers built
on poppler among them, then show the seal as made on 1 January 1970 (a missing date read as 0).
So `seal` embeds the token itself (pyHanko's `PdfCMSEmbedder`, as `PdfTimeStamper` does) in a
dictionary that states /M, the same instant the token's genTime records.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from asn1crypto import cms, core
from asn1crypto import keys as asn1_keys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import general
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigObjSetup
from pyhanko.sign.signers.pdf_byterange import DocumentTimestamp
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

SEAL_FIELD = "RegistrySeal"
DEVELOPMENT_SUBJECT = "Mandates registry — DEVELOPMENT KEY, not for production"


@dataclass(frozen=True)
class RegistryKey:
    """The registry's private key and certificate, PEM-encoded (the key is unencrypted)."""

    key_pem: bytes
    cert_pem: bytes

    @classmethod
    def load(cls, key_path: Path, cert_path: Path) -> RegistryKey:
        return cls(key_pem=Path(key_path).read_bytes(), cert_pem=Path(cert_path).read_bytes())


def create_development_key(directory: Path) -> tuple[Path, Path]:
    """Writes `key.pem` and `cert.pem` in `directory` (a self-signed RSA 3072 certificate valid ten
    years, usable for time stamping and signing); reuses them when both already exist."""
    directory = Path(directory)
    key_path, cert_path = directory / "key.pem", directory / "cert.pem"
    if key_path.is_file() and cert_path.is_file():
        return key_path, cert_path
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEVELOPMENT_SUBJECT),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mandates development"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3652))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp_key = key_path.with_suffix(".pem.tmp")
    tmp_key.write_bytes(key_pem)
    tmp_key.chmod(0o600)
    tmp_key.replace(key_path)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class _RegistryTimeStamper(DummyTimeStamper):
    """pyHanko's in-process TSA, signing with a key loaded once.

    `DummyTimeStamper._sign_tst_info` re-parses the private key for every token, and loading an RSA
    3072 key (with cryptography's consistency check) costs about 140 ms: this override signs the same
    signed attributes with the key object kept in memory (pyHanko 0.38's own code, key cached).
    """

    def __init__(self, tsa_cert, tsa_key, private_key: RSAPrivateKey, when: dt.datetime | None = None):
        super().__init__(tsa_cert=tsa_cert, tsa_key=tsa_key, fixed_dt=when)
        self._private_key = private_key

    def at(self, when: dt.datetime) -> _RegistryTimeStamper:
        """The same authority stamping the instant `when` (the seal's /M), the loaded key shared."""
        return _RegistryTimeStamper(self.tsa_cert, self.tsa_key, self._private_key, when)

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, when: dt.datetime
    ) -> tuple[bytes, cms.CMSAttributes]:
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(when)})),
                simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self._private_key.sign(
            signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper())
        )
        return signature, signed_attrs


@functools.lru_cache(maxsize=8)
def _timestamper(key: RegistryKey) -> _RegistryTimeStamper:
    """One time stamper per registry key: it also caches pyHanko's size-estimation token."""
    private_key = serialization.load_pem_private_key(key.key_pem, password=None)
    if not isinstance(private_key, RSAPrivateKey):
        raise ValueError(  # noqa: TRY004 (a setting's bad value, reported as such)
            "the registry key must be an RSA key (pyHanko's in-process TSA is RSA-only)"
        )
    tsa_cert = next(iter(load_certs_from_pemder_data(key.cert_pem)))
    tsa_key = asn1_keys.PrivateKeyInfo.load(
        private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return _RegistryTimeStamper(tsa_cert, tsa_key, private_key)


class _SealDictionary(DocumentTimestamp):
    """The /DocTimeStamp signature dictionary with /M, the time of sealing (see the module's docstring)."""

    def __init__(self, when: dt.datetime, bytes_reserved: int):
        super().__init__(bytes_reserved=bytes_reserved)
        self[pdf_name("/M")] = generic.pdf_date(when)


async def seal(pdf: bytes, key: RegistryKey) -> bytes:
    """Appends the registry's document timestamp (/DocTimeStamp) to `pdf`; returns the issued PDF.

    The token and /M carry the same instant, the real time of sealing (never the frozen clock of a
    demonstration: a seal states when it was made)."""
    stamper = _timestamper(key)
    when = dt.datetime.now(dt.UTC).replace(microsecond=0)
    # Room for the token, as PdfTimeStamper reserves it: twice its DER length (hex), plus half again.
    estimate = len((await stamper.async_dummy_response("sha256")).dump()) * 2
    embedder = PdfCMSEmbedder(
        new_field_spec=SigFieldSpec(sig_field_name=SEAL_FIELD, readable_field_name="Registry seal")
    )
    steps = embedder.write_cms(
        field_name=SEAL_FIELD, writer=IncrementalPdfFileWriter(BytesIO(pdf)), existing_fields_only=False
    )
    next(steps)
    steps.send(SigObjSetup(sig_placeholder=_SealDictionary(when, estimate + 2 * (estimate // 4))))
    digest, output = steps.send(SigIOSetup(md_algorithm="sha256", in_place=False, output=BytesIO()))
    token = await stamper.at(when).async_timestamp(digest.document_digest, "sha256")
    steps.send(token)
    return output.getvalue()
