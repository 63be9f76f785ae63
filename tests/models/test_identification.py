"""Identification requests and foreign entities as pure rules: R-SPID-1, R-SPID-2, R-SPID-3, R-USR-5,
R-WIDE-1..5, R-FOR-1..4, R-ENT-6, R-ENT-11 (models/identification.py)."""

from __future__ import annotations

import pytest

from config.messages import render
from models.authorisation import paper_allowed
from models.errors import ErrorCode, RuleViolation
from models.identification import (
    Declaration,
    ForeignDocument,
    IdentificationStatus,
    ProviderDecision,
    ProviderRequestStatus,
    SupportingMandate,
    blocked_by_refusal,
    check_documents,
    check_not_blocked,
    check_principal_identified,
    check_provider_request,
    decide_provider_request,
    may_request_provider_identification,
    refiled_status,
    supporting_mandate,
    unblocked_by_acceptance,
)
from models.identifiers import normalise_niss
from models.signing import SignatoryRegister
from models.status import MandateStatus

S = MandateStatus
I = IdentificationStatus
DIRECTOR, AUDITOR, HOLDER, CLERK = "68031425991", "71112306141", "86061747092", "95011848606"
REGISTER = SignatoryRegister(((DIRECTOR, "10003"), (AUDITOR, "10009")), frozenset({"10003"}), frozenset({HOLDER}))
EVERY = list(Declaration)


# --- R-SPID-1, R-USR-5 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("niss", "allowed"),
    [
        (DIRECTOR, True),  # a representative whose function may sign
        (AUDITOR, True),  # a representative whatever its function: 10009 may not sign, yet may ask
        (HOLDER, False),  # the competence « signature d'un mandat » is not a CBE representative
        (CLERK, False),  # a manager known to nobody
    ],
)
def test_r_spid_1_only_a_cbe_representative_may_ask_to_become_a_provider(niss, allowed):
    """R-USR-5: the request is reserved to the CBE's authorised representatives."""
    assert may_request_provider_identification(REGISTER, niss) is allowed


def _request(**overrides) -> None:
    facts = {
        "known_in_cbe": True,
        "is_service_provider": False,
        "is_social_secretariat": False,
        "pending": False,
        "declared": EVERY,
        **overrides,
    }
    check_provider_request(**facts)


def test_r_spid_1_the_company_must_be_registered_in_the_cbe():
    with pytest.raises(RuleViolation) as refused:
        _request(known_in_cbe=False)
    assert refused.value.code is ErrorCode.NOT_REGISTERED_IN_CBE


# --- R-SPID-2 -------------------------------------------------------------------------------------


def test_r_spid_2_a_request_declaring_every_condition_is_accepted():
    assert _request() is None


@pytest.mark.parametrize("left_out", list(Declaration))
def test_r_spid_2_each_undeclared_condition_refuses_the_request_naming_it(left_out):
    with pytest.raises(RuleViolation) as refused:
        _request(declared=[d for d in Declaration if d is not left_out])
    assert refused.value.code is ErrorCode.CONDITION_NOT_DECLARED
    assert refused.value.field == ("declarations", left_out.value)
    assert refused.value.params["missing"] == [left_out]
    assert render("nl", refused.value).endswith(
        render("nl", RuleViolation(refused.value.code, f"declaration.{left_out.value}")) + "."
    )


def test_r_spid_2_the_declared_conditions_are_the_seven_of_the_guidelines():
    assert {d.value for d in Declaration} == {
        "TECHNICAL_ABILITY",
        "CIVIL_LIABILITY_INSURANCE",
        "NO_NSSO_DEBTS",
        "FOLLOWS_INSTRUCTIONS",
        "INSPECTOR_ACCESS",
        "TIMELY_REPORTING",
        "QUALITY_BAROMETER",
    }


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"is_service_provider": True}, ErrorCode.ALREADY_A_SERVICE_PROVIDER),
        ({"pending": True}, ErrorCode.DUPLICATE_REQUEST),
    ],
)
def test_r_spid_2_a_provider_or_a_company_awaiting_a_decision_does_not_ask_again(overrides, code):
    with pytest.raises(RuleViolation) as refused:
        _request(**overrides)
    assert refused.value.code is code


@pytest.mark.parametrize(
    ("decision", "reason", "outcome"),
    [
        (ProviderDecision.APPROVE, None, ProviderRequestStatus.APPROVED),
        (ProviderDecision.REFUSE, "Debts to the NSSO", ProviderRequestStatus.REFUSED),
        (ProviderDecision.REFUSE, "  ", ErrorCode.REASON_REQUIRED),
        (ProviderDecision.REFUSE, None, ErrorCode.REASON_REQUIRED),
    ],
)
def test_r_spid_2_the_officer_approves_or_refuses_with_a_reason(decision, reason, outcome):
    if isinstance(outcome, ErrorCode):
        with pytest.raises(RuleViolation) as refused:
            decide_provider_request(ProviderRequestStatus.SUBMITTED, decision, reason)
        assert refused.value.code is outcome
    else:
        assert decide_provider_request(ProviderRequestStatus.SUBMITTED, decision, reason) is outcome


