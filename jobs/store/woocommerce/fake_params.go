package woocommerce

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// paramErrors collects what failed validation, worded as WordPress words it.
type paramErrors map[string]string

// paging is the collection parameters every list endpoint takes.
type paging struct {
	page, perPage, offset int
	order, orderby        string
}

// maxPerPage is WordPress's cap on per_page; above it the request fails.
const maxPerPage = 100

func readPaging(query url.Values, orderbyOptions []string, errs paramErrors) paging {
	p := paging{page: 1, perPage: 10, order: "desc", orderby: orderbyOptions[0]}
	p.page = readInt(query, "page", p.page, errs)
	p.perPage = readInt(query, "per_page", p.perPage, errs)
	p.offset = readInt(query, "offset", 0, errs)
	if _, bad := errs["page"]; !bad && p.page < 1 {
		errs["page"] = "page must be greater than or equal to 1"
	}
	if _, bad := errs["per_page"]; !bad && (p.perPage < 1 || p.perPage > maxPerPage) {
		errs["per_page"] = fmt.Sprintf("per_page must be between 1 (inclusive) and %d (inclusive)", maxPerPage)
	}
	p.order = readEnum(query, "order", p.order, []string{"asc", "desc"}, errs)
	p.orderby = readEnum(query, "orderby", p.orderby, orderbyOptions, errs)
	return p
}

func readInt(query url.Values, name string, fallback int, errs paramErrors) int {
	text := query.Get(name)
	if text == "" {
		return fallback
	}
	value, err := strconv.Atoi(text)
	if err != nil {
		errs[name] = name + " is not of type integer."
		return fallback
	}
	return value
}

func readEnum(query url.Values, name, fallback string, options []string, errs paramErrors) string {
	value := query.Get(name)
	if value == "" {
		return fallback
	}
	for _, option := range options {
		if value == option {
			return value
		}
	}
	errs[name] = fmt.Sprintf("%s is not one of %s.", name, strings.Join(options, ", "))
	return fallback
}

// readList reads an array parameter sent as name[]=a&name[]=b, name=a,b or name=a.
func readList(query url.Values, name string) []string {
	var values []string
	for _, raw := range append(query[name], query[name+"[]"]...) {
		for _, value := range strings.Split(raw, ",") {
			if value = strings.TrimSpace(value); value != "" {
				values = append(values, value)
			}
		}
	}
	return values
}

// readBool accepts what WordPress's rest_is_boolean accepts.
func readBool(query url.Values, name string, errs paramErrors) bool {
	switch strings.ToLower(query.Get(name)) {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	}
	errs[name] = name + " is not of type boolean."
	return false
}

// restDate matches the RFC 3339 date-times WordPress's rest_parse_date accepts; the zone is
// optional.
var restDate = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}(:?\d{2})?)?$`)

// readDate reads a date filter. Without a zone it is in UTC when dates_are_gmt is set, else
// in the shop's time zone, as WordPress compares it against post_date_gmt or post_date.
func readDate(query url.Values, name string, gmt bool, shopZone *time.Location, errs paramErrors) (time.Time, bool) {
	text := query.Get(name)
	if text == "" {
		return time.Time{}, false
	}
	match := restDate.FindStringSubmatch(text)
	if match == nil {
		errs[name] = "Invalid date."
		return time.Time{}, false
	}
	zone := shopZone
	if gmt {
		zone = time.UTC
	}
	if match[4] != "" {
		parsed, err := time.Parse(time.RFC3339, match[1]+"T"+match[2]+normalizeZone(match[4]))
		if err != nil {
			errs[name] = "Invalid date."
			return time.Time{}, false
		}
		return parsed.UTC(), true
	}
	parsed, err := time.ParseInLocation(wooTimeLayout, match[1]+"T"+match[2], zone)
	if err != nil {
		errs[name] = "Invalid date."
		return time.Time{}, false
	}
	return parsed.UTC(), true
}

func normalizeZone(zone string) string {
	switch {
	case zone == "z" || zone == "Z":
		return "Z"
	case len(zone) == 3:
		return zone + ":00"
	case len(zone) == 5:
		return zone[:3] + ":" + zone[3:]
	}
	return zone
}

// window returns the slice bounds of the requested page of total items.
func (p paging) window(total int) (start, end int) {
	start = min(p.offset+(p.page-1)*p.perPage, total)
	end = min(start+p.perPage, total)
	return start, end
}

// setPagingHeaders writes X-WP-Total, X-WP-TotalPages and the Link header with the prev and
// next pages, as WooCommerce's collection controllers do.
func setPagingHeaders(w http.ResponseWriter, r *http.Request, total int, p paging) {
	totalPages := (total + p.perPage - 1) / p.perPage
	w.Header().Set("X-WP-Total", strconv.Itoa(total))
	w.Header().Set("X-WP-TotalPages", strconv.Itoa(totalPages))
	pageURL := func(page int) string {
		query := r.URL.Query()
		for name := range query {
			if strings.HasPrefix(name, "oauth_") || name == "consumer_key" || name == "consumer_secret" {
				query.Del(name) // credentials are not echoed back
			}
		}
		query.Set("page", strconv.Itoa(page))
		return "<" + baseURL(r) + r.URL.Path + "?" + query.Encode() + ">"
	}
	var links []string
	if p.page > 1 {
		links = append(links, pageURL(min(p.page-1, max(totalPages, 1)))+`; rel="prev"`)
	}
	if totalPages > p.page {
		links = append(links, pageURL(p.page+1)+`; rel="next"`)
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
}
