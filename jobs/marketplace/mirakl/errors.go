package mirakl

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Error codes Mirakl documents for order operations (OR21's table).
const (
	codeInvalidState      = "ORDER_INVALID_STATE"
	codeOrderNotFound     = "ORDER_NOT_FOUND"
	codeDecisionMissing   = "ORDER_LINE_ACCEPTANCE_DECISION_MISSING"
	codeDuplicateLine     = "ORDER_LINE_DUPLICATE_ID"
	codeLineNotFound      = "ORDER_LINE_NOT_FOUND"
	codeNullLine          = "ORDER_LINE_NULL_ELEMENT"
	codeFulfilled         = "ORDER_FULFILLED_UNAUTHORIZED"
	codePartialAcceptance = "ORDER_PARTIAL_ACCEPTANCE_DISABLED"
	codeValidationError   = "VALIDATION_ERROR"
)

var knownCodes = []string{
	codeDecisionMissing, codeDuplicateLine, codeLineNotFound, codeNullLine, codeFulfilled,
	codePartialAcceptance, codeInvalidState, codeOrderNotFound, codeValidationError,
}

// decodeError reads Mirakl's error body, {"status":400,"message":"..."}. The code comes from
// a "code" field or errors[] when an operator sends them, else from a documented code
// named in the message.
func decodeError(_ int, body []byte) (code, message string) {
	var answer errorResponse
	if json.Unmarshal(body, &answer) != nil {
		return "", "" // not JSON: apiclient shows the raw body
	}
	code, message = answer.Code, strings.TrimSpace(answer.Message)
	for _, detail := range answer.Errors {
		if code == "" {
			code = detail.Code
		}
		if detail.Message != "" && !strings.Contains(message, detail.Message) {
			message = strings.TrimPrefix(message+"; "+detail.Message, "; ")
		}
	}
	if code == "" {
		for _, known := range knownCodes {
			if strings.Contains(message, known) {
				code = known
				break
			}
		}
	}
	if code != "" {
		message = strings.TrimLeft(strings.TrimPrefix(message, code), " :-")
	}
	return code, message
}

// isRefusal is a 400: Mirakl's answer when an order is not in the state an operation needs
// (often with no code at all), so the caller looks at the order before deciding.
func isRefusal(err error) bool {
	return apiclient.StatusOf(err) == http.StatusBadRequest
}

// notFound is a permanent error for an order Mirakl does not return.
func notFound(method, url, orderID string) error {
	return &apiclient.Error{
		Method:  method,
		URL:     url,
		Status:  http.StatusNotFound,
		Code:    codeOrderNotFound,
		Message: "Mirakl has no order " + orderID + " for this shop",
	}
}

// IsNotFound reports whether err says the order does not exist on Mirakl.
func IsNotFound(err error) bool {
	var apiErr *apiclient.Error
	return errors.As(err, &apiErr) && (apiErr.Code == codeOrderNotFound || apiErr.Status == http.StatusNotFound)
}
