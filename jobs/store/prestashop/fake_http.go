package prestashop

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

type fakeError struct {
	status  int
	code    int
	message string
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	asJSON := strings.EqualFold(query.Get("output_format"), "JSON") || strings.EqualFold(r.Header.Get("Output-Format"), "JSON")
	w.Header().Set("X-Powered-By", "PrestaShop Webservice")
	if e := f.authenticate(r); e != nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."`)
		writeFakeError(w, asJSON, *e)
		return
	}
	w.Header().Set("PSWS-Version", "8.1.7")
	segments := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/api"), "/"), "/")
	if !strings.HasPrefix(r.URL.Path, "/api") || len(segments) > 2 {
		writeFakeError(w, asJSON, fakeError{http.StatusNotFound, 0, "Not Found"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	table, ok := f.tables[segments[0]]
	if !ok {
		writeFakeError(w, asJSON, fakeError{http.StatusBadRequest, 27, fmt.Sprintf("Resource of type %q does not exists", segments[0])})
		return
	}
	var body []byte
	var e *fakeError
	status := http.StatusOK
	switch {
	case r.Method == http.MethodGet && len(segments) == 1:
		body, e = f.list(table, segments[0], query, asJSON)
	case r.Method == http.MethodGet:
		body, e = f.one(table, segments[1], query, asJSON)
	case r.Method == http.MethodPost && len(segments) == 1:
		var created *fakeRow
		if created, e = f.post(table, segments[0], r); e == nil {
			body, status = f.render(table, table.singular, []*fakeRow{created}, nil, asJSON, true), http.StatusCreated
		}
	default:
		e = &fakeError{http.StatusMethodNotAllowed, 101, fmt.Sprintf("Method %s is not allowed for the resource %s in this fake", r.Method, segments[0])}
	}
	if e != nil {
		writeFakeError(w, asJSON, *e)
		return
	}
	if asJSON {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	}
	w.WriteHeader(status)
	w.Write(body)
}

// authenticate checks the key as PrestaShop does: Basic user (empty password) or ws_key,
// 32 characters, known and active.
func (f *Fake) authenticate(r *http.Request) *fakeError {
	key, _, ok := r.BasicAuth()
	if !ok {
		key = r.URL.Query().Get("ws_key")
	}
	key = strings.TrimSpace(key)
	switch {
	case key == "":
		return &fakeError{http.StatusUnauthorized, 17, "Authentication key is empty"}
	case len(key) != 32:
		return &fakeError{http.StatusUnauthorized, 18, "Invalid authentication key format"}
	case key != f.key:
		return &fakeError{http.StatusUnauthorized, 20, "Authentification key is not active"}
	}
	return nil
}

func writeFakeError(w http.ResponseWriter, asJSON bool, e fakeError) {
	if asJSON {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(e.status)
		json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"code": e.code, "message": e.message}}})
		return
	}
	w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	w.WriteHeader(e.status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<errors>\n<error>\n<code><![CDATA[%d]]></code>\n<message><![CDATA[%s]]></message>\n</error>\n</errors>\n</prestashop>\n", e.code, e.message)
}

func (f *Fake) one(table *fakeTable, id string, query map[string][]string, asJSON bool) ([]byte, *fakeError) {
	n, err := strconv.ParseInt(id, 10, 64)
	r, ok := table.rows[n]
	if err != nil || !ok {
		return nil, &fakeError{http.StatusNotFound, 87, "Id(s) not exists: " + id}
	}
	fields, e := displayFields(table, first(query["display"]), true)
	if e != nil {
		return nil, e
	}
	return f.render(table, table.singular, []*fakeRow{r}, fields, asJSON, true), nil
}

func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

// displayFields reads display: absent lists ids only (a single resource shows everything),
// full shows everything, [a,b] those fields.
func displayFields(table *fakeTable, display string, single bool) ([]string, *fakeError) {
	switch {
	case display == "" && single, display == "full":
		return nil, nil
	case display == "":
		return []string{"id"}, nil
	}
	if !strings.HasPrefix(display, "[") || !strings.HasSuffix(display, "]") {
		return nil, &fakeError{http.StatusBadRequest, 36, "The 'display' syntax is wrong. You can set 'full' or '[field_1,field_2,field_3,...]'. These are available: " + strings.Join(table.fields, ", ")}
	}
	fields := strings.Split(strings.Trim(display, "[]"), ",")
	for _, field := range fields {
		if !table.has(strings.TrimSpace(field)) {
			return nil, &fakeError{http.StatusBadRequest, 35, fmt.Sprintf("Unable to display this field %q. However, these are available: %s", field, strings.Join(table.fields, ", "))}
		}
	}
	return fields, nil
}

var fakeFilterPattern = regexp.MustCompile(`^([%<>]?)\[(.*)\](%?)$`)

