// Package static holds the CSS and JavaScript served under /static, embedded in the binary.
// htmx.min.js is htmx 2.0.11, vendored unmodified.
package static

import "embed"

//go:embed *.css *.js
var FS embed.FS
