package models

import (
	"strings"
	"time"
)

// Text is words meant for a person: their English, which logs and the Store API show, and the
// id and data of the same words in the pages' locale files (views/locales), so that a page
// can show them in its own language.
type Text struct {
	ID      string
	Data    map[string]any
	English string
}

func (t Text) String() string { return t.English }

// UserError is a refusal worded for the person who caused it: what to change, as a Text.
// Err, when set, is the kind of refusal (ErrInvalidTransition...), for errors.Is.
type UserError struct {
	Text
	Err error
}

// NewUserError is a refusal whose English is english, and whose text in the locale files is
// id filled with data.
func NewUserError(id string, data map[string]any, english string) *UserError {
	return &UserError{Text: Text{ID: id, Data: data, English: english}}
}

// NewTransitionError is an ErrInvalidTransition that says why: english (after the words of
// ErrInvalidTransition) and id with data.
func NewTransitionError(id string, data map[string]any, english string) *UserError {
	e := NewUserError(id, data, ErrInvalidTransition.Error()+": "+english)
	e.Err = ErrInvalidTransition
	return e
}

func (e *UserError) Error() string { return e.English }

func (e *UserError) Unwrap() error { return e.Err }

// The data of a Text may hold, besides numbers and words that need no translating:

// Day is a date, which a page writes the way its language writes dates.
type Day time.Time

func (d Day) String() string { return time.Time(d).Format("2 Jan 2006") }

// StateCode is an order state or blocked reason code, which a page says in words.
type StateCode string

func (s StateCode) String() string { return string(s) }

// Texts are several Texts in a row, separated by semicolons.
type Texts []Text

func (ts Texts) String() string {
	words := make([]string, len(ts))
	for i, t := range ts {
		words[i] = t.English
	}
	return strings.Join(words, "; ")
}
