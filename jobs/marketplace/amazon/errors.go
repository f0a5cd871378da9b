package amazon

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Codes orderhub gives its own permanent errors, for operations Amazon does not offer.
const (
	codeOrderNotFound  = "OrderNotFound"
	codeNotSupported   = "NotSupported"
	codeCannotShip     = "CannotShip"
	codeQuotaExceeded  = "QuotaExceeded"
	codeInvalidInput   = "InvalidInput"
	codeInvalidInputSp = "Invalid Input" // confirmShipment's 400s spell it with a space
)

// decodeError reads {"errors":[{"code","message","details"}]}: the first code, every message.
func decodeError(_ int, body []byte) (code, message string) {
	var answer errorList
	if json.Unmarshal(body, &answer) != nil || len(answer.Errors) == 0 {
		return "", ""
	}
	var messages []string
	for _, e := range answer.Errors {
		if code == "" {
			code = e.Code
		}
		text := strings.TrimSpace(e.Message)
		if details := strings.TrimSpace(e.Details); details != "" {
			text += " (" + details + ")"
		}
		if text != "" {
			messages = append(messages, text)
		}
	}
	return code, strings.Join(messages, "; ")
}

// notFound is a permanent error for an order Amazon does not return.
func notFound(url, orderID string) error {
	return &apiclient.Error{
		Method:  http.MethodGet,
		URL:     url,
		Status:  http.StatusNotFound,
		Code:    codeOrderNotFound,
		Message: "Amazon has no order " + orderID + " for this seller",
	}
}

// unsupported is a permanent error for an action the Orders API has no operation for.
func unsupported(orderID, message string) error {
	return &apiclient.Error{
		Method:  "-",
		URL:     "amazon order " + orderID,
		Status:  http.StatusUnprocessableEntity,
		Code:    codeNotSupported,
		Message: message,
	}
}

// IsNotFound reports whether err says the order does not exist on Amazon.
func IsNotFound(err error) bool {
	var apiErr *apiclient.Error
	return errors.As(err, &apiErr) && (apiErr.Code == codeOrderNotFound || apiErr.Status == http.StatusNotFound)
}
