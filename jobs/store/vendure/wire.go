package vendure

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// GraphQL over HTTP: the request body and the answer.
type gqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors,omitempty"`
	header http.Header
}

type gqlError struct {
	Message    string `json:"message"`
	Path       []any  `json:"path,omitempty"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// errorResult is the ErrorResult interface every mutation union may answer with: business
// errors come with HTTP 200 inside data.
type errorResult struct {
	ErrorCode       string `json:"errorCode,omitempty"`
	Message         string `json:"message,omitempty"`
	TransitionError string `json:"transitionError,omitempty"`
}

// apiError is the store refusing the operation: permanent, with Vendure's code and message.
func (e errorResult) apiError(baseURL string) *apiclient.Error {
	message := e.Message
	if e.TransitionError != "" && e.TransitionError != e.Message {
		message += " (" + e.TransitionError + ")"
	}
	return &apiclient.Error{Method: http.MethodPost, URL: baseURL, Status: http.StatusOK, Code: e.ErrorCode, Message: message}
}

type wireVariant struct {
	ID             string    `json:"id"`
	UpdatedAt      time.Time `json:"updatedAt"`
	Enabled        bool      `json:"enabled"`
	SKU            string    `json:"sku"`
	Name           string    `json:"name"`
	Price          int64     `json:"price"`
	PriceWithTax   int64     `json:"priceWithTax"`
	CurrencyCode   string    `json:"currencyCode"`
	StockOnHand    int       `json:"stockOnHand"`
	StockAllocated int       `json:"stockAllocated"`
	TrackInventory string    `json:"trackInventory"` // TRUE, FALSE or INHERIT (the global setting)
	// Stock at or below the threshold is not for sale (negative: backorders).
	OutOfStockThreshold          int  `json:"outOfStockThreshold"`
	UseGlobalOutOfStockThreshold bool `json:"useGlobalOutOfStockThreshold"`
	Product                      struct {
		Enabled bool `json:"enabled"`
	} `json:"product"`
}

type wireCustomFields struct {
	ExternalChannel *string `json:"externalChannel"`
	ExternalOrderID *string `json:"externalOrderId"`
}

type wireFulfillment struct {
	ID           string    `json:"id"`
	State        string    `json:"state"`
	Method       string    `json:"method"`
	TrackingCode string    `json:"trackingCode"`
	CreatedAt    time.Time `json:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
}

type wireOrder struct {
	ID           string            `json:"id"`
	Code         string            `json:"code"`
	State        string            `json:"state"`
	CreatedAt    time.Time         `json:"createdAt"`
	UpdatedAt    time.Time         `json:"updatedAt"`
	CustomFields wireCustomFields  `json:"customFields"`
	Fulfillments []wireFulfillment `json:"fulfillments"`
}

type wireOrderList struct {
	TotalItems int         `json:"totalItems"`
	Items      []wireOrder `json:"items"`
}
