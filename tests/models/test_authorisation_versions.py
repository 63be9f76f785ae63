"""Which statuses take a new version of the authorisation (R-PDF-8), by method (R-SIGN-5, R-SIGN-9)."""

from __future__ import annotations

import pytest

from models.authorisation import VERSIONED, check_request
from models.errors import ErrorCode, RuleViolation
from models.signing import SigningMethod
from models.status import MandateStatus as S


@pytest.mark.parametrize("status", sorted(VERSIONED, key=lambda s: s.value))
@pytest.mark.parametrize("method", [SigningMethod.EID, SigningMethod.HANDWRITTEN])
def test_r_pdf_8_a_mandate_that_took_effect_takes_a_new_version(status, method):
    check_request(method, status, paper=True, principal_known_in_cbe=True, replaces_other=False)


@pytest.mark.parametrize("status", [S.CANCELLED, S.REJECTED, S.TO_BE_VALIDATED])
def test_r_pdf_8_a_mandate_that_never_took_effect_takes_no_eid_version(status):
    with pytest.raises(RuleViolation) as refused:
        check_request(SigningMethod.EID, status, paper=True, principal_known_in_cbe=True, replaces_other=False)
    assert refused.value.code is ErrorCode.INVALID_TRANSITION


def test_r_sign_9_no_handwritten_version_once_paper_is_closed():
    with pytest.raises(RuleViolation) as refused:
        check_request(
            SigningMethod.HANDWRITTEN, S.ACTIVE, paper=False, principal_known_in_cbe=True, replaces_other=False
        )
    assert refused.value.code is ErrorCode.PAPER_NOT_ALLOWED