@pytest.mark.parametrize("decided", [ProviderRequestStatus.APPROVED, ProviderRequestStatus.REFUSED])
def test_r_spid_2_a_decided_request_is_not_decided_again(decided):
    with pytest.raises(RuleViolation) as refused:
        decide_provider_request(decided, ProviderDecision.APPROVE, None)
    assert refused.value.code is ErrorCode.INVALID_TRANSITION


# --- R-SPID-3 -------------------------------------------------------------------------------------


def test_r_spid_3_an_ssa_does_not_use_the_provider_request():
    """SSAs are entered by the NSSO in the reference data: the request offers no SSA status."""
    with pytest.raises(RuleViolation) as refused:
        _request(is_social_secretariat=True)
    assert refused.value.code is ErrorCode.ALREADY_A_SERVICE_PROVIDER
    assert refused.value.rules == ("R-SPID-3",)


# --- R-WIDE-1, R-WIDE-2, R-WIDE-4 -------------------------------------------------------------------


def m(key: int, status: MandateStatus, dimona: bool = True) -> SupportingMandate:
    return SupportingMandate(key, status, dimona)


@pytest.mark.parametrize(
    ("candidates", "paper", "chosen"),
    [
        ([m(1, S.IDENTIFICATION)], False, 1),
        ([m(1, S.ACTIVE)], False, 1),
        ([m(1, S.PENDING)], True, ErrorCode.VALIDATED_MANDATE_REQUIRED),  # signed by one party only
        ([m(1, S.TO_BE_FINALISED)], True, ErrorCode.VALIDATED_MANDATE_REQUIRED),
        ([m(1, S.REJECTED)], True, ErrorCode.VALIDATED_MANDATE_REQUIRED),
        ([m(1, S.CLOSED)], True, ErrorCode.VALIDATED_MANDATE_REQUIRED),
        ([m(1, S.CANCELLED)], True, ErrorCode.VALIDATED_MANDATE_REQUIRED),
        ([m(1, S.ACTIVE, dimona=False)], True, ErrorCode.VALIDATED_MANDATE_REQUIRED),  # at least Dimona
        ([], True, ErrorCode.VALIDATED_MANDATE_REQUIRED),
        ([m(1, S.PENDING), m(2, S.ACTIVE, dimona=False), m(3, S.IDENTIFICATION)], False, 3),
    ],
)
def test_r_wide_1_a_provider_files_under_a_validated_mandate_holding_dimona(candidates, paper, chosen):
    if isinstance(chosen, ErrorCode):
        with pytest.raises(RuleViolation) as refused:
            supporting_mandate(candidates, paper)
        assert refused.value.code is chosen
        assert refused.value.field == (("mandateId",) if candidates else ("principalNumber",))
    else:
        assert supporting_mandate(candidates, paper).mandate_id == chosen


def test_r_wide_2_while_paper_is_accepted_a_scan_awaiting_the_officer_goes_with_the_request():
    assert supporting_mandate([m(4, S.TO_BE_VALIDATED)], paper_allowed=True).mandate_id == 4
    # An effective mandate is preferred to a scan.
    assert supporting_mandate([m(4, S.TO_BE_VALIDATED), m(5, S.IDENTIFICATION)], paper_allowed=True).mandate_id == 5


@pytest.mark.parametrize(
    ("tolerance", "known_in_cbe", "outcome"),
    [
        (True, True, 7),
        (False, False, 7),  # unknown in the CBE: paper even after the tolerance
        (False, True, ErrorCode.PAPER_NOT_ALLOWED),
    ],
)
def test_r_wide_4_after_the_tolerance_a_scan_counts_only_for_a_principal_unknown_in_the_cbe(
    tolerance, known_in_cbe, outcome
):
    paper = paper_allowed(tolerance, known_in_cbe)
    if isinstance(outcome, ErrorCode):
        with pytest.raises(RuleViolation) as refused:
            supporting_mandate([m(7, S.TO_BE_VALIDATED)], paper)
        assert refused.value.code is outcome
    else:
        assert supporting_mandate([m(7, S.TO_BE_VALIDATED)], paper).mandate_id == outcome


# --- R-WIDE-3 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("before", "after"), [(I.SUBMITTED, I.BLOCKED), (I.BLOCKED, I.BLOCKED), (I.DONE, I.DONE)])
def test_r_wide_3_refusing_the_authorisation_blocks_a_submitted_request(before, after):
    assert blocked_by_refusal(before) is after


@pytest.mark.parametrize(("before", "after"), [(I.BLOCKED, I.SUBMITTED), (I.SUBMITTED, I.SUBMITTED), (I.DONE, I.DONE)])
def test_r_wide_3_accepting_the_replacement_unblocks_it(before, after):
    assert unblocked_by_acceptance(before) is after