func (f *Fake) list(table *fakeTable, resource string, query map[string][]string, asJSON bool) ([]byte, *fakeError) {
	fields, e := displayFields(table, first(query["display"]), false)
	if e != nil {
		return nil, e
	}
	rows := table.sorted()
	dates := first(query["date"]) == "1"
	for param, values := range query {
		if !strings.HasPrefix(param, "filter[") {
			continue
		}
		field := strings.TrimSuffix(strings.TrimPrefix(param, "filter["), "]")
		if !table.has(field) || table.multilang[field] || (field == "date_add" || field == "date_upd") && !dates {
			return nil, &fakeError{http.StatusBadRequest, 32, fmt.Sprintf("This filter does not exist. Did you mean: %q?", field)}
		}
		match := fakeFilterPattern.FindStringSubmatch(first(values))
		if match == nil {
			return nil, &fakeError{http.StatusBadRequest, 33, fmt.Sprintf("The filter %q is malformed.", field)}
		}
		var kept []*fakeRow
		for _, r := range rows {
			if fakeFilterMatches(r.v[field], match[1], match[2], match[3]) {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	if sortParam := first(query["sort"]); sortParam != "" {
		var keys []string
		for _, key := range strings.Split(strings.Trim(sortParam, "[]"), ",") {
			at := strings.LastIndex(key, "_")
			if at < 0 || (key[at+1:] != "ASC" && key[at+1:] != "DESC") {
				return nil, &fakeError{http.StatusBadRequest, 37, `The "sort" value has to be formed as this example: "field_ASC" or '[field_1_DESC,field_2_ASC,field_3_ASC,...]' ("field" has to be an available field)`}
			}
			if !table.has(key[:at]) {
				return nil, &fakeError{http.StatusBadRequest, 38, "Unable to filter by this field. However, these are available: " + strings.Join(table.fields, ", ")}
			}
			keys = append(keys, key)
		}
		sort.SliceStable(rows, func(i, j int) bool {
			for _, key := range keys {
				at := strings.LastIndex(key, "_")
				a, b := rows[i].v[key[:at]], rows[j].v[key[:at]]
				if a == b {
					continue
				}
				less := fakeLess(a, b)
				if key[at+1:] == "DESC" {
					return !less
				}
				return less
			}
			return false
		})
	}
	if limit := first(query["limit"]); limit != "" {
		parts := strings.Split(limit, ",")
		if len(parts) > 2 {
			return nil, &fakeError{http.StatusBadRequest, 39, `The "limit" value has to be formed as this example: "5,25" or "10"`}
		}
		offset, count := 0, 0
		if len(parts) == 2 {
			offset, _ = strconv.Atoi(strings.TrimSpace(parts[0]))
			count, _ = strconv.Atoi(strings.TrimSpace(parts[1]))
		} else {
			count, _ = strconv.Atoi(strings.TrimSpace(parts[0]))
		}
		if offset > len(rows) {
			offset = len(rows)
		}
		rows = rows[offset:]
		if count < len(rows) {
			rows = rows[:count]
		}
	}
	if len(rows) == 0 && asJSON {
		return []byte("[]"), nil // PrestaShop's JSON for an empty list
	}
	return f.render(table, resource, rows, fields, asJSON, false), nil
}

// fakeFilterMatches applies one filter value: [a] equal, [a|b] one of, [a,b] between,
// >[a] / <[a] compared, [a]% / %[a] / %[a]% like.
func fakeFilterMatches(value, prefix, inner, suffix string) bool {
	switch {
	case prefix == "%" || suffix == "%":
		needle := strings.ToLower(inner)
		value = strings.ToLower(value)
		switch {
		case prefix == "%" && suffix == "%":
			return strings.Contains(value, needle)
		case prefix == "%":
			return strings.HasSuffix(value, needle)
		default:
			return strings.HasPrefix(value, needle)
		}
	case prefix == ">":
		return fakeLess(inner, value)
	case prefix == "<":
		return fakeLess(value, inner)
	case strings.Contains(inner, "|"):
		for _, option := range strings.Split(inner, "|") {
			if strings.EqualFold(value, option) {
				return true
			}
		}
		return false
	case strings.Contains(inner, ","):
		bounds := strings.SplitN(inner, ",", 2)
		return !fakeLess(value, bounds[0]) && !fakeLess(bounds[1], value)
	}
	return strings.EqualFold(value, inner) // MySQL's default collation ignores case
}

func fakeLess(a, b string) bool {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		return x < y
	}
	return a < b
}

// render writes rows as PrestaShop does: JSON {"<name>":[…]} or {"<singular>":{…}} with a
// numeric id and string values, translated fields as [{"id":"1","value":…}]; or XML.
func (f *Fake) render(table *fakeTable, name string, rows []*fakeRow, fields []string, asJSON, single bool) []byte {
	if fields == nil {
		fields = table.fields
	}
	full := len(fields) == len(table.fields)
	if asJSON {
		var items []map[string]any
		for _, r := range rows {
			item := map[string]any{}
			for _, field := range fields {
				switch {
				case field == "id":
					item["id"] = r.id
				case table.multilang[field]:
					item[field] = []map[string]string{{"id": "1", "value": r.v[field]}}
				default:
					item[field] = r.v[field]
				}
			}
			if full && len(table.assocs) > 0 {
				associations := map[string]any{}
				for assoc := range table.assocs {
					associations[assoc] = r.assoc[assoc]
				}
				item["associations"] = associations
			}
			items = append(items, item)
		}
		var out any = map[string]any{name: items}
		if single {
			out = map[string]any{name: items[0]}
		}
		encoded, _ := json.Marshal(out)
		return encoded
	}
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n")
	if !single {
		b.WriteString("<" + name + ">\n")
	}
	for _, r := range rows {
		b.WriteString("<" + table.singular + ">\n")
		for _, field := range fields {
			value := r.v[field]
			if field == "id" {
				value = strconv.FormatInt(r.id, 10)
			}
			var escaped strings.Builder
			xml.EscapeText(&escaped, []byte(value))
			if table.multilang[field] {
				fmt.Fprintf(&b, "<%s><language id=\"1\">%s</language></%s>\n", field, escaped.String(), field)
				continue
			}
			fmt.Fprintf(&b, "<%s>%s</%s>\n", field, escaped.String(), field)
		}
		b.WriteString("</" + table.singular + ">\n")
	}
	if !single {
		b.WriteString("</" + name + ">\n")
	}
	b.WriteString("</prestashop>\n")
	return []byte(b.String())
}

// fakeNode is a parsed XML element.
type fakeNode struct {
	XMLName xml.Name
	Text    string     `xml:",chardata"`
	Nodes   []fakeNode `xml:",any"`
}

func (n fakeNode) child(name string) (fakeNode, bool) {
	for _, c := range n.Nodes {
		if c.XMLName.Local == name {
			return c, true
		}
	}
	return fakeNode{}, false
}

// post parses the XML body and creates one resource.
func (f *Fake) post(table *fakeTable, resource string, r *http.Request) (*fakeRow, *fakeError) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var root fakeNode
	if err := xml.Unmarshal(raw, &root); err != nil || root.XMLName.Local != "prestashop" {
		message := "String could not be parsed as XML"
		if err == nil {
			message = "the root element is not <prestashop>"
		}
		return nil, &fakeError{http.StatusInternalServerError, 127, fmt.Sprintf("XML error : %s\nXML length : %d\nOriginal XML : %s", message, len(raw), raw)}
	}
	entity, ok := root.child(table.singular)
	if !ok {
		return nil, &fakeError{http.StatusBadRequest, 41, fmt.Sprintf("parameter %q required", table.singular)}
	}
	values := map[string]string{}
	for _, c := range entity.Nodes {
		if c.XMLName.Local == "associations" {
			continue
		}
		if table.multilang[c.XMLName.Local] {
			if language, ok := c.child("language"); ok {
				values[c.XMLName.Local] = strings.TrimSpace(language.Text)
				continue
			}
		}
		values[c.XMLName.Local] = strings.TrimSpace(c.Text)
	}
	if values["id"] != "" {
		return nil, &fakeError{http.StatusBadRequest, 91, "id is forbidden when adding a new resource"}
	}
	for field, value := range values {
		if (strings.HasPrefix(field, "id_") || field == "quantity") && value != "" && !regexp.MustCompile(`^\d+$`).MatchString(value) {
			return nil, &fakeError{http.StatusBadRequest, 85, fmt.Sprintf("Validation error: \"Property %s->%s is not valid\"", table.singular, field)}
		}
	}
	var assocRows []map[string]string
	if associations, ok := entity.child("associations"); ok {
		for _, assoc := range associations.Nodes {
			if _, known := table.assocs[assoc.XMLName.Local]; !known {
				return nil, &fakeError{http.StatusBadRequest, 86, fmt.Sprintf("The association %q does not exists", assoc.XMLName.Local)}
			}
			for _, item := range assoc.Nodes {
				entry := map[string]string{}
				for _, field := range item.Nodes {
					entry[field.XMLName.Local] = strings.TrimSpace(field.Text)
				}
				assocRows = append(assocRows, entry)
			}
		}
	}
	switch resource {
	case "customers":
		return f.postCustomer(table, values)
	case "addresses":
		return f.postAddress(table, values)
	case "carts":
		return f.postCart(table, values, assocRows)
	case "specific_prices":
		return f.postSpecificPrice(table, values)
	case "orders":
		return f.postOrder(table, values)
	case "order_histories":
		return f.postOrderHistory(values)
	}
	return nil, &fakeError{http.StatusMethodNotAllowed, 101, fmt.Sprintf("Method POST is not allowed for the resource %s in this fake", resource)}
}

func required(values map[string]string, fields ...string) *fakeError {
	for _, field := range fields {
		if values[field] == "" {
			return &fakeError{http.StatusBadRequest, 41, fmt.Sprintf("parameter %q required", field)}
		}
	}
	return nil
}

func invalid(class, field string) *fakeError {
	return &fakeError{http.StatusBadRequest, 85, fmt.Sprintf("Validation error: \"Property %s->%s is not valid\"", class, field)}
}

var (
	fakeEmail        = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	fakeCustomerName = regexp.MustCompile(`^[^0-9!<>,;?=+()@#"°{}_$%:]*$`)
	fakePrice        = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
)
