package vendure_test

import (
	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/store/vendure"
)

// The client is a jobs.Store; checked from outside the package so jobs may import it.
var _ jobs.Store = (*vendure.Client)(nil)
