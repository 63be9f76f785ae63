"""The registry's seal key, the eID trust roots and the rest of what authorisations need, from settings.

Without MANDATES_SIGNING_KEY/_CERT a development pair is created under the data folder on first
start, labelled as one in its certificate; MANDATES_PRODUCTION refuses it.
"""

from __future__ import annotations

from config.catalogue import load_holidays
from config.settings import Settings
from documents.pool import VerificationPool
from documents.seal import RegistryKey, create_development_key
from documents.verification import RevocationPolicy
from resolvers.authorisations import Paperwork


def registry_key(settings: Settings) -> RegistryKey:
    if settings.signing_key and settings.signing_cert:
        return RegistryKey.load(settings.signing_key, settings.signing_cert)
    return RegistryKey.load(*create_development_key(settings.data_dir / "development-seal"))


def paperwork(settings: Settings) -> Paperwork:
    roots = settings.eid_trust_roots.read_bytes() if settings.eid_trust_roots else None
    return Paperwork(
        registry=registry_key(settings),
        eid_trust_roots_pem=roots,
        paper_tolerance=settings.paper_tolerance,
        holidays=load_holidays(settings.holidays_path),
        max_upload_bytes=settings.max_upload_bytes,
        verification=VerificationPool(
            settings.upload_workers,
            RevocationPolicy(settings.eid_revocation_hard_fail, settings.eid_revocation_timeout_seconds),
        ),
    )
