package web

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/orderhub/orderhub/views"
)

var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Errors are keyed by the form field's name, the one the page shows them next to.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		return strings.SplitN(f.Tag.Get("form"), ",", 2)[0]
	})
	return v
}

// validateForm checks a form struct's `validate` tags and returns a message per bad field.
func validateForm(form any) views.FieldErrors {
	err := validate.Struct(form)
	if err == nil {
		return nil
	}
	var fieldErrs validator.ValidationErrors
	if !errors.As(err, &fieldErrs) {
		return views.FieldErrors{"": err.Error()}
	}
	errs := views.FieldErrors{}
	for _, fe := range fieldErrs {
		if _, seen := errs[fe.Field()]; !seen {
			errs[fe.Field()] = fieldMessage(fe)
		}
	}
	return errs
}

func fieldMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "This field is required."
	case "email":
		return "Enter an email address such as name@example.com."
	case "min":
		return fmt.Sprintf("Use at least %s characters.", fe.Param())
	case "max":
		return fmt.Sprintf("Use at most %s characters.", fe.Param())
	case "oneof":
		return "Choose one of the options."
	}
	return "This value is not valid."
}
