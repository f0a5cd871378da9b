package web

import (
	"context"
	"errors"
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

// validateForm checks a form struct's `validate` tags and returns a message per bad field, in
// the page's language.
func validateForm(ctx context.Context, form any) views.FieldErrors {
	err := validate.Struct(form)
	if err == nil {
		return nil
	}
	var fieldErrs validator.ValidationErrors
	if !errors.As(err, &fieldErrs) {
		return views.FieldErrors{"": views.T(ctx, "form.invalid")} // not a struct: a mistake in the handler
	}
	errs := views.FieldErrors{}
	for _, fe := range fieldErrs {
		if _, seen := errs[fe.Field()]; !seen {
			errs[fe.Field()] = fieldMessage(ctx, fe)
		}
	}
	return errs
}

func fieldMessage(ctx context.Context, fe validator.FieldError) string {
	switch fe.Tag() {
	case "required", "email", "oneof":
		return views.T(ctx, "form."+fe.Tag())
	case "min", "max":
		return views.T(ctx, "form."+fe.Tag(), map[string]any{"Count": fe.Param()})
	}
	return views.T(ctx, "form.invalid")
}
