"""Every constant of the Kaspi QR API in one place: paths, field names, status words, codes.

Kaspi does not publish its partner document openly (see KASPI.md); a merchant who receives the
official one corrects a detail here and nowhere else.
"""

from __future__ import annotations

from typing import Final

# Schemes: the path segment after the port, and how each one authenticates.
SCHEME_API_KEY: Final = "r1"  # header Api-Key
SCHEME_CERTIFICATE: Final = "r2"  # client certificate
SCHEME_STRONG: Final = "r3"  # mutual TLS + OrganizationBin in every body
SCHEMES: Final = (SCHEME_API_KEY, SCHEME_CERTIFICATE, SCHEME_STRONG)
API_VERSION: Final = "v01"

# Headers
HEADER_API_KEY: Final = "Api-Key"
HEADER_REQUEST_ID: Final = "X-Request-ID"

# Paths (relative to .../<scheme>/v01/)
PATH_TRADE_POINTS: Final = "partner/tradepoints"  # r3: partner/tradepoints/<OrganizationBin>
PATH_DEVICE_REGISTER: Final = "device/register"
PATH_DEVICE_DELETE: Final = "device/delete"
PATH_QR_CREATE: Final = "qr/create"
PATH_LINK_CREATE: Final = "qr/create-link"
PATH_REMOTE_CLIENT_INFO: Final = "remote/client-info"
PATH_REMOTE_CREATE: Final = "remote/create"
PATH_REMOTE_CANCEL: Final = "remote/cancel"
PATH_STATUS: Final = "payment/status"  # payment/status/<QrPaymentId>
PATH_DETAILS: Final = "payment/details"  # ?QrPaymentId=&DeviceToken=
PATH_RETURN: Final = "payment/return"
PATH_HEALTH: Final = "health/ping"
# The test host's emulator: moves a test payment along.
PATH_TEST_SCAN: Final = "test/payment/scan"
PATH_TEST_CONFIRM: Final = "test/payment/confirm"
PATH_TEST_SCAN_ERROR: Final = "test/payment/scanerror"
PATH_TEST_CONFIRM_ERROR: Final = "test/payment/confirmerror"

# Envelope
F_STATUS_CODE: Final = "StatusCode"
F_MESSAGE: Final = "Message"
F_DATA: Final = "Data"

# Request and answer fields
F_ORGANIZATION_BIN: Final = "OrganizationBin"
F_DEVICE_ID: Final = "DeviceId"
F_DEVICE_TOKEN: Final = "DeviceToken"  # noqa: S105 (a field name)
F_TRADE_POINT_ID: Final = "TradePointId"
F_TRADE_POINT_NAME: Final = "TradePointName"
F_AMOUNT: Final = "Amount"
F_EXTERNAL_ID: Final = "ExternalId"
F_PHONE: Final = "PhoneNumber"
F_COMMENT: Final = "Comment"
F_CLIENT_NAME: Final = "ClientName"
F_QR_TOKEN: Final = "QrToken"  # noqa: S105 (a field name)
F_QR_PAYMENT_ID: Final = "QrPaymentId"
F_PAYMENT_ID: Final = "PaymentId"  # qr/create-link names the id so
F_PAYMENT_LINK: Final = "PaymentLink"
F_EXPIRE_DATE: Final = "ExpireDate"
F_PAYMENT_METHODS: Final = "PaymentMethods"
F_QR_BEHAVIOR: Final = "QrPaymentBehaviorOptions"
F_LINK_BEHAVIOR: Final = "PaymentBehaviorOptions"
F_POLLING_INTERVAL: Final = "StatusPollingInterval"
F_STATUS: Final = "Status"
F_TRANSACTION_ID: Final = "TransactionId"
F_TOTAL_AMOUNT: Final = "TotalAmount"
F_AVAILABLE_RETURN: Final = "AvailableReturnAmount"
F_RETURN_OPERATION_ID: Final = "ReturnOperationId"
F_TEST_PAYMENT_ID: Final = "qrPaymentId"  # the emulator's own spelling

