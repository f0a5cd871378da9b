package shopify

import (
	"encoding/base64"
	"sort"
	"strings"
)

// fieldFunc is a field that takes arguments (a nested connection, a sized list).
type fieldFunc func(args map[string]any) any

// fakeConn is one page of a connection, rendered as nodes, edges and pageInfo.
type fakeConn struct {
	items   []any
	cursors []string
	hasNext bool
	hasPrev bool
}

func (c fakeConn) render() map[string]any {
	edges := make([]any, len(c.items))
	for i, item := range c.items {
		edges[i] = map[string]any{"cursor": c.cursors[i], "node": item}
	}
	pageInfo := map[string]any{"hasNextPage": c.hasNext, "hasPreviousPage": c.hasPrev, "startCursor": nil, "endCursor": nil}
	if len(c.cursors) > 0 {
		pageInfo["startCursor"], pageInfo["endCursor"] = c.cursors[0], c.cursors[len(c.cursors)-1]
	}
	return map[string]any{"nodes": c.items, "edges": edges, "pageInfo": pageInfo}
}

// project keeps what the selection asks for, under its aliases.
func project(value any, selections []*gqlField, variables map[string]any) any {
	switch v := value.(type) {
	case fakeConn:
		return project(v.render(), selections, variables)
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = project(item, selections, variables)
		}
		return out
	case map[string]any:
		if len(selections) == 0 {
			return v
		}
		out := map[string]any{}
		for _, sel := range selections {
			if sel.Name == "__typename" {
				out[sel.key()] = v["__typename"]
				continue
			}
			field := v[sel.Name]
			if fn, ok := field.(fieldFunc); ok {
				field = fn(resolvedArgs(sel, variables))
			}
			out[sel.key()] = project(field, sel.Selections, variables)
		}
		return out
	}
	return value
}

// pageItem is one item of a sorted list with its sort key.
type pageItem struct {
	key  string
	node any
}

// paginate applies first/after/last/before/reverse to items sorted by key, as Shopify's
// cursors do: a cursor names a position in the sort order, so items that move (an order
// updated meanwhile) are found later instead of shifting the rest.
func paginate(items []pageItem, args map[string]any) fakeConn {
	sort.SliceStable(items, func(i, j int) bool { return items[i].key < items[j].key })
	if boolArg(args, "reverse") {
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
	}
	reverse := boolArg(args, "reverse")
	beyond := func(key, cursor string) bool {
		if reverse {
			return key < cursor
		}
		return key > cursor
	}
	start, end := 0, len(items)
	if after, ok := decodeCursor(stringArg(args, "after")); ok {
		for start < len(items) && !beyond(items[start].key, after) {
			start++
		}
	}
	if before, ok := decodeCursor(stringArg(args, "before")); ok {
		for end > start && !beyond(before, items[end-1].key) {
			end--
		}
	}
	conn := fakeConn{hasPrev: start > 0, hasNext: end < len(items)}
	if first, ok := intArg(args, "first"); ok && end-start > first {
		end, conn.hasNext = start+first, true
	}
	if last, ok := intArg(args, "last"); ok && end-start > last {
		start, conn.hasPrev = end-last, true
	}
	for _, item := range items[start:end] {
		conn.items = append(conn.items, item.node)
		conn.cursors = append(conn.cursors, base64.StdEncoding.EncodeToString([]byte(`{"last_key":"`+item.key+`"}`)))
	}
	return conn
}

func decodeCursor(cursor string) (string, bool) {
	if cursor == "" {
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(cursor)
	if err != nil {
		return "", false
	}
	key, ok := strings.CutPrefix(string(raw), `{"last_key":"`)
	if !ok {
		return "", false
	}
	return strings.TrimSuffix(key, `"}`), true
}

// sized returns a list field that honours a first argument.
func sized(items []any) fieldFunc {
	return func(args map[string]any) any {
		if n, ok := intArg(args, "first"); ok && n < len(items) {
			return items[:n]
		}
		return items
	}
}
