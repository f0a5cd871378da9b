package vendure

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// A small GraphQL front end for the fake: it parses an operation, validates it against the
// slice of Vendure's Admin schema in fake_schema.go (fields, arguments, variable types, input
// objects), coerces the variables, and projects resolver results onto the selection, so a
// query the real server would refuse is refused here too.

// gqlFailure is a request-level failure: Apollo answers it with HTTP 400.
type gqlFailure struct {
	code    string // GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT
	message string
}

func (e *gqlFailure) Error() string { return e.message }

func validationFailed(format string, args ...any) *gqlFailure {
	return &gqlFailure{code: "GRAPHQL_VALIDATION_FAILED", message: fmt.Sprintf(format, args...)}
}

type opDocument struct {
	operation  string // query or mutation
	varDefs    []varDef
	selections []*selection
}

type varDef struct {
	name, typ string
	def       any
	hasDef    bool
}

type selection struct {
	alias, name string
	args        []argument
	onType      string // inline fragment when name == ""
	selections  []*selection
}

type argument struct {
	name  string
	value any // literal values; varRef for variables; []any lists; objectLit objects
}

type varRef string

type enumLit string

type objectLit []argument

func (s *selection) key() string {
	if s.alias != "" {
		return s.alias
	}
	return s.name
}

// ---- lexing and parsing ----

type gqlParser struct {
	src  string
	pos  int
	tok  string // current token; "" at the end
	kind byte   // 'n' name, 'i' int, 'f' float, 's' string, 'p' punctuator
}

func parseOperation(src string) (doc *opDocument, err error) {
	p := &gqlParser{src: src}
	defer func() {
		if r := recover(); r != nil {
			failure, ok := r.(*gqlFailure)
			if !ok {
				panic(r)
			}
			doc, err = nil, failure
		}
	}()
	p.next()
	doc = &opDocument{operation: "query"}
	if p.kind == 'n' && (p.tok == "query" || p.tok == "mutation" || p.tok == "subscription") {
		doc.operation = p.tok
		p.next()
		if p.kind == 'n' {
			p.next() // operation name
		}
		if p.tok == "(" {
			doc.varDefs = p.parseVarDefs()
		}
	} else if p.kind == 'n' && p.tok == "fragment" {
		p.fail("the fake does not support named fragments")
	}
	doc.selections = p.parseSelectionSet()
	if p.tok != "" {
		p.fail(fmt.Sprintf("Syntax Error: Unexpected %s.", p.describe()))
	}
	return doc, nil
}

func (p *gqlParser) fail(message string) {
	panic(&gqlFailure{code: "GRAPHQL_PARSE_FAILED", message: message})
}

func (p *gqlParser) describe() string {
	if p.tok == "" {
		return "<EOF>"
	}
	if p.kind == 'n' {
		return "Name \"" + p.tok + "\""
	}
	return "\"" + p.tok + "\""
}

func (p *gqlParser) expect(tok string) {
	if p.tok != tok || p.kind == 's' {
		p.fail(fmt.Sprintf("Syntax Error: Expected \"%s\", found %s.", tok, p.describe()))
	}
	p.next()
}

func (p *gqlParser) name() string {
	if p.kind != 'n' {
		p.fail(fmt.Sprintf("Syntax Error: Expected Name, found %s.", p.describe()))
	}
	name := p.tok
	p.next()
	return name
}

