package models

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// EventAddressEdited is the timeline event of a person correcting the buyer's address.
const EventAddressEdited = "order.address_edited"

// ErrAddressNotEditable means the order is already in the store (or cancelled there): a
// corrected address would no longer reach the store.
var ErrAddressNotEditable = errors.New("the address can no longer be edited")

// AddressEdit is a person's correction of an order's buyer details.
type AddressEdit struct {
	// Shipping is the shipping address as it should read, phone number included. Its Email is
	// not edited: the buyer's email is BillingEmail.
	Shipping Address
	// BillingEmail is the buyer's email as it should read; nil leaves it as it is.
	BillingEmail *string
}

// NewAddressEdit is an edit that changes nothing: the order's details as they are, for a form
// to start from.
func NewAddressEdit(o *Order) AddressEdit {
	email := o.Billing.Email
	return AddressEdit{Shipping: o.Shipping, BillingEmail: &email}
}

// addressColumn is one edited field: its label in the timeline, its column and where it is in
// an order.
type addressColumn struct {
	label  string
	column string
	field  func(o *Order) *string
}

var addressColumns = []addressColumn{
	{"first name", "shipping_first_name", func(o *Order) *string { return &o.Shipping.FirstName }},
	{"last name", "shipping_last_name", func(o *Order) *string { return &o.Shipping.LastName }},
	{"company", "shipping_company", func(o *Order) *string { return &o.Shipping.Company }},
	{"street", "shipping_street1", func(o *Order) *string { return &o.Shipping.Street1 }},
	{"street line 2", "shipping_street2", func(o *Order) *string { return &o.Shipping.Street2 }},
	{"postcode", "shipping_postal_code", func(o *Order) *string { return &o.Shipping.PostalCode }},
	{"city", "shipping_city", func(o *Order) *string { return &o.Shipping.City }},
	{"state", "shipping_state", func(o *Order) *string { return &o.Shipping.State }},
	{"country", "shipping_country", func(o *Order) *string { return &o.Shipping.Country }},
	{"phone", "shipping_phone", func(o *Order) *string { return &o.Shipping.Phone }},
	{"email", "billing_email", func(o *Order) *string { return &o.Billing.Email }},
}

// EditOrderAddress corrects the buyer's shipping address, phone number and (when the edit
// holds one) email on one of a merchant's orders that is not in the store yet, and tells the
// change in the timeline, each changed field with its value before and after. The edit is
// normalised first (NormaliseAddress); when it is refused, with AddressErrors, nothing is
// written. An edit that changes nothing writes nothing. Another merchant's order gives
// ErrNotFound. It does not send the order to the store again: the caller retries it. Call it
// inside a transaction.
func EditOrderAddress(ctx context.Context, tx *gorm.DB, merchantID, orderID int64, edit AddressEdit, actor string, now time.Time) (*Order, error) {
	o, err := MerchantOrder(ctx, forUpdate(tx), merchantID, orderID)
	if err != nil {
		return nil, err
	}
	if o.StoreState != StorePending && o.StoreState != StoreBlocked {
		e := NewUserError("address.error.not_editable", map[string]any{"Store": StateCode(o.StoreState)},
			"the address can no longer be edited: the order is "+o.StoreState+" in the store")
		e.Err = ErrAddressNotEditable
		return nil, e
	}

	typed := edit.Shipping
	typed.Email = ""
	shipping, err := NormaliseAddress(typed)
	errs := AddressErrors{}
	var addressErrs AddressErrors
	if errors.As(err, &addressErrs) {
		errs = addressErrs
	} else if err != nil {
		return nil, err
	}
	email := o.Billing.Email
	if edit.BillingEmail != nil {
		email, err = NormaliseEmail(*edit.BillingEmail)
		errs.add(AddressFieldEmail, err)
	}
	if len(errs) > 0 {
		return nil, errs
	}

	edited := *o
	edited.Shipping = shipping
	edited.Shipping.Email = o.Shipping.Email
	edited.Billing.Email = email
	updates := map[string]any{}
	var changes []string
	for _, c := range addressColumns {
		before, after := *c.field(o), *c.field(&edited)
		if before != after {
			updates[c.column] = after
			changes = append(changes, c.label+": "+strconv.Quote(before)+" → "+strconv.Quote(after))
		}
	}
	if len(updates) == 0 {
		return o, nil
	}
	updates["updated_at"] = now.UTC()
	res := tx.WithContext(ctx).Model(&Order{}).Where("id = ? AND merchant_id = ?", o.ID, o.MerchantID).Updates(updates)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrConflict
	}
	edited.UpdatedAt = now.UTC()
	message := "The buyer's address was edited: " + strings.Join(changes, "; ") + "."
	if err := AddOrderEvent(ctx, tx, &edited, actor, EventAddressEdited, message, nil, now); err != nil {
		return nil, err
	}
	return &edited, nil
}