@pytest.mark.parametrize(
    ("statuses", "blocked"),
    [([], False), ([I.SUBMITTED], False), ([I.SUBMITTED, I.BLOCKED], True), ([I.BLOCKED], True)],
)
def test_r_wide_3_no_nsso_number_while_a_request_is_blocked(statuses, blocked):
    if blocked:
        with pytest.raises(RuleViolation) as refused:
            check_not_blocked(statuses)
        assert refused.value.code is ErrorCode.IDENTIFICATION_BLOCKED
    else:
        assert check_not_blocked(statuses) is None


@pytest.mark.parametrize(
    ("existing", "old_mandate", "new_mandate", "outcome"),
    [
        (I.BLOCKED, 1, 2, I.SUBMITTED),  # re-linked to a new mandate (R-PAP-4)
        (I.BLOCKED, 1, 1, ErrorCode.IDENTIFICATION_BLOCKED),  # the corrected scan awaits the officer
        (I.SUBMITTED, 1, 2, ErrorCode.DUPLICATE_REQUEST),
        (I.SUBMITTED, None, None, ErrorCode.DUPLICATE_REQUEST),  # the employer's own request, twice
    ],
)
def test_r_wide_3_filing_again_re_links_a_blocked_request_to_another_mandate(
    existing, old_mandate, new_mandate, outcome
):
    if isinstance(outcome, ErrorCode):
        with pytest.raises(RuleViolation) as refused:
            refiled_status(existing, old_mandate, new_mandate)
        assert refused.value.code is outcome
    else:
        assert refiled_status(existing, old_mandate, new_mandate) is outcome


# --- R-WIDE-5, R-FOR-1, R-FOR-4, R-ENT-11 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("known_in_cbe", "nsso", "linked", "registered", "initiated", "allowed"),
    [
        (True, None, False, False, True, True),  # known in the CBE: the general rules
        (False, "8474577-22", False, False, False, True),  # unknown in the CBE, identified by its NSSO number
        (False, "8474577-22", False, False, True, False),  # R-FOR-1: BELparcel & co. through the officer
        (False, None, False, False, False, False),  # R-WIDE-5: neither CBE nor NSSO number
        (False, None, True, False, False, True),  # R-WIDE-5: linked to an identification request
        (False, None, True, False, True, False),  # the request does not open the NSSO-initiated groups
        (False, None, False, True, True, True),  # R-FOR-4: registered by the NSSO, later changes in the app
        (False, None, False, True, False, True),
    ],
)
def test_r_wide_5_a_principal_without_cbe_or_nsso_number_needs_a_request_or_the_officer(
    known_in_cbe, nsso, linked, registered, initiated, allowed
):
    facts = {
        "known_in_cbe": known_in_cbe,
        "nsso_number": nsso,
        "linked_to_request": linked,
        "registered_by_nsso": registered,
        "nsso_initiated_groups": initiated,
    }
    if allowed:
        assert check_principal_identified(**facts) is None
    else:
        with pytest.raises(RuleViolation) as refused:
            check_principal_identified(**facts)
        assert refused.value.code is ErrorCode.ENTERPRISE_NOT_FOUND
        assert refused.value.field == ("principalNumber",)
        assert refused.value.rules == ("R-FOR-1" if initiated else "R-WIDE-5",)


# --- R-FOR-2, R-FOR-3 -----------------------------------------------------------------------------


def test_r_for_2_the_four_documents_pass():
    assert check_documents(list(ForeignDocument)) is None


@pytest.mark.parametrize("left_out", list(ForeignDocument))
def test_r_for_2_each_missing_document_is_refused_and_named(left_out):
    with pytest.raises(RuleViolation) as refused:
        check_documents([d for d in ForeignDocument if d is not left_out])
    assert refused.value.code is ErrorCode.DOCUMENT_MISSING
    assert refused.value.field == ("documents", left_out.value)
    assert refused.value.params["missing"] == [left_out]


def test_r_for_2_several_missing_documents_are_all_named():
    with pytest.raises(RuleViolation) as refused:
        check_documents([ForeignDocument.COMPANY_DATA])
    assert refused.value.params["missing"] == [d for d in ForeignDocument if d is not ForeignDocument.COMPANY_DATA]
    assert "colour copy" in render("en", refused.value)


@pytest.mark.parametrize(
    "bis",
    [
        "85273000106",  # born 1985-07-30, month + 20: the bis number NSSO creates for a foreign representative
        "85473000248",  # month + 40
        "05273000302",  # born in 2005: the check uses the "2" prefix
        "85.27.30-001.06",
    ],
)
def test_r_for_3_a_bis_number_passes_the_niss_check(bis):
    """R-ENT-6: the NSSO may create a bis number for the legal representative; the NISS check
    (modulo 97) does not look at the month, so a bis number is a valid NISS."""
    assert normalise_niss(bis) == bis.replace(".", "").replace("-", "")


def test_r_for_3_a_bis_number_with_a_wrong_check_is_refused():
    with pytest.raises(RuleViolation) as refused:
        normalise_niss("85273000107")
    assert refused.value.code is ErrorCode.INVALID_NISS
