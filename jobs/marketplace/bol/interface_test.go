package bol_test

import (
	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/marketplace/bol"
)

// The client is what the jobs use as a marketplace (an external test package, so that jobs
// may import this package one day without a cycle).
var _ jobs.Marketplace = (*bol.Client)(nil)