func (p *gqlParser) next() {
	src := p.src
	for p.pos < len(src) {
		ch := src[p.pos]
		if ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == ',' || ch == 0xEF || ch == 0xBB || ch == 0xBF {
			p.pos++
			continue
		}
		if ch == '#' {
			for p.pos < len(src) && src[p.pos] != '\n' {
				p.pos++
			}
			continue
		}
		break
	}
	if p.pos >= len(src) {
		p.tok, p.kind = "", 0
		return
	}
	start := p.pos
	ch := src[p.pos]
	switch {
	case strings.HasPrefix(src[p.pos:], "..."):
		p.pos += 3
		p.tok, p.kind = "...", 'p'
	case strings.ContainsRune("{}()[]:!$=@|&", rune(ch)):
		p.pos++
		p.tok, p.kind = string(ch), 'p'
	case ch == '_' || ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z':
		for p.pos < len(src) && (src[p.pos] == '_' || src[p.pos] >= 'A' && src[p.pos] <= 'Z' || src[p.pos] >= 'a' && src[p.pos] <= 'z' || src[p.pos] >= '0' && src[p.pos] <= '9') {
			p.pos++
		}
		p.tok, p.kind = src[start:p.pos], 'n'
	case ch == '-' || ch >= '0' && ch <= '9':
		p.pos++
		p.kind = 'i'
		for p.pos < len(src) && (src[p.pos] >= '0' && src[p.pos] <= '9' || strings.ContainsRune(".eE+-", rune(src[p.pos]))) {
			if !(src[p.pos] >= '0' && src[p.pos] <= '9') {
				p.kind = 'f'
			}
			p.pos++
		}
		p.tok = src[start:p.pos]
	case strings.HasPrefix(src[p.pos:], `"""`):
		end := strings.Index(src[p.pos+3:], `"""`)
		if end < 0 {
			p.fail("Syntax Error: Unterminated string.")
		}
		p.tok, p.kind = strings.TrimSpace(src[p.pos+3:p.pos+3+end]), 's'
		p.pos += end + 6
	case ch == '"':
		p.pos++
		var b strings.Builder
		for {
			if p.pos >= len(src) || src[p.pos] == '\n' {
				p.fail("Syntax Error: Unterminated string.")
			}
			c := src[p.pos]
			if c == '"' {
				p.pos++
				break
			}
			if c == '\\' && p.pos+1 < len(src) {
				p.pos++
				switch e := src[p.pos]; e {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'r':
					b.WriteByte('\r')
				case 'b':
					b.WriteByte('\b')
				case 'f':
					b.WriteByte('\f')
				case 'u':
					if p.pos+4 < len(src) {
						if r, err := strconv.ParseUint(src[p.pos+1:p.pos+5], 16, 32); err == nil {
							b.WriteRune(rune(r))
							p.pos += 4
						}
					}
				default:
					b.WriteByte(e)
				}
				p.pos++
				continue
			}
			b.WriteByte(c)
			p.pos++
		}
		p.tok, p.kind = b.String(), 's'
	default:
		p.fail(fmt.Sprintf("Syntax Error: Unexpected character: %q.", ch))
	}
}

func (p *gqlParser) parseVarDefs() []varDef {
	p.expect("(")
	var defs []varDef
	for p.tok != ")" {
		p.expect("$")
		def := varDef{name: p.name()}
		p.expect(":")
		def.typ = p.parseType()
		if p.tok == "=" {
			p.next()
			def.def, def.hasDef = p.parseValue(true), true
		}
		defs = append(defs, def)
		if p.tok == "" {
			p.fail("Syntax Error: Expected \")\", found <EOF>.")
		}
	}
	p.next()
	return defs
}

func (p *gqlParser) parseType() string {
	var typ string
	if p.tok == "[" && p.kind == 'p' {
		p.next()
		inner := p.parseType()
		p.expect("]")
		typ = "[" + inner + "]"
	} else {
		typ = p.name()
	}
	if p.tok == "!" && p.kind == 'p' {
		p.next()
		typ += "!"
	}
	return typ
}

func (p *gqlParser) parseSelectionSet() []*selection {
	p.expect("{")
	var selections []*selection
	for !(p.tok == "}" && p.kind == 'p') {
		if p.tok == "" {
			p.fail("Syntax Error: Expected Name, found <EOF>.")
		}
		if p.tok == "..." && p.kind == 'p' {
			p.next()
			if p.tok != "on" {
				p.fail("the fake does not support named fragment spreads")
			}
			p.next()
			sel := &selection{onType: p.name()}
			sel.selections = p.parseSelectionSet()
			selections = append(selections, sel)
			continue
		}
		sel := &selection{name: p.name()}
		if p.tok == ":" && p.kind == 'p' {
			p.next()
			sel.alias, sel.name = sel.name, p.name()
		}
		if p.tok == "(" && p.kind == 'p' {
			p.next()
			for !(p.tok == ")" && p.kind == 'p') {
				arg := argument{name: p.name()}
				p.expect(":")
				arg.value = p.parseValue(false)
				sel.args = append(sel.args, arg)
				if p.tok == "" {
					p.fail("Syntax Error: Expected Name, found <EOF>.")
				}
			}
			p.next()
		}
		if p.tok == "@" && p.kind == 'p' {
			p.fail("the fake does not support directives")
		}
		if p.tok == "{" && p.kind == 'p' {
			sel.selections = p.parseSelectionSet()
		}
		selections = append(selections, sel)
	}
	p.next()
	if len(selections) == 0 {
		p.fail("Syntax Error: Expected Name, found \"}\".")
	}
	return selections
}

