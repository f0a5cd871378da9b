package views

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/models"
)

// numberMarks are each language's decimal mark and thousands separator. English keeps the
// plain digits Money has always shown ("1234.56 EUR"); French groups with a narrow no-break
// space, as its typography wants.
var numberMarks = map[string]struct{ decimal, group string }{
	"en": {".", ""},
	"fr": {",", "\u202f"},
	"it": {",", "."},
}

// FormatMoney shows an amount in minor units with its currency's decimals, the way the page's
// language writes numbers: 123456 EUR is "1234.56 EUR" in English, "1 234,56 EUR" in French,
// "1.234,56 EUR" in Italian.
func FormatMoney(ctx context.Context, minor int64, currency string) string {
	marks, ok := numberMarks[LanguageOf(ctx)]
	if !ok {
		marks = numberMarks["en"]
	}
	plain := models.FormatDecimal(minor, models.CurrencyExponent(currency))
	sign := ""
	if rest, negative := strings.CutPrefix(plain, "-"); negative {
		sign, plain = "-", rest
	}
	whole, fraction, hasFraction := strings.Cut(plain, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, digit := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(marks.group)
		}
		b.WriteRune(digit)
	}
	if hasFraction {
		b.WriteString(marks.decimal)
		b.WriteString(fraction)
	}
	return b.String() + " " + currency
}

// FormatDate is a day in the page's language: "2 Jan 2006", "2 janv. 2006", "2 gen 2006".
func FormatDate(ctx context.Context, t time.Time) string {
	return FormatTime(ctx, t, "2 Jan 2006")
}

// FormatDateTime is a day of the year and a time: "2 Jan 15:04", "2 janv. 15:04".
func FormatDateTime(ctx context.Context, t time.Time) string {
	return FormatTime(ctx, t, "2 Jan 15:04")
}

// timeNames are the layout's words FormatTime writes in the page's language, as the texts
// <id><number>; longest first, so "January" is not read as "Jan" followed by "uary".
var timeNames = []struct {
	token, id string
	month     bool // else a day of the week, numbered as time.Weekday
}{
	{"January", "month.long.", true},
	{"Jan", "month.", true},
	{"Monday", "weekday.long.", false},
	{"Mon", "weekday.", false},
}

// FormatTime is t.Format(layout) with the names of months and weekdays (January, Jan, Monday,
// Mon) in the page's language; numbers are written as the layout says.
func FormatTime(ctx context.Context, t time.Time, layout string) string {
	var b strings.Builder
	start := 0
	for i := 0; i < len(layout); {
		matched := false
		for _, n := range timeNames {
			if strings.HasPrefix(layout[i:], n.token) {
				if start < i {
					b.WriteString(t.Format(layout[start:i]))
				}
				number := int(t.Weekday())
				if n.month {
					number = int(t.Month())
				}
				b.WriteString(T(ctx, n.id+strconv.Itoa(number)))
				i += len(n.token)
				start, matched = i, true
				break
			}
		}
		if !matched {
			i++
		}
	}
	if start < len(layout) {
		b.WriteString(t.Format(layout[start:]))
	}
	return b.String()
}
