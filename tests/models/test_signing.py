"""Who signs, in which order, at which level: R-SIGN-1, R-SIGN-4..6, R-SIGN-11, R-SIGN-13, R-USR-3, R-ENT-9
(models/signing.py)."""

from __future__ import annotations

import pytest

from config.messages import render
from models.errors import ErrorCode, RuleViolation
from models.signing import (
    LEVELS,
    Party,
    SignatoryRegister,
    SigningMethod,
    require_signatory,
    signing_event,
)
from models.status import Event, MandateStatus

AUTH, EID, HAND = SigningMethod.AUTHENTICATION, SigningMethod.EID, SigningMethod.HANDWRITTEN
P, M = Party.PRINCIPAL, Party.MANDATARY
S = MandateStatus


def test_r_sign_1_three_methods_and_their_levels():
    """R-SIGN-1, R-SIGN-4, R-SIGN-5: AUTHENTICATION=1 < EID=2; HANDWRITTEN is outside the scale."""
    assert [method.value for method in SigningMethod] == ["AUTHENTICATION", "EID", "HANDWRITTEN"]
    assert LEVELS == {AUTH: 1, EID: 2}
    assert P.other is M and M.other is P


# R-SIGN-4 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoder", [P, M])
@pytest.mark.parametrize(
    ("first", "second", "refused"),
    [
        (AUTH, AUTH, None),
        (AUTH, EID, None),
        (EID, EID, None),
        (EID, AUTH, ErrorCode.SIGNING_LEVEL_TOO_LOW),
        (AUTH, HAND, ErrorCode.INVALID_TRANSITION),  # R-SIGN-5: no mixing with paper
        (EID, HAND, ErrorCode.INVALID_TRANSITION),
    ],
)
def test_r_sign_4_escalation_second_level_at_least_the_first(encoder, first, second, refused):
    assert signing_event(S.TO_BE_FINALISED, encoder, encoder, first, []) is Event.ENCODER_SIGNED
    signed = [(encoder, first)]
    if refused is None:
        assert signing_event(S.PENDING, encoder, encoder.other, second, signed) is Event.BOTH_SIGNED
    else:
        with pytest.raises(RuleViolation) as caught:
            signing_event(S.PENDING, encoder, encoder.other, second, signed)
        assert caught.value.code is refused


# R-SIGN-5 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.TO_BE_FINALISED, S.PENDING])
@pytest.mark.parametrize("party", [P, M])
def test_r_sign_5_handwritten_is_never_a_signing_event(status, party):
    signed = [] if status is S.TO_BE_FINALISED else [(M, AUTH)]
    with pytest.raises(RuleViolation) as caught:
        signing_event(status, M, party, HAND, signed)
    assert caught.value.code is ErrorCode.INVALID_TRANSITION


# R-SIGN-6 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoder", [P, M])
@pytest.mark.parametrize("method", [AUTH, EID])
def test_r_sign_6_encoder_signs_first_counterparty_first_is_refused(encoder, method):
    with pytest.raises(RuleViolation) as caught:
        signing_event(S.TO_BE_FINALISED, encoder, encoder.other, method, [])
    assert caught.value.code is ErrorCode.INVALID_TRANSITION
    assert signing_event(S.TO_BE_FINALISED, encoder, encoder, method, []) is Event.ENCODER_SIGNED


# R-SIGN-13 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "party", "signed"),
    [
        (S.PENDING, P, [(P, AUTH)]),  # the principal signs again
        (S.PENDING, P, [(P, EID)]),
        (S.PENDING, M, [(M, AUTH)]),
    ],
)
def test_r_sign_13_a_party_signs_once(status, party, signed):
    with pytest.raises(RuleViolation) as caught:
        signing_event(status, signed[0][0], party, EID, signed)
    assert caught.value.code is ErrorCode.INVALID_TRANSITION
    assert "already signed" in render("en", caught.value)


@pytest.mark.parametrize("status", [s for s in S if s not in (S.TO_BE_FINALISED, S.PENDING)])
@pytest.mark.parametrize("method", [AUTH, EID])
def test_r_sign_13_r_life_9_signing_only_while_awaiting_signatures(status, method):
    """R-SIGN-13, R-LIFE-9, R-EXP-3: no signature in ACTIVE, CANCELLED, CLOSED, REJECTED, ..."""
    with pytest.raises(RuleViolation) as caught:
        signing_event(status, P, P, method, [])
    assert caught.value.code is ErrorCode.INVALID_TRANSITION
    assert caught.value.params["status"] is status


# R-USR-3, R-ENT-9, R-SIGN-11 -------------------------------------------------------------------

REPRESENTATIVE_OK = "85073100328"
REPRESENTATIVE_OTHER_FUNCTION = "05073100326"
COMPETENCE_HOLDER = "90010100135"
STRANGER = "70010100160"

# Legal form 014 allows function 10003 (the R-ENT-9 example); 10010 is not in its matrix.
REGISTER = SignatoryRegister(
    representatives=((REPRESENTATIVE_OK, "10003"), (REPRESENTATIVE_OTHER_FUNCTION, "10010")),
    allowed_functions=frozenset({"10003", "10005"}),
    competence_holders=frozenset({COMPETENCE_HOLDER}),
)


@pytest.mark.parametrize(
    ("niss", "may_sign", "is_representative"),
    [
        (REPRESENTATIVE_OK, True, True),  # (a) representative with an allowed function
        (REPRESENTATIVE_OTHER_FUNCTION, False, True),  # function not in the matrix
        (COMPETENCE_HOLDER, True, False),  # (b) « Mahis : signature d'un mandat »
        (STRANGER, False, False),
        ("", False, False),
    ],
)
def test_r_usr_3_r_ent_9_signatory_register(niss, may_sign, is_representative):
    assert REGISTER.may_sign(niss) is may_sign
    assert REGISTER.is_representative(niss) is is_representative


def test_r_ent_9_a_representative_with_two_functions_signs_through_the_allowed_one():
    register = SignatoryRegister(
        representatives=((REPRESENTATIVE_OK, "10010"), (REPRESENTATIVE_OK, "10005")),
        allowed_functions=frozenset({"10005"}),
        competence_holders=frozenset(),
    )
    assert register.may_sign(REPRESENTATIVE_OK)
    no_matrix = SignatoryRegister(register.representatives, frozenset(), frozenset())
    assert not no_matrix.may_sign(REPRESENTATIVE_OK)


@pytest.mark.parametrize(
    ("niss", "allowed"),
    [(REPRESENTATIVE_OK, True), (COMPETENCE_HOLDER, True), (REPRESENTATIVE_OTHER_FUNCTION, False), (STRANGER, False)],
)
@pytest.mark.parametrize("party", [P, M])
def test_r_sign_11_every_signature_by_a_signatory_of_its_party(niss, allowed, party):
    if allowed:
        assert require_signatory(REGISTER, niss, party) is None
    else:
        with pytest.raises(RuleViolation) as caught:
            require_signatory(REGISTER, niss, party)
        assert caught.value.code is ErrorCode.NOT_ALLOWED_TO_SIGN
        assert caught.value.params["party"] is party


def test_r_sign_11_a_signatory_of_the_mandatary_may_not_sign_for_the_principal():
    mandatary_register = SignatoryRegister(((STRANGER, "10003"),), frozenset({"10003"}), frozenset())
    require_signatory(mandatary_register, STRANGER, M)
    with pytest.raises(RuleViolation) as caught:
        require_signatory(REGISTER, STRANGER, P)
    assert caught.value.code is ErrorCode.NOT_ALLOWED_TO_SIGN
