package shopify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// The fake reads the GraphQL documents it is sent with this small parser: one operation
// (query or mutation) with its variable definitions, and the selection sets with their
// arguments, enough to check variables as the schema types them, to compute query costs as
// Shopify does, and to answer only the fields asked for. Fragments are not supported.

type gqlToken struct {
	kind string // "name", "punct", "string", "number", "eof"
	text string
	line int
	col  int
}

type gqlLocation struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

func tokenize(src string) ([]gqlToken, error) {
	var tokens []gqlToken
	line, col := 1, 1
	runes := []rune(src)
	for i := 0; i < len(runes); {
		r := runes[i]
		start := gqlToken{line: line, col: col}
		advance := func(n int) {
			for k := 0; k < n; k++ {
				if runes[i] == '\n' {
					line, col = line+1, 1
				} else {
					col++
				}
				i++
			}
		}
		switch {
		case r == '#':
			for i < len(runes) && runes[i] != '\n' {
				advance(1)
			}
		case unicode.IsSpace(r) || r == ',' || r == '\ufeff':
			advance(1)
		case r == '.' && i+2 < len(runes) && runes[i+1] == '.' && runes[i+2] == '.':
			start.kind, start.text = "punct", "..."
			advance(3)
			tokens = append(tokens, start)
		case strings.ContainsRune("{}()[]:!$=@|&", r):
			start.kind, start.text = "punct", string(r)
			advance(1)
			tokens = append(tokens, start)
		case r == '"':
			advance(1)
			var b strings.Builder
			for {
				if i >= len(runes) || runes[i] == '\n' {
					return nil, fmt.Errorf("Parse error on bad Unicode escape sequence or unterminated string (STRING) at [%d, %d]", start.line, start.col)
				}
				if runes[i] == '"' {
					advance(1)
					break
				}
				if runes[i] == '\\' && i+1 < len(runes) {
					advance(1)
					switch runes[i] {
					case 'n':
						b.WriteRune('\n')
					case 't':
						b.WriteRune('\t')
					default:
						b.WriteRune(runes[i])
					}
					advance(1)
					continue
				}
				b.WriteRune(runes[i])
				advance(1)
			}
			start.kind, start.text = "string", b.String()
			tokens = append(tokens, start)
		case r == '-' || unicode.IsDigit(r):
			j := i + 1
			for j < len(runes) && (unicode.IsDigit(runes[j]) || strings.ContainsRune(".eE+-", runes[j])) {
				j++
			}
			start.kind, start.text = "number", string(runes[i:j])
			advance(j - i)
			tokens = append(tokens, start)
		case r == '_' || unicode.IsLetter(r):
			j := i + 1
			for j < len(runes) && (runes[j] == '_' || unicode.IsLetter(runes[j]) || unicode.IsDigit(runes[j])) {
				j++
			}
			start.kind, start.text = "name", string(runes[i:j])
			advance(j - i)
			tokens = append(tokens, start)
		default:
			return nil, fmt.Errorf("Parse error on %q (error) at [%d, %d]", string(r), line, col)
		}
	}
	return append(tokens, gqlToken{kind: "eof", line: line, col: col}), nil
}

// gqlVarRef is a $variable used as an argument value; gqlEnum an enum literal.
type gqlVarRef struct{ name string }
type gqlEnum struct{ value string }

type gqlVarDef struct {
	Name    string
	Type    string
	Default any
	HasDef  bool
	Loc     gqlLocation
	used    bool
}

type gqlField struct {
	Alias      string
	Name       string
	Args       map[string]any
	ArgOrder   []string
	Selections []*gqlField
	Loc        gqlLocation
}

func (f *gqlField) key() string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

type gqlOperation struct {
	Kind       string // query, mutation
	Name       string
	Vars       []*gqlVarDef
	Selections []*gqlField
	Loc        gqlLocation
}

type gqlParser struct {
	tokens []gqlToken
	pos    int
}

func (p *gqlParser) peek() gqlToken { return p.tokens[p.pos] }
func (p *gqlParser) next() gqlToken {
	t := p.tokens[p.pos]
	if t.kind != "eof" {
		p.pos++
	}
	return t
}

func (p *gqlParser) fail(t gqlToken) error {
	if t.kind == "eof" {
		return fmt.Errorf("Parse error on end of file (EOF) at [%d, %d]", t.line, t.col)
	}
	return fmt.Errorf("Parse error on %q (%s) at [%d, %d]", t.text, strings.ToUpper(t.kind), t.line, t.col)
}

func (p *gqlParser) expect(text string) error {
	t := p.next()
	if t.text != text || t.kind == "string" {
		return p.fail(t)
	}
	return nil
}

func parseDocument(src string) (*gqlOperation, error) {
	tokens, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &gqlParser{tokens: tokens}
	op := &gqlOperation{Kind: "query"}
	first := p.peek()
	op.Loc = gqlLocation{first.line, first.col}
	if first.kind == "name" {
		switch first.text {
		case "query", "mutation":
			op.Kind = p.next().text
		case "subscription", "fragment":
			return nil, fmt.Errorf("%s is not supported by the Admin API fake", first.text)
		default:
			return nil, p.fail(first)
		}
		if p.peek().kind == "name" {
			op.Name = p.next().text
		}
		if p.peek().text == "(" {
			p.next()
			for p.peek().text != ")" {
				def, err := p.varDef()
				if err != nil {
					return nil, err
				}
				op.Vars = append(op.Vars, def)
			}
			p.next()
		}
	}
	if op.Selections, err = p.selectionSet(); err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != "eof" {
		if t.text == "query" || t.text == "mutation" || t.text == "{" {
			return nil, fmt.Errorf("the Admin API fake takes one operation per document")
		}
		return nil, p.fail(t)
	}
	return op, nil
}