func (p *gqlParser) parseValue(constant bool) any {
	switch p.kind {
	case 'i':
		n, err := strconv.ParseInt(p.tok, 10, 64)
		if err != nil {
			p.fail("Syntax Error: Invalid number " + p.tok + ".")
		}
		p.next()
		return n
	case 'f':
		f, err := strconv.ParseFloat(p.tok, 64)
		if err != nil {
			p.fail("Syntax Error: Invalid number " + p.tok + ".")
		}
		p.next()
		return f
	case 's':
		s := p.tok
		p.next()
		return s
	case 'n':
		name := p.tok
		p.next()
		switch name {
		case "true":
			return true
		case "false":
			return false
		case "null":
			return nil
		}
		return enumLit(name)
	}
	switch p.tok {
	case "$":
		if constant {
			p.fail("Syntax Error: Unexpected variable in a constant value.")
		}
		p.next()
		return varRef(p.name())
	case "[":
		p.next()
		list := []any{}
		for !(p.tok == "]" && p.kind == 'p') {
			if p.tok == "" {
				p.fail("Syntax Error: Expected \"]\", found <EOF>.")
			}
			list = append(list, p.parseValue(constant))
		}
		p.next()
		return list
	case "{":
		p.next()
		object := objectLit{}
		for !(p.tok == "}" && p.kind == 'p') {
			field := argument{name: p.name()}
			p.expect(":")
			field.value = p.parseValue(constant)
			object = append(object, field)
		}
		p.next()
		return object
	}
	p.fail(fmt.Sprintf("Syntax Error: Unexpected %s.", p.describe()))
	return nil
}

// ---- types ----

func namedType(typ string) string { return strings.Trim(typ, "[]!") }

func nonNull(typ string) bool { return strings.HasSuffix(typ, "!") }

func nullable(typ string) string { return strings.TrimSuffix(typ, "!") }

func isList(typ string) bool { return strings.HasPrefix(nullable(typ), "[") }

func listItem(typ string) string {
	inner := nullable(typ)
	return inner[1 : len(inner)-1]
}

// varFits: a variable of type varType may be used where typ is expected.
func varFits(varType, typ string, hasDefault bool) bool {
	if varType == typ {
		return true
	}
	if nonNull(varType) && !nonNull(typ) {
		return varFits(nullable(varType), typ, false)
	}
	if !nonNull(varType) && nonNull(typ) && hasDefault {
		return varFits(varType, nullable(typ), false)
	}
	if isList(varType) && isList(typ) && nonNull(varType) == nonNull(typ) {
		return varFits(listItem(varType), listItem(typ), false)
	}
	return false
}

// ---- validation ----

type validator struct {
	doc     *opDocument
	vars    map[string]varDef
	used    map[string]bool
	failure *gqlFailure
}

func validateOperation(doc *opDocument) *gqlFailure {
	v := &validator{doc: doc, vars: map[string]varDef{}, used: map[string]bool{}}
	for _, def := range doc.varDefs {
		if _, dup := v.vars[def.name]; dup {
			return validationFailed("There can be only one variable named \"$%s\".", def.name)
		}
		if !isInputType(namedType(def.typ)) {
			return validationFailed("Variable \"$%s\" cannot be non-input type \"%s\".", def.name, def.typ)
		}
		v.vars[def.name] = def
	}
	root := "Query"
	switch doc.operation {
	case "mutation":
		root = "Mutation"
	case "subscription":
		return validationFailed("Schema is not configured to execute subscription operation.")
	}
	v.selectionSet(root, doc.selections)
	if v.failure != nil {
		return v.failure
	}
	for _, def := range doc.varDefs {
		if !v.used[def.name] {
			return validationFailed("Variable \"$%s\" is never used.", def.name)
		}
	}
	return nil
}

func (v *validator) fail(format string, args ...any) {
	if v.failure == nil {
		v.failure = validationFailed(format, args...)
	}
}

