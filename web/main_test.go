package web_test

import (
	"os"
	"testing"

	"github.com/orderhub/orderhub/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
