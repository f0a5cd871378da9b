package web

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// addressFields maps the edit form's fields to the address errors' fields.
var addressFields = map[string]string{
	models.AddressFieldName: "addr_last_name", models.AddressFieldStreet: "addr_street1",
	models.AddressFieldPostcode: "addr_postcode", models.AddressFieldCity: "addr_city",
	models.AddressFieldCountry: "addr_country", models.AddressFieldPhone: "addr_phone",
	models.AddressFieldEmail: "addr_email",
}

// orderAddress is POST /orders/:id/address: the buyer's address corrected by hand,
// normalised and checked; an order blocked by it goes to the store again at once.
func (s *Server) orderAddress(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	edit := models.NewAddressEdit(o)
	form := views.AddressForm{Typed: true, Shipping: edit.Shipping, Email: c.FormValue("addr_email")}
	for field, target := range map[string]*string{
		"addr_first_name": &form.Shipping.FirstName, "addr_last_name": &form.Shipping.LastName,
		"addr_company": &form.Shipping.Company, "addr_street1": &form.Shipping.Street1,
		"addr_street2": &form.Shipping.Street2, "addr_postcode": &form.Shipping.PostalCode,
		"addr_city": &form.Shipping.City, "addr_country": &form.Shipping.Country, "addr_phone": &form.Shipping.Phone,
	} {
		*target = c.FormValue(field)
	}
	edit.Shipping, edit.BillingEmail = form.Shipping, &form.Email
	ctx, actor := c.UserContext(), userActor(c)
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, err := models.EditOrderAddress(ctx, tx, o.MerchantID, o.ID, edit, actor, time.Now())
		return err
	})
	var invalid models.AddressErrors
	if errors.As(err, &invalid) {
		errs := views.FieldErrors{}
		for field, refusal := range invalid {
			errs[addressFields[field]] = errorText(c, refusal)
		}
		return s.renderOrder(c, fiber.StatusUnprocessableEntity, o, views.OrderActions{Address: form, Errs: errs})
	}
	if err != nil {
		return s.actionResult(c, o.ID, err, "", "order.action.address_not_saved")
	}
	done := "order.action.address_saved"
	if o.StoreState == models.StoreBlocked {
		if err := s.jobs.RetryOrder(ctx, s.db.Gorm, o.MerchantID, o.ID, actor); err != nil {
			return err
		}
		done = "order.action.address_saved_retry"
	}
	return s.actionResult(c, o.ID, nil, done, "")
}
