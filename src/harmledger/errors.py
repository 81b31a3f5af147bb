"""The project's exceptions and their messages, in one place.

Every message says what went wrong *and* what the user can do about it.
"""

from __future__ import annotations


class HarmledgerError(Exception):
    """Base class of every error harmledger raises on purpose."""


class ReadError(HarmledgerError):
    """A document could not be read. ``name`` identifies it; ``reason`` says why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str]]:
        # pickled as its two parts (a batch worker sends it back to the client)
        return (type(self), (self.name, self.reason))


class BudgetExceeded(HarmledgerError):
    """A document's extraction took longer than its time budget (``Settings.time_budget``)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(MSG_TIME_BUDGET.format(seconds=seconds))
        self.seconds = seconds


class ResourceError(HarmledgerError):
    """A packaged data file (lexicon, gazetteer...) is missing or malformed."""


class ConfigError(HarmledgerError):
    """A setting has a value harmledger cannot use."""


class LedgerError(HarmledgerError):
    """The ledger database could not be opened or written."""


# Messages used in more than one place. Keep the wording here.
MSG_RESOURCE_MALFORMED = "packaged resource '{name}' is malformed ({detail}); {fix}"
MSG_BINARY = "not a text document (binary content); skipped"
MSG_FORMAT = "{what}, not a text document; {fix}"
MSG_NUL = (
    "contains a NUL character (at offset {offset:,}): binary content or a damaged file, "
    "not read; remove the NUL characters or save the document again as text"
)
MSG_NOT_TEXT = (
    "not read: {share:.0%} of its first bytes are above 127 and it is not UTF-8 (binary "
    "data, or text in an encoding harmledger cannot tell); save it as UTF-8"
)
MSG_NOT_REGULAR = (
    "not a regular file (a {kind}); skipped: harmledger reads files, folders and '-' "
    "(standard input)"
)
MSG_SYMLINK_OUTSIDE = (
    "a symbolic link to {target}, outside the input folder; not followed (give "
    "--follow-symlinks to read what links point to)"
)
MSG_FOLDER_UNREADABLE = (
    "cannot read this folder ({detail}); its files were not read: check that you may read it"
)
MSG_ENCODING = "cannot decode as UTF-8, UTF-16 or Windows-1252 ({detail}); re-save it as UTF-8"
MSG_TOO_LARGE = "too large ({size:,} bytes > limit {limit:,}); split it or raise --max-bytes"
MSG_EMPTY = "no text left after reading (empty file or only boilerplate)"
MSG_BAD_JSON = "line {line}: not valid JSON ({detail})"
MSG_JSON_NO_TEXT = "line {line}: a JSON Lines document needs a 'text' or 'html' string"
MSG_BAD_HTML = "cannot extract the main text from this HTML ({detail})"
MSG_BAD_DATE = "'{value}' is not a date in the form YYYY-MM-DD"
MSG_NOT_FOUND = "no such file or directory"
MSG_UNSUPPORTED = (
    "unsupported file type '{suffix}' (use .txt, .html, .htm, .jsonl, .jsonl.gz, .warc or .warc.gz)"
)
MSG_NOT_WARC = "not a WARC archive (it does not begin with a WARC record); check the file"
MSG_BAD_WARC = "damaged WARC archive ({detail}); the records around it may be lost"
MSG_OS_ERROR = "cannot read it ({detail}); check that it exists and that you may read it"
MSG_INTERNAL = "unexpected error while reading ({detail}); please report this as a bug"
MSG_STAGE_ORDER = (
    "stage {stage} needs {missing}, which no stage before it sets; put the stage that sets "
    "it earlier"
)
MSG_EXTRACTION = (
    "extraction failed ({detail}); the other documents go on; please report this as a bug"
)
# Notes on values dropped from an incident (model.DroppedValue): why it cannot be true.
MSG_TOO_MANY = "more people than live on Earth: no count of victims; left out"
MSG_DATE_TOO_EARLY = (
    "before {earliest}: a reference to history, not the date of the event; left out"
)
MSG_DATE_TOO_LATE = "more than a year after the report was published (or after today); left out"
MSG_BAD_PUBLISHED = (
    "{value} cannot be the date a report was published (harmledger reads reports published "
    "from {earliest} to {latest}); give the date it was published"
)
MSG_CANNOT_STORE = (
    "cannot store {name}: one of its values cannot be stored ({detail}); it was left out "
    "and the other documents go on; please report this as a bug"
)
MSG_TIME_BUDGET = (
    "extraction took longer than its time budget of {seconds:g} s and was stopped; the other "
    "documents go on; split the document, or give more time with --time-budget SECONDS"
)
MSG_OUT_OF_MEMORY = (
    "ran out of memory while extracting; the other documents go on; split the document or "
    "lower --max-bytes"
)


class ModelError(ConfigError):
    """A learned model file (``--model``, ``Settings.model``) is missing or unusable."""


MSG_MODEL_MISSING = (
    "model file {path} does not exist; train one with 'harmledger train DATA --output {path}'"
)
MSG_MODEL_BAD = (
    "model file {path} is not a harmledger model ({detail}); "
    "retrain it with 'harmledger train DATA --output {path}'"
)
MSG_MODEL_VERSION = (
    "model file {path} holds a '{found}' model but this harmledger reads '{expected}'; "
    "retrain it with 'harmledger train DATA --output {path}'"
)
MSG_TRAIN_EMPTY = (
    "{path}: no labelled text to learn from (need rows with a text and an event_type); "
    "check the file"
)
MSG_TRAIN_FORMAT = (
    "{path}: cannot tell what this is; give an ACLED export (.csv with notes, event_type, "
    "sub_event_type) or JSON Lines with 'text', 'event_type', 'sub_event_type'"
)
MSG_TRAIN_LABELS = "{path}: need at least two different event types to learn from, found {found}"

# List filters.
MSG_FILTER_UNKNOWN = "--{option} '{value}' is not {what}; use one of: {choices}"

# Labelled data (eval, train).
MSG_FORMAT_UNKNOWN = (
    "cannot tell the format from the header (columns: {columns}); "
    "give --format acled, fakes, ucdp, gold or hrdsattack"
)
MSG_MISSING_COLUMNS = "not a {fmt} file: missing column(s) {missing}"
MSG_LABELLED_LINE = "line {line}: {detail}"
MSG_HRDS_NOT_A_SAMPLE = (
    "sample {n}: not an HRDsAttack sample (expected an object with 'sample' and "
    "'merged_sample'); give the dataset's train.json or dev.json as published"
)
MSG_ACLED_DATE = (
    "event {id}: cannot read the event_date '{value}' (expected a date such as 2025-04-01, "
    "9-May-20 or 28 December 2022); fix the row or leave it out"
)


class AuthError(HarmledgerError):
    """A sign-in failed, or a session is missing or expired."""


class PermissionDenied(HarmledgerError):
    """The user's role may not do this."""


class ReviewError(HarmledgerError):
    """A review or edit cannot be applied (bad value, unknown incident...)."""


MSG_LOGIN_FAILED = "wrong user name or password"
MSG_LOGIN_LIMITED = "too many failed sign-ins; try again in {seconds} s"
MSG_ROLE = "role must be one of {roles}, not '{role}'"
MSG_PASSWORD_SHORT = "a password needs at least {n} characters"
MSG_NO_USER = "no user '{name}' in this ledger; see 'harmledger user list'"
MSG_PERMISSION = "a {role} may not {action}"
