package models

import (
	"fmt"
	"log/slog"
)

// slogWriter routes GORM's warnings (slow queries, errors) to the process logger.
type slogWriter struct{}

func (slogWriter) Printf(format string, args ...any) {
	slog.Warn("database", "message", fmt.Sprintf(format, args...))
}
