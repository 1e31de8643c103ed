"""The error a check case raises when it cannot produce a comparable output (shared by the check engine
and the time limits, which turn a case that ran past its limit into one)."""


class CaseError(Exception):
    """A case could not produce a comparable output; the message is feedback for the student."""
