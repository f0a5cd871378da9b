// Package reference finds the public API references (specifications and recorded exchanges)
// that the connector tests check their fakes and clients against.
package reference

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir is the reference folder of one API (bol, amazon-sp-api...): under
// ORDERHUB_REFERENCE_DIR when set, else under shared/reference next to the repository. When
// it is missing the test is skipped, except with ORDERHUB_REQUIRE_REFERENCE=1, where it fails.
func Dir(t testing.TB, api string) string {
	t.Helper()
	root := os.Getenv("ORDERHUB_REFERENCE_DIR")
	if root == "" {
		root = filepath.Join(repositoryRoot(), "..", "shared", "reference")
	}
	dir := filepath.Join(root, api)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("ORDERHUB_REQUIRE_REFERENCE") == "1" {
			t.Fatalf("API reference %s not found: set ORDERHUB_REFERENCE_DIR to the folder holding %s/", dir, api)
		}
		t.Skipf("API reference %s not found (set ORDERHUB_REFERENCE_DIR to the folder holding %s/)", dir, api)
	}
	return dir
}

// repositoryRoot is the nearest folder above the working directory holding go.mod.
func repositoryRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
}
