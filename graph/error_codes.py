"""Every error code the HTTP layer puts in `extensions.code` or REST `error.code`, in one place.

userError codes of mutations come from the domain (db/, sync/); these are the codes of
request-level errors: the request could not be read, was refused, or failed unexpectedly.
"""

BAD_REQUEST = "BAD_REQUEST"
BAD_INPUT = "BAD_INPUT"
INVALID = "INVALID"
INVALID_JSON = "INVALID_JSON"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
NOT_FOUND = "NOT_FOUND"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
OPERATION_TOO_LARGE = "OPERATION_TOO_LARGE"
UNAUTHENTICATED = "UNAUTHENTICATED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL_ERROR = "INTERNAL_ERROR"