func (v *validator) selectionSet(typeName string, selections []*selection) {
	for _, sel := range selections {
		if sel.name == "" {
			if _, known := schemaObjects[sel.onType]; !known && schemaUnions[sel.onType] == nil {
				v.fail("Unknown type \"%s\".", sel.onType)
				continue
			}
			if !overlaps(typeName, sel.onType) {
				v.fail("Fragment cannot be spread here as objects of type \"%s\" can never be of type \"%s\".", typeName, sel.onType)
				continue
			}
			v.selectionSet(sel.onType, sel.selections)
			continue
		}
		if sel.name == "__typename" {
			continue
		}
		fields := schemaObjects[typeName]
		field, ok := fields[sel.name]
		if !ok {
			v.fail("Cannot query field \"%s\" on type \"%s\".%s", sel.name, typeName, fieldSuggestion(typeName, sel.name))
			continue
		}
		for _, arg := range sel.args {
			argType, known := field.args[arg.name]
			if !known {
				v.fail("Unknown argument \"%s\" on field \"%s.%s\".", arg.name, typeName, sel.name)
				continue
			}
			v.value(arg.value, argType)
		}
		for name, argType := range field.args {
			if nonNull(argType) && !hasArg(sel.args, name) {
				v.fail("Field \"%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.", sel.name, name, argType)
			}
		}
		named := namedType(field.typ)
		_, composite := schemaObjects[named]
		composite = composite || schemaUnions[named] != nil
		switch {
		case composite && len(sel.selections) == 0:
			v.fail("Field \"%s\" of type \"%s\" must have a selection of subfields. Did you mean \"%s { ... }\"?", sel.name, field.typ, sel.name)
		case !composite && len(sel.selections) > 0:
			v.fail("Field \"%s\" must not have a selection since type \"%s\" has no subfields.", sel.name, field.typ)
		case composite:
			v.selectionSet(named, sel.selections)
		}
	}
}

func hasArg(args []argument, name string) bool {
	for _, arg := range args {
		if arg.name == name {
			return true
		}
	}
	return false
}

// overlaps: an object of type a may also be of type b (same type, or related through a
// union or the ErrorResult interface).
func overlaps(a, b string) bool {
	possible := func(t string) []string {
		if members := schemaUnions[t]; members != nil {
			return members
		}
		return []string{t}
	}
	for _, x := range possible(a) {
		for _, y := range possible(b) {
			if x == y {
				return true
			}
		}
	}
	return false
}

// value checks a literal (or variable) against the type expected where it stands.
func (v *validator) value(value any, typ string) {
	if ref, ok := value.(varRef); ok {
		def, defined := v.vars[string(ref)]
		if !defined {
			v.fail("Variable \"$%s\" is not defined.", ref)
			return
		}
		v.used[string(ref)] = true
		if !varFits(def.typ, typ, def.hasDef) {
			v.fail("Variable \"$%s\" of type \"%s\" used in position expecting type \"%s\".", ref, def.typ, typ)
		}
		return
	}
	if _, err := coerceLiteral(value, typ, v); err != "" {
		v.fail("%s", err)
	}
}

// ---- coercion ----

// coerceLiteral turns a parsed value into a Go value of typ; variables inside literals are
// checked by the validator (v) and substituted later. It returns a message when it does not fit.
func coerceLiteral(value any, typ string, v *validator) (any, string) {
	if ref, ok := value.(varRef); ok {
		if v != nil {
			v.value(ref, typ)
		}
		return ref, ""
	}
	if value == nil {
		if nonNull(typ) {
			return nil, fmt.Sprintf("Expected value of type \"%s\", found null.", typ)
		}
		return nil, ""
	}
	if isList(typ) {
		item := listItem(typ)
		list, ok := value.([]any)
		if !ok {
			list = []any{value} // a single value stands for a list of one
		}
		out := make([]any, 0, len(list))
		for _, element := range list {
			coerced, err := coerceLiteral(element, item, v)
			if err != "" {
				return nil, err
			}
			out = append(out, coerced)
		}
		return out, ""
	}
	named := namedType(typ)
	if fields, ok := schemaInputs[named]; ok {
		object, ok := value.(objectLit)
		if !ok {
			return nil, fmt.Sprintf("Expected value of type \"%s\", found %s.", typ, printLiteral(value))
		}
		for _, name := range schemaInputOrder[named] {
			if nonNull(fields[name]) && !hasArg([]argument(object), name) {
				return nil, fmt.Sprintf("Field \"%s.%s\" of required type \"%s\" was not provided.", named, name, fields[name])
			}
		}
		out := map[string]any{}
		for _, field := range object {
			fieldType, known := fields[field.name]
			if !known {
				return nil, fmt.Sprintf("Field \"%s\" is not defined by type \"%s\".", field.name, named)
			}
			coerced, err := coerceLiteral(field.value, fieldType, v)
			if err != "" {
				return nil, err
			}
			out[field.name] = coerced
		}
		return out, ""
	}
	if values, ok := schemaEnums[named]; ok {
		enum, isEnum := value.(enumLit)
		if !isEnum || !contains(values, string(enum)) {
			return nil, fmt.Sprintf("Value %s does not exist in \"%s\" enum.", printLiteral(value), named)
		}
		return string(enum), ""
	}
	if _, isEnum := value.(enumLit); isEnum && named != "JSON" {
		return nil, fmt.Sprintf("%s cannot represent a non %s value: %s", named, strings.ToLower(named), printLiteral(value))
	}
	return coerceScalar(literalToJSON(value), named)
}