func (p *gqlParser) varDef() (*gqlVarDef, error) {
	t := p.next()
	if t.text != "$" {
		return nil, p.fail(t)
	}
	name := p.next()
	if name.kind != "name" {
		return nil, p.fail(name)
	}
	if err := p.expect(":"); err != nil {
		return nil, err
	}
	typ, err := p.typeRef()
	if err != nil {
		return nil, err
	}
	def := &gqlVarDef{Name: name.text, Type: typ, Loc: gqlLocation{t.line, t.col}}
	if p.peek().text == "=" {
		p.next()
		if def.Default, err = p.value(true); err != nil {
			return nil, err
		}
		def.HasDef = true
	}
	return def, nil
}

func (p *gqlParser) typeRef() (string, error) {
	t := p.next()
	var typ string
	switch {
	case t.text == "[":
		inner, err := p.typeRef()
		if err != nil {
			return "", err
		}
		if err := p.expect("]"); err != nil {
			return "", err
		}
		typ = "[" + inner + "]"
	case t.kind == "name":
		typ = t.text
	default:
		return "", p.fail(t)
	}
	if p.peek().text == "!" {
		p.next()
		typ += "!"
	}
	return typ, nil
}

func (p *gqlParser) selectionSet() ([]*gqlField, error) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	var fields []*gqlField
	for p.peek().text != "}" {
		t := p.next()
		if t.text == "..." {
			return nil, fmt.Errorf("fragments are not supported by the Admin API fake (at [%d, %d])", t.line, t.col)
		}
		if t.kind != "name" {
			return nil, p.fail(t)
		}
		field := &gqlField{Name: t.text, Args: map[string]any{}, Loc: gqlLocation{t.line, t.col}}
		if p.peek().text == ":" {
			p.next()
			name := p.next()
			if name.kind != "name" {
				return nil, p.fail(name)
			}
			field.Alias, field.Name = t.text, name.text
		}
		if p.peek().text == "(" {
			p.next()
			for p.peek().text != ")" {
				name := p.next()
				if name.kind != "name" {
					return nil, p.fail(name)
				}
				if err := p.expect(":"); err != nil {
					return nil, err
				}
				value, err := p.value(false)
				if err != nil {
					return nil, err
				}
				field.Args[name.text] = value
				field.ArgOrder = append(field.ArgOrder, name.text)
			}
			p.next()
		}
		if p.peek().text == "{" {
			var err error
			if field.Selections, err = p.selectionSet(); err != nil {
				return nil, err
			}
		}
		fields = append(fields, field)
	}
	p.next()
	return fields, nil
}

func (p *gqlParser) value(constant bool) (any, error) {
	t := p.next()
	switch {
	case t.text == "$" && t.kind == "punct" && !constant:
		name := p.next()
		if name.kind != "name" {
			return nil, p.fail(name)
		}
		return gqlVarRef{name.text}, nil
	case t.kind == "string":
		return t.text, nil
	case t.kind == "number":
		if n, err := strconv.ParseInt(t.text, 10, 64); err == nil {
			return json.Number(strconv.FormatInt(n, 10)), nil
		}
		if _, err := strconv.ParseFloat(t.text, 64); err == nil {
			return json.Number(t.text), nil
		}
		return nil, p.fail(t)
	case t.kind == "name":
		switch t.text {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		return gqlEnum{t.text}, nil
	case t.text == "[":
		list := []any{}
		for p.peek().text != "]" {
			v, err := p.value(constant)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		p.next()
		return list, nil
	case t.text == "{":
		obj := map[string]any{}
		for p.peek().text != "}" {
			name := p.next()
			if name.kind != "name" {
				return nil, p.fail(name)
			}
			if err := p.expect(":"); err != nil {
				return nil, err
			}
			v, err := p.value(constant)
			if err != nil {
				return nil, err
			}
			obj[name.text] = v
		}
		p.next()
		return obj, nil
	}
	return nil, p.fail(t)
}

// substitute replaces variable references in an argument value with the variables' values;
// enum literals become their names, as variables carry them.
func substitute(value any, variables map[string]any) any {
	switch v := value.(type) {
	case gqlVarRef:
		return variables[v.name]
	case gqlEnum:
		return v.value
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = substitute(item, variables)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, item := range v {
			out[k] = substitute(item, variables)
		}
		return out
	}
	return value
}

// varRefs lists the variables a value uses.
func varRefs(value any, into map[string]bool) {
	switch v := value.(type) {
	case gqlVarRef:
		into[v.name] = true
	case []any:
		for _, item := range v {
			varRefs(item, into)
		}
	case map[string]any:
		for _, item := range v {
			varRefs(item, into)
		}
	}
}