# Payment status words
STATUS_QR_CREATED: Final = "QrTokenCreated"
STATUS_REMOTE_CREATED: Final = "RemotePaymentCreated"
STATUS_WAIT: Final = "Wait"  # scanned / opened, not yet paid
STATUS_PROCESSED: Final = "Processed"  # paid: the only word that confirms
STATUS_ERROR: Final = "Error"  # failed or expired
WAITING_STATUSES: Final = frozenset({STATUS_QR_CREATED, STATUS_REMOTE_CREATED, STATUS_WAIT})

# StatusCode values (0 is success)
OK: Final = 0
SERVICE_UNAVAILABLE: Final = -999  # retry
CLIENT_CERTIFICATE_MISSING: Final = -10000
DEVICE_NOT_FOUND: Final = -1501
DEVICE_INACTIVE: Final = -1502
DEVICE_ON_OTHER_TRADE_POINT: Final = -1503
PURCHASE_NOT_FOUND: Final = -1601
NO_TRADE_POINTS: Final = -14000002
PURCHASE_ID_NOT_FOUND: Final = -99000001
TRADE_POINT_NOT_FOUND: Final = -99000002
TRADE_POINT_MISMATCH: Final = -99000003
REFUND_LARGER_THAN_PURCHASE: Final = -99000005
REFUND_FAILED: Final = -99000006
REFUND_UNSUITABLE_STATE: Final = -99000011
PARTIAL_REFUND_IMPOSSIBLE: Final = -99000020
TRADE_POINT_DISABLED: Final = 990000018
TRADE_POINT_NO_QR: Final = 990000026
WRONG_AMOUNT: Final = 990000028
NO_PAYMENT_METHODS: Final = 990000033

ERROR_MEANINGS: Final[dict[int, str]] = {
    SERVICE_UNAVAILABLE: "service temporarily unavailable",
    CLIENT_CERTIFICATE_MISSING: "client certificate missing",
    DEVICE_NOT_FOUND: "device not found",
    DEVICE_INACTIVE: "device inactive (disabled or deleted)",
    DEVICE_ON_OTHER_TRADE_POINT: "device already added to another trade point",
    PURCHASE_NOT_FOUND: "purchase not found",
    NO_TRADE_POINTS: "no trade points: create one in the Kaspi app",
    PURCHASE_ID_NOT_FOUND: "purchase with this id not found",
    TRADE_POINT_NOT_FOUND: "trade point not found",
    TRADE_POINT_MISMATCH: "purchase's trade point does not match this device",
    REFUND_LARGER_THAN_PURCHASE: "refund larger than the purchase",
    REFUND_FAILED: "refund failed; try again, then contact Kaspi",
    REFUND_UNSUITABLE_STATE: "cannot refund: purchase in an unsuitable state",
    PARTIAL_REFUND_IMPOSSIBLE: "partial refund impossible",
    TRADE_POINT_DISABLED: "trade point disabled",
    TRADE_POINT_NO_QR: "trade point does not accept QR payments",
    WRONG_AMOUNT: "wrong operation amount",
    NO_PAYMENT_METHODS: "no payment methods available",
}
# Only these are worth asking again; every other code is Kaspi's final word.
RETRYABLE_CODES: Final = frozenset({SERVICE_UNAVAILABLE})

# Further answer fields and values (status, create and cancel answers).
F_PRODUCT_TYPE: Final = "ProductType"
F_LOAN_OFFER_NAME: Final = "LoanOfferName"
F_LOAN_TERM: Final = "LoanTerm"
F_STORE_NAME: Final = "StoreName"
F_ADDRESS: Final = "Address"
F_CITY: Final = "City"
F_QR_SCAN_TIMEOUT: Final = "QrCodeScanWaitTimeout"  # qr/create's behaviour options
F_LINK_ACTIVATION_TIMEOUT: Final = "LinkActivationWaitTimeout"  # qr/create-link's
F_CONFIRMATION_TIMEOUT: Final = "PaymentConfirmationTimeout"
PRODUCT_GOLD: Final = "Gold"
PAYMENT_METHODS: Final = (PRODUCT_GOLD, "Red", "Loan")
REMOTE_CANCELED: Final = "Canceled"  # remote/cancel's Data.Status
