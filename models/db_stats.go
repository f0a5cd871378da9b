package models

import (
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// statements counts the SQL statements this process sent to PostgreSQL (BEGIN and COMMIT
// included), for the metrics and the benchmark's statements-per-order figure.
var statements atomic.Uint64

// Statements returns how many SQL statements this process has sent to PostgreSQL.
func Statements() uint64 { return statements.Load() }

// statementCounter is a pgx tracer that counts statements, single or batched.
type statementCounter struct{}

func (statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	statements.Add(1)
	return ctx
}

func (statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (statementCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (statementCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	statements.Add(1)
}

func (statementCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}
