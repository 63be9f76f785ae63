"""A small test PKI made with `cryptography`: CAs standing for the eID/itsme roots, signer
certificates shaped like a Belgian eID signature certificate (subject serialNumber = NISS), which may
declare where their revocation is published (a CRL distribution point, an OCSP responder, as Belgian
eID certificates do), the CRLs and OCSP answers of a CA, and a helper that signs an authorisation PDF
into one of its fields with pyHanko. Publishing them over HTTP is tests/documents/revocation.py's."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

_NOW = dt.datetime.now(dt.UTC)


def _key_usage(**on) -> x509.KeyUsage:
    flags = {
        "digital_signature": False,
        "content_commitment": False,
        "key_encipherment": False,
        "data_encipherment": False,
        "key_agreement": False,
        "key_cert_sign": False,
        "crl_sign": False,
        "encipher_only": False,
        "decipher_only": False,
    }
    flags.update(on)
    return x509.KeyUsage(**flags)


def _certificate(
    subject: x509.Name,
    issuer: x509.Name,
    key,
    issuer_key,
    *,
    days: int,
    ca: bool,
    usage: x509.KeyUsage,
    identifier,
    extensions: tuple[x509.ExtensionType, ...] = (),
) -> x509.Certificate:
    """A certificate valid from yesterday for `days` days, signed by `issuer_key` (SHA-256)."""
    builder = x509.CertificateBuilder()
    for extension in extensions:
        builder = builder.add_extension(extension, critical=False)
    return (
        builder.subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_NOW - dt.timedelta(days=1))
        .not_valid_after(_NOW + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(identifier, critical=False)
        .sign(issuer_key, hashes.SHA256())
    )


def make_ca(name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A self-signed root CA (EC P-256)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"), x509.NameAttribute(NameOID.COMMON_NAME, name)])
    identifier = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    usage = _key_usage(key_cert_sign=True, crl_sign=True)
    return _certificate(subject, subject, key, key, days=3650, ca=True, usage=usage, identifier=identifier), key


def make_signer(
    ca: x509.Certificate, ca_key, niss: str, name: str, *, crl_url: str | None = None, ocsp_url: str | None = None
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A signature certificate as on a Belgian eID: serialNumber = NISS, CN = the holder, C = BE; with
    `crl_url`/`ocsp_url`, it declares where its revocation is published."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, niss),
        ]
    )
    identifier = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key())
    usage = _key_usage(digital_signature=True, content_commitment=True)
    extensions: list[x509.ExtensionType] = []
    if crl_url:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        extensions.append(x509.CRLDistributionPoints([point]))
    if ocsp_url:
        ocsp = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))
        extensions.append(x509.AuthorityInformationAccess([ocsp]))
    cert = _certificate(
        subject,
        ca.subject,
        key,
        ca_key,
        days=365,
        ca=False,
        usage=usage,
        identifier=identifier,
        extensions=tuple(extensions),
    )
    return cert, key


def make_crl(ca: x509.Certificate, ca_key, revoked: tuple[x509.Certificate, ...] = ()) -> bytes:
    """The CA's CRL (DER), valid from an hour ago for a day, listing `revoked` (revoked an hour ago)."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(_NOW - dt.timedelta(hours=1))
        .next_update(dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for cert in revoked:
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(_NOW - dt.timedelta(hours=1))
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def ocsp_answer(
    request_der: bytes, ca: x509.Certificate, ca_key, issued: dict[int, x509.Certificate], revoked: set[int]
):
    """The CA's own OCSP answer (DER) to a request: good, revoked, or unknown for a serial it never issued."""
    request = ocsp.load_der_ocsp_request(request_der)
    cert = issued.get(request.serial_number)
    if cert is None:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
            serialization.Encoding.DER
        )
    now = dt.datetime.now(dt.UTC)
    is_revoked = cert.serial_number in revoked
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=cert,
            issuer=ca,
            algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if is_revoked else ocsp.OCSPCertStatus.GOOD,
            this_update=now - dt.timedelta(minutes=5),
            next_update=now + dt.timedelta(hours=1),
            revocation_time=_NOW - dt.timedelta(hours=1) if is_revoked else None,
            revocation_reason=None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, ca)
    )
    for extension in request.extensions:
        if isinstance(extension.value, x509.OCSPNonce):
            builder = builder.add_extension(extension.value, critical=False)
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def cert_pem(*certs: x509.Certificate) -> bytes:
    """One PEM bundle of the given certificates."""
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certs)


def write_pem(path, data: bytes):
    path.write_bytes(data)
    return path


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(key) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


async def sign_as(pdf: bytes, field: str, cert: x509.Certificate, key, ca_cert: x509.Certificate) -> bytes:
    """Signs the existing field `field` of `pdf`; the result is `pdf` followed by an incremental update."""
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=_asn1_key(key),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(ca_cert)]),
    )
    pdf_signer = PdfSigner(PdfSignatureMetadata(field_name=field), signer=signer)
    output = await pdf_signer.async_sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf)), existing_fields_only=True, output=BytesIO()
    )
    return output.getvalue()
