package apiclient

import "errors"

// Errors a connector returns when it reads a webhook delivery: a signature that does not
// match the connection's secret, or a signed body it cannot read.
var (
	ErrBadSignature = errors.New("the webhook's signature does not match the connection's secret")
	ErrBadWebhook   = errors.New("the webhook's body could not be read")
)
