package vendure

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// fieldError is a resolver's GraphQL error (ENTITY_NOT_FOUND, FORBIDDEN, ...).
type fieldError struct {
	code, message string
}

type resolver func(f *Fake, args map[string]any, res *fakeResponse) (any, *fieldError)

type fakeResponse struct {
	w        http.ResponseWriter
	loggedIn bool
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/admin-api" && r.URL.Path != "/admin-api/" {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Cannot " + r.Method + " " + r.URL.Path, "error": "Not Found", "statusCode": 404})
		return
	}
	if r.Method != http.MethodPost {
		writeFailure(w, http.StatusBadRequest, &gqlFailure{code: "BAD_REQUEST", message: "GET query missing."})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	var request struct {
		Query     *string         `json:"query"`
		Variables json.RawMessage `json:"variables"`
	}
	if err := json.Unmarshal(body, &request); err != nil {
		writeFailure(w, http.StatusBadRequest, &gqlFailure{code: "BAD_REQUEST", message: "Unexpected token in JSON: " + err.Error()})
		return
	}
	variables := orderedObject{}
	if len(request.Variables) > 0 && string(request.Variables) != "null" {
		decoded, err := decodeOrdered(json.NewDecoder(bytes.NewReader(request.Variables)))
		object, isObject := decoded.(orderedObject)
		if err != nil || !isObject {
			writeFailure(w, http.StatusBadRequest, &gqlFailure{code: "BAD_REQUEST", message: "`variables` in a POST body should be provided as an object."})
			return
		}
		variables = object
	}
	if request.Query == nil || strings.TrimSpace(*request.Query) == "" {
		writeFailure(w, http.StatusBadRequest, &gqlFailure{code: "BAD_REQUEST", message: "GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension."})
		return
	}
	doc, err := parseOperation(*request.Query)
	if err != nil {
		writeFailure(w, http.StatusBadRequest, err.(*gqlFailure))
		return
	}
	if failure := validateOperation(doc); failure != nil {
		writeFailure(w, http.StatusBadRequest, failure)
		return
	}
	// Variable problems are reported as Apollo Server does for Vendure: BAD_USER_INPUT, with
	// HTTP 200 (observed on Vendure 3.7.3), and no data.
	vars := map[string]any{}
	for _, def := range doc.varDefs {
		value, given := variables.get(def.name)
		if !given {
			if def.hasDef {
				value, _ = coerceLiteral(def.def, def.typ, nil)
				vars[def.name] = value
				continue
			}
			if nonNull(def.typ) {
				writeFailure(w, http.StatusOK, &gqlFailure{code: "BAD_USER_INPUT", message: fmt.Sprintf("Variable \"$%s\" of required type \"%s\" was not provided.", def.name, def.typ)})
				return
			}
			continue
		}
		coerced, problem := coerceVariable(value, def.typ, "")
		if problem != nil {
			message := fmt.Sprintf("Variable \"$%s\" got invalid value %s", def.name, inspect(problem.value))
			if problem.path != "" {
				message += fmt.Sprintf(" at \"%s%s\"", def.name, problem.path)
			}
			writeFailure(w, http.StatusOK, &gqlFailure{code: "BAD_USER_INPUT", message: message + "; " + problem.message})
			return
		}
		vars[def.name] = coerced
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	res := &fakeResponse{w: w}
	if token := strings.TrimSpace(r.Header.Get("vendure-token")); token != "" && token != f.channelToken {
		writeJSON(w, http.StatusOK, map[string]any{"data": nil, "errors": []any{errorEntry(&fieldError{"CHANNEL_NOT_FOUND", fmt.Sprintf("No channel with the token \"%s\" exists", token)}, doc.selections[0].key())}})
		return
	}
	if bearer, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); found {
		res.loggedIn = f.sessions[strings.TrimSpace(bearer)]
	}
	root := schemaObjects["Query"]
	resolvers := queryResolvers
	if doc.operation == "mutation" {
		root, resolvers = schemaObjects["Mutation"], mutationResolvers
	}
	data := &orderedOutput{values: map[string]any{}}
	var errs []any
	for _, sel := range doc.selections {
		if sel.name == "__typename" {
			data.set(sel.key(), map[string]string{"query": "Query", "mutation": "Mutation"}[doc.operation])
			continue
		}
		resolve := resolvers[sel.name]
		if resolve == nil {
			errs = append(errs, errorEntry(&fieldError{"INTERNAL_SERVER_ERROR", "the fake does not serve " + sel.name}, sel.key()))
			continue
		}
		if sel.name != "login" && !res.loggedIn {
			errs = append(errs, errorEntry(&fieldError{"FORBIDDEN", "You are not currently authorized to perform this action"}, sel.key()))
			continue
		}
		value, ferr := resolve(f, resolveArgs(sel.args, root[sel.name].args, vars), res)
		if ferr != nil {
			errs = append(errs, errorEntry(ferr, sel.key()))
			continue
		}
		data.set(sel.key(), project(value, sel.selections))
	}
	if len(errs) > 0 {
		// Every root field here is non-null or resolved in one go: an error nulls data.
		writeJSON(w, http.StatusOK, map[string]any{"errors": errs, "data": nil})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

func errorEntry(e *fieldError, path string) map[string]any {
	return map[string]any{"message": e.message, "locations": []any{map[string]int{"line": 1, "column": 1}}, "path": []string{path}, "extensions": map[string]string{"code": e.code}}
}

func writeFailure(w http.ResponseWriter, status int, failure *gqlFailure) {
	writeJSON(w, status, map[string]any{"errors": []any{map[string]any{"message": failure.message, "extensions": map[string]string{"code": failure.code}}}})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	encoded, err := json.Marshal(body)
	if err != nil {
		panic(fmt.Sprintf("vendure fake: encoding an answer: %v", err))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(encoded)
}
