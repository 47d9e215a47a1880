"""Exceptions the CLI turns into a one-line message and a non-zero exit code.

Every message names the file, row or field at fault and says what to do about it.
"""


class AoaiFinopsError(Exception):
    """Base class for errors a user can act on."""


class RetryableError(AoaiFinopsError):
    """A run that could not be read completely this time, through no fault of its own: the loader logs it `failed`
    (not `rejected`), and the next load tries it again."""


class ManifestError(AoaiFinopsError):
    """A manifest.json / _manifest.json that cannot be read or describes an unusable run."""


class ExportValidationError(AoaiFinopsError):
    """A run whose files disagree with its manifest or with the dataset's schema."""


class LakeLockedError(AoaiFinopsError):
    """Another loader holds the lake."""


class SourceError(RetryableError):
    """A source location that cannot be opened, listed or read (not found, not authorised, a broken download)."""


class IncompleteRunError(RetryableError):
    """A run whose manifest lists a part the source does not have (yet)."""


class UnsafePathError(ManifestError):
    """A path from a manifest that could escape its folder (`..`, absolute, backslashes)."""
