"""What can go wrong talking to Kaspi QR, and whether asking again can help.

Messages name the call, the HTTP status or Kaspi's code and the request id; they never carry
an Api-Key, a DeviceToken or a certificate key (the client scrubs Kaspi's own text too).
"""

from __future__ import annotations

from kaspi import shape

UNKNOWN_MEANING = "unknown Kaspi error"


class KaspiError(RuntimeError):
    """Any failure of a Kaspi call; `retryable` says whether asking again can help."""

    retryable: bool = False

    def __init__(self, message: str, *, retryable: bool | None = None) -> None:
        super().__init__(message)
        if retryable is not None:
            self.retryable = retryable


class KaspiTransportError(KaspiError):
    """Kaspi did not answer usably: network error, HTTP 5xx, not JSON, no envelope."""

    retryable = True


class KaspiAuthError(KaspiError):
    """Kaspi refused our credentials (HTTP 401/403): the Api-Key or client certificate."""

    retryable = False


class KaspiApiError(KaspiError):
    """Kaspi answered with a non-zero StatusCode (or a 4xx without an envelope: -HTTP status)."""

    def __init__(self, code: int, kaspi_message: str = "") -> None:
        self.code = code
        self.kaspi_message = kaspi_message
        self.meaning = shape.ERROR_MEANINGS.get(code, UNKNOWN_MEANING)
        text = f"Kaspi error {code}: {self.meaning}"
        if kaspi_message and kaspi_message != self.meaning:
            text += f" ({kaspi_message})"
        super().__init__(text, retryable=code in shape.RETRYABLE_CODES)


class PartialRefundImpossible(KaspiApiError):
    """-99000020: this payment can only be refunded in full."""


_BY_CODE: dict[int, type[KaspiApiError]] = {
    shape.PARTIAL_REFUND_IMPOSSIBLE: PartialRefundImpossible,
}


def api_error(code: int, message: str) -> KaspiApiError:
    """The error for Kaspi's StatusCode `code` (the most specific subclass there is)."""
    return _BY_CODE.get(code, KaspiApiError)(code, message)
