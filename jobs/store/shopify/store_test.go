package shopify_test

import (
	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/store/shopify"
)

// The client is a jobs.Store; checked from outside the package so jobs may import it.
var _ jobs.Store = (*shopify.Client)(nil)

var _ jobs.WebhookStore = (*shopify.Client)(nil)