// literalToJSON converts a parsed literal into the shape a JSON variable would have.
func literalToJSON(value any) any {
	switch x := value.(type) {
	case int64:
		return float64(x)
	case enumLit:
		return string(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = literalToJSON(e)
		}
		return out
	case objectLit:
		out := map[string]any{}
		for _, field := range x {
			out[field.name] = literalToJSON(field.value)
		}
		return out
	}
	return value
}

func printLiteral(value any) string {
	switch x := value.(type) {
	case string:
		return strconv.Quote(x)
	case enumLit:
		return string(x)
	case objectLit:
		return "{...}"
	}
	return fmt.Sprint(value)
}

// coerceScalar checks a JSON value against a scalar type, as graphql-js does for variables.
func coerceScalar(value any, named string) (any, string) {
	switch named {
	case "ID":
		switch x := value.(type) {
		case string:
			return x, ""
		case float64:
			if x == math.Trunc(x) {
				return strconv.FormatInt(int64(x), 10), ""
			}
		}
		return nil, fmt.Sprintf("ID cannot represent value: %s", printJSON(value))
	case "String", "DateTime":
		if x, ok := value.(string); ok {
			return x, ""
		}
		return nil, fmt.Sprintf("%s cannot represent a non string value: %s", named, printJSON(value))
	case "Int", "Money":
		if x, ok := value.(float64); ok && x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			if named == "Int" && math.Abs(x) > math.MaxInt32 {
				return nil, fmt.Sprintf("Int cannot represent non 32-bit signed integer value: %s", printJSON(value))
			}
			return int64(x), ""
		}
		return nil, fmt.Sprintf("%s cannot represent non-integer value: %s", named, printJSON(value))
	case "Float":
		if x, ok := value.(float64); ok {
			return x, ""
		}
		return nil, fmt.Sprintf("Float cannot represent non numeric value: %s", printJSON(value))
	case "Boolean":
		if x, ok := value.(bool); ok {
			return x, ""
		}
		return nil, fmt.Sprintf("Boolean cannot represent a non boolean value: %s", printJSON(value))
	case "JSON":
		return value, ""
	}
	return nil, fmt.Sprintf("Unknown type \"%s\".", named)
}

func printJSON(value any) string {
	switch x := value.(type) {
	case string:
		return strconv.Quote(x)
	case nil:
		return "null"
	case map[string]any:
		return "{...}"
	case []any:
		return "[...]"
	}
	return fmt.Sprint(value)
}

// coercionError is graphql-js's report of a variable value that does not fit its type: the
// value at fault, where it sits inside the variable, and why.
type coercionError struct {
	path    string // ".quantity", "[0]"; "" for the variable itself
	value   any
	message string
}

