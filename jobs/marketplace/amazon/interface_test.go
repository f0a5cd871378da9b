package amazon_test

import (
	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/marketplace/amazon"
)

// The client is what the jobs use as a marketplace.
var _ jobs.Marketplace = (*amazon.Client)(nil)
