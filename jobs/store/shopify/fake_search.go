package shopify

import (
	"strconv"
	"strings"
	"time"
)

// Shopify's search syntax, as far as the fake reads it: terms field:value with the
// comparators :> :>= :< :<=, values quoted with ' or ", a leading - or NOT to negate, AND
// (also implied between terms) binding tighter than OR. Parentheses are not supported. A
// field the resource does not know is ignored and reported in extensions.search, as Shopify
// does.

type searchTerm struct {
	field, op, value string
	negate           bool
}

// searchQuery is an OR of ANDs.
type searchQuery [][]searchTerm

func parseSearch(query string) searchQuery {
	var words []string
	var current strings.Builder
	quote := rune(0)
	for _, r := range query {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				current.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote = r
		case r == ' ' || r == '\t' || r == '\n':
			if current.Len() > 0 {
				words = append(words, current.String())
				current.Reset()
			}
		default:
			current.WriteRune(r)
		}
	}
	if current.Len() > 0 {
		words = append(words, current.String())
	}
	result := searchQuery{nil}
	negateNext := false
	for _, word := range words {
		switch word {
		case "AND":
			continue
		case "OR":
			result = append(result, nil)
			continue
		case "NOT":
			negateNext = true
			continue
		}
		term := searchTerm{negate: negateNext}
		negateNext = false
		if strings.HasPrefix(word, "-") {
			term.negate, word = true, word[1:]
		}
		if field, rest, ok := strings.Cut(word, ":"); ok {
			term.field = field
			for _, op := range []string{">=", "<=", ">", "<"} {
				if strings.HasPrefix(rest, op) {
					term.op, rest = op, rest[len(op):]
					break
				}
			}
			term.value = rest
		} else {
			term.value = word
		}
		result[len(result)-1] = append(result[len(result)-1], term)
	}
	return result
}

// matches evaluates the query; check answers one term, known=false for an unknown field.
func (q searchQuery) matches(check func(t searchTerm) (match, known bool), unknown func(field string)) bool {
	for _, group := range q {
		all := true
		for _, term := range group {
			ok, known := check(term)
			if !known {
				unknown(term.field)
				continue
			}
			if ok == term.negate {
				all = false
			}
		}
		if all {
			return true
		}
	}
	return false
}

func compareTime(t time.Time, op, value string) bool {
	var want time.Time
	var err error
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if want, err = time.Parse(layout, value); err == nil {
			break
		}
	}
	if err != nil {
		return false
	}
	return compareInts(t.Unix(), op, want.Unix())
}

func compareInts(got int64, op string, want int64) bool {
	switch op {
	case ">":
		return got > want
	case ">=":
		return got >= want
	case "<":
		return got < want
	case "<=":
		return got <= want
	}
	return got == want
}

func compareID(id int64, op, value string) bool {
	want, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		if parsed, ok := parseGID(value, "Order"); ok {
			want = parsed
		} else if parsed, ok := parseGID(value, "ProductVariant"); ok {
			want = parsed
		} else {
			return false
		}
	}
	return compareInts(id, op, want)
}

// recordSearchWarning notes an unknown search field for the answer's extensions. Callers
// hold f.mu.
func (f *Fake) recordSearchWarning(path, query, field string) {
	for _, w := range f.searchWarnings {
		if w["query"] == query {
			return
		}
	}
	f.searchWarnings = append(f.searchWarnings, map[string]any{
		"path":     []any{path},
		"query":    query,
		"warnings": []any{map[string]any{"field": field, "message": "Invalid search field for this query."}},
	})
}

func (f *Fake) takeSearchWarnings() []map[string]any {
	warnings := f.searchWarnings
	f.searchWarnings = nil
	return warnings
}