// coerceVariable checks a variable's JSON value against its declared type, in the order
// graphql-js does: the type's fields in definition order (missing required ones first), then
// the fields the type does not define.
func coerceVariable(value any, typ, path string) (any, *coercionError) {
	if value == nil {
		if nonNull(typ) {
			return nil, &coercionError{path, value, fmt.Sprintf("Expected non-nullable type \"%s\" not to be null.", typ)}
		}
		return nil, nil
	}
	if isList(typ) {
		list, ok := value.([]any)
		if !ok {
			list = []any{value} // a single value stands for a list of one
		}
		out := make([]any, 0, len(list))
		for i, element := range list {
			coerced, err := coerceVariable(element, listItem(typ), fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out = append(out, coerced)
		}
		return out, nil
	}
	named := namedType(typ)
	if fields, ok := schemaInputs[named]; ok {
		object, ok := value.(orderedObject)
		if !ok {
			return nil, &coercionError{path, value, fmt.Sprintf("Expected type \"%s\" to be an object.", named)}
		}
		out := map[string]any{}
		for _, name := range schemaInputOrder[named] {
			fieldValue, given := object.get(name)
			if !given {
				if nonNull(fields[name]) {
					return nil, &coercionError{path, value, fmt.Sprintf("Field \"%s\" of required type \"%s\" was not provided.", name, fields[name])}
				}
				continue
			}
			coerced, err := coerceVariable(fieldValue, fields[name], path+"."+name)
			if err != nil {
				return nil, err
			}
			out[name] = coerced
		}
		for _, field := range object {
			if _, known := fields[field.key]; !known {
				return nil, &coercionError{path, value, fmt.Sprintf("Field \"%s\" is not defined by type \"%s\".", field.key, named)}
			}
		}
		return out, nil
	}
	if values, ok := schemaEnums[named]; ok {
		text, isText := value.(string)
		if !isText || !contains(values, text) {
			return nil, &coercionError{path, value, fmt.Sprintf("Value %s does not exist in \"%s\" enum.", inspect(value), named)}
		}
		return text, nil
	}
	if named == "JSON" {
		return plainJSON(value), nil
	}
	coerced, problem := coerceScalar(value, named)
	if problem != "" {
		return nil, &coercionError{path, value, problem}
	}
	return coerced, nil
}

// orderedObject is a JSON object with its keys in the order they were sent, which graphql-js
// keeps when it prints a value in an error.
type orderedObject []orderedField

type orderedField struct {
	key   string
	value any
}

func (o orderedObject) get(key string) (any, bool) {
	for _, field := range o {
		if field.key == key {
			return field.value, true
		}
	}
	return nil, false
}

// decodeOrdered reads JSON keeping object keys in order; numbers become float64.
func decodeOrdered(dec *json.Decoder) (any, error) {
	token, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := token.(type) {
	case json.Delim:
		switch t {
		case '{':
			object := orderedObject{}
			for dec.More() {
				keyToken, err := dec.Token()
				if err != nil {
					return nil, err
				}
				value, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				object = append(object, orderedField{keyToken.(string), value})
			}
			_, err := dec.Token()
			return object, err
		case '[':
			list := []any{}
			for dec.More() {
				value, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, value)
			}
			_, err := dec.Token()
			return list, err
		}
	}
	return token, nil
}

// plainJSON turns ordered objects back into maps, for JSON scalars.
func plainJSON(value any) any {
	switch x := value.(type) {
	case orderedObject:
		out := map[string]any{}
		for _, field := range x {
			out[field.key] = plainJSON(field.value)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainJSON(e)
		}
		return out
	}
	return value
}

