"""Named errors for what the domain refuses; the CLI and TUI turn them into messages.

Each error carries a message key and its parameters; ``tracker.language`` renders them
in Japanese or English (``error.<key>`` in its ``messages.toml``).
"""

from __future__ import annotations

from typing import Any


class BansoError(Exception):
    """Something the user asked for cannot be done; nothing was recorded."""

    key = "error"

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(f"{self.key} {params}")


class InvalidInputError(BansoError):
    key = "invalid_input"


class InvalidMunicipalityCodeError(BansoError):
    key = "invalid_code"


class UnknownMunicipalityError(BansoError):
    key = "unknown_municipality"


class UnknownCaseError(BansoError):
    key = "unknown_case"


class UnknownExpertError(BansoError):
    key = "unknown_expert"


class AmbiguousNameError(BansoError):
    key = "ambiguous_name"


class UnknownContactError(BansoError):
    key = "unknown_contact"


class ContactNotSealedError(BansoError):
    """A contact recorded before people's details were sealed: in the log as given."""

    key = "contact_not_sealed"


class UnknownPersonError(BansoError):
    """An erasure naming someone never a contact here, or erased already."""

    key = "unknown_person"


class PersonErasedError(BansoError):
    """A new detail (an e-mail, a phone) of someone whose details were erased."""

    key = "person_erased"


class ContactAlreadyAssignedError(BansoError):
    key = "contact_already_assigned"


class ExpertRetiredError(BansoError):
    key = "expert_retired"


class ExpertRetiredOnError(BansoError):
    """A visit dated after the expert left the registry."""

    key = "expert_retired_on"


class ExpertNotOnCaseError(BansoError):
    key = "expert_not_on_case"


class ExpertHasNoOpenCasesError(BansoError):
    key = "expert_has_no_open_cases"


class NoApplicationError(BansoError):
    key = "no_application"


class CaseClosedError(BansoError):
    key = "case_closed"


class CaseNotClosedError(BansoError):
    key = "case_not_closed"


class NoPendingFollowUpError(BansoError):
    key = "no_pending_follow_up"


class UnknownFollowUpError(BansoError):
    key = "unknown_follow_up"


class FollowUpAmbiguousError(BansoError):
    """Several follow-ups are pending and none was named."""

    key = "follow_up_ambiguous"


class CommitmentNotOpenError(BansoError):
    """No such commitment, or it is done or cancelled already."""

    key = "commitment_not_open"


class OpenCommitmentsError(BansoError):
    """A case closing with commitments neither done nor cancelled."""

    key = "open_commitments"


class DateBeforeCommitmentError(BansoError):
    key = "date_before_commitment"


class DateBeforeOpeningError(BansoError):
    key = "date_before_opening"


class DateBeforeLastChangeError(BansoError):
    key = "date_before_last_change"


class FutureDateError(BansoError):
    key = "future_date"


class MunicipalityExistsError(BansoError):
    key = "municipality_exists"


class CaseExistsError(BansoError):
    key = "case_exists"


class StoreMissingError(BansoError):
    """A question asked of a store that does not exist (only recording creates one)."""

    key = "store_missing"


class StoreRefusedError(BansoError):
    """A store banso cannot use: an unknown URL scheme, a folder, a file of another kind."""

    key = "store_refused"


class StoredEventUnreadableError(BansoError):
    """An aggregate one of whose stored events cannot be read (its row altered by hand)."""

    key = "stored_unreadable"


class StoreKeyError(BansoError):
    """The store's encryption key (BANSO_CIPHER_KEY) is missing, wrong, malformed, or given
    for a store recorded without one: said before anything is read or recorded."""

    key = "store_key"


class BackupKeyError(BansoError):
    """An encrypted backup imported without the key it was sealed with."""

    key = "backup_key"


class TopicExistsError(BansoError):
    key = "topic_exists"


class MailError(BansoError):
    """The mail server could not be reached, or refused a digest."""

    key = "mail_failed"


# ---- corrections (訂正) and withdrawals (取消) --------------------------------------------
# ``subject`` names the case (its number) or the municipality (its name); ``entry`` is the
# entry's number, its version within the case or municipality; ``entry_kind`` the name of
# its event class (shown by its label).


class UnknownEntryError(BansoError):
    key = "unknown_entry"


class EntryNotCorrectableError(BansoError):
    key = "entry_not_correctable"


class EntryWithdrawnError(BansoError):
    key = "entry_withdrawn"


class FieldNotCorrectableError(BansoError):
    key = "field_not_correctable"


class NothingToCorrectError(BansoError):
    key = "nothing_to_correct"


class ReasonRequiredError(BansoError):
    key = "reason_required"


class AmendmentConflictError(BansoError):
    """The history, corrected so, would break a rule at entry ``entry`` (``cause`` says which)."""

    key = "amendment_conflict"


class CaseWithdrawnError(BansoError):
    key = "case_withdrawn"