// inspect prints a value as graphql-js's inspect() does in error messages.
func inspect(value any) string {
	switch x := value.(type) {
	case nil:
		return "null"
	case string:
		encoded, _ := json.Marshal(x)
		return string(encoded)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case orderedObject:
		if len(x) == 0 {
			return "{}"
		}
		parts := make([]string, len(x))
		for i, field := range x {
			parts[i] = field.key + ": " + inspect(field.value)
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = inspect(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(value)
}

// resolveArgs substitutes the coerced variables into a field's arguments.
func resolveArgs(args []argument, argTypes map[string]string, vars map[string]any) map[string]any {
	out := map[string]any{}
	for _, arg := range args {
		coerced, _ := coerceLiteral(arg.value, argTypes[arg.name], nil)
		out[arg.name] = substitute(coerced, vars)
	}
	return out
}

func substitute(value any, vars map[string]any) any {
	switch x := value.(type) {
	case varRef:
		return vars[string(x)]
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = substitute(e, vars)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if ref, isRef := e.(varRef); isRef {
				if _, given := vars[string(ref)]; !given {
					continue // an absent variable leaves the field out
				}
			}
			out[k] = substitute(e, vars)
		}
		return out
	}
	return value
}

// ---- execution ----

// object is a resolved output object; "__typename" names its type.
type object map[string]any

// project keeps what the selection asks for, under aliases and in the selection's order, as
// GraphQL answers.
func project(value any, selections []*selection) any {
	switch x := value.(type) {
	case nil:
		return nil
	case []object:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = project(e, selections)
		}
		return out
	case object:
		out := &orderedOutput{values: map[string]any{}}
		projectInto(out, x, selections)
		return out
	}
	return value
}

func projectInto(out *orderedOutput, obj object, selections []*selection) {
	typeName, _ := obj["__typename"].(string)
	for _, sel := range selections {
		if sel.name == "" {
			if overlaps(typeName, sel.onType) {
				projectInto(out, obj, sel.selections)
			}
			continue
		}
		out.set(sel.key(), project(obj[sel.name], sel.selections))
	}
}

// orderedOutput is an answer object that keeps its keys in selection order.
type orderedOutput struct {
	keys   []string
	values map[string]any
}

func (o *orderedOutput) set(key string, value any) {
	if _, seen := o.values[key]; !seen {
		o.keys = append(o.keys, key)
	}
	o.values[key] = value
}

func (o *orderedOutput) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, key := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		encodedKey, _ := json.Marshal(key)
		encodedValue, err := json.Marshal(o.values[key])
		if err != nil {
			return nil, err
		}
		b.Write(encodedKey)
		b.WriteByte(':')
		b.Write(encodedValue)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

func contains(values []string, value string) bool {
	for _, v := range values {
		if v == value {
			return true
		}
	}
	return false
}

// fieldSuggestion is graphql-js's "Did you mean" hint for an unknown field: on a union, the
// types (interfaces first) that have the field; on an object, the fields spelled alike.
func fieldSuggestion(typeName, field string) string {
	if members := schemaUnions[typeName]; members != nil {
		usage := map[string]int{}
		var names []string
		for _, member := range members {
			if _, has := schemaObjects[member][field]; !has {
				continue
			}
			names = append(names, member)
			usage[member] = 1
			for _, iface := range schemaInterfaces[member] {
				if _, has := schemaObjects[iface][field]; has {
					if usage[iface] == 0 {
						names = append(names, iface)
					}
					usage[iface]++
				}
			}
		}
		sort.SliceStable(names, func(i, j int) bool {
			if usage[names[i]] != usage[names[j]] {
				return usage[names[i]] > usage[names[j]]
			}
			return names[i] < names[j]
		})
		return didYouMean("to use an inline fragment on ", names)
	}
	var candidates []string
	for name := range schemaObjects[typeName] {
		candidates = append(candidates, name)
	}
	return didYouMean("", suggestionList(field, candidates))
}

func didYouMean(sub string, suggestions []string) string {
	if len(suggestions) == 0 {
		return ""
	}
	if len(suggestions) > 5 {
		suggestions = suggestions[:5]
	}
	quoted := make([]string, len(suggestions))
	for i, s := range suggestions {
		quoted[i] = "\"" + s + "\""
	}
	var list string
	switch len(quoted) {
	case 1:
		list = quoted[0]
	case 2:
		list = quoted[0] + " or " + quoted[1]
	default:
		list = strings.Join(quoted[:len(quoted)-1], ", ") + ", or " + quoted[len(quoted)-1]
	}
	return " Did you mean " + sub + list + "?"
}

// suggestionList orders the options close enough to input, as graphql-js does.
func suggestionList(input string, options []string) []string {
	threshold := len(input)*4/10 + 1
	distances := map[string]int{}
	var found []string
	for _, option := range options {
		if d, ok := lexicalDistance(input, option, threshold); ok {
			distances[option] = d
			found = append(found, option)
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if distances[found[i]] != distances[found[j]] {
			return distances[found[i]] < distances[found[j]]
		}
		return found[i] < found[j]
	})
	return found
}

// lexicalDistance is the Damerau-Levenshtein distance of the lower-cased words (1 when they
// differ in case only), if it is within threshold.
func lexicalDistance(a, b string, threshold int) (int, bool) {
	if a == b {
		return 0, true
	}
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la == lb {
		return 1, true
	}
	if len(la) < len(lb) {
		la, lb = lb, la
	}
	if len(la)-len(lb) > threshold {
		return 0, false
	}
	rows := make([][]int, len(la)+1)
	for i := range rows {
		rows[i] = make([]int, len(lb)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(la); i++ {
		smallest := rows[i][0]
		for j := 1; j <= len(lb); j++ {
			cost := 1
			if la[i-1] == lb[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && la[i-1] == lb[j-2] && la[i-2] == lb[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
			smallest = min(smallest, d)
		}
		if smallest > threshold {
			return 0, false
		}
	}
	d := rows[len(la)][len(lb)]
	return d, d <= threshold
}
