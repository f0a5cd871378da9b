package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// What ImportOrder did with an order read from the marketplace.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
	ImportIgnored   = "ignored" // placed before the connection's activation date, or not the connection's fulfilment
)

// ImportOrder records an order read from the marketplace: inserted once per (connection,
// marketplace order id), or brought up to date. Overlapping reads are harmless: data older
// than what is stored changes nothing, and addresses the marketplace withholds (before
// acceptance) never erase known ones. An order the connection does not ship (marketplace-
// fulfilled on a merchant-fulfilled connection, or the other way round) is ignored: the
// account's other connection takes it, so no order is imported twice even if a connector's
// filter let it through. Call it inside a transaction.
func ImportOrder(ctx context.Context, tx *gorm.DB, c *Connection, in *Order, now time.Time) (*Order, string, error) {
	if in.FulfilledByMarketplace != c.MarketplaceFulfilled() {
		return nil, ImportIgnored, nil
	}
	find := func(db *gorm.DB) (*Order, error) {
		var o Order
		err := db.WithContext(ctx).Scopes(ForMerchant(c.MerchantID)).Preload("Lines").
			Where("connection_id = ? AND marketplace_order_id = ?", c.ID, in.MarketplaceOrderID).First(&o).Error
		return &o, err
	}
	// Most reads repeat what is stored: those take no lock, so a poll that changes nothing
	// never waits on (or deadlocks with) the jobs moving the same orders.
	existing, err := find(tx)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return createImported(ctx, tx, c, in, now)
	}
	if err != nil {
		return nil, "", err
	}
	if !in.MarketplaceUpdatedAt.After(existing.MarketplaceUpdatedAt) {
		return existing, ImportUnchanged, nil
	}
	if existing, err = find(forUpdate(tx)); err != nil {
		return nil, "", err
	}
	if !in.MarketplaceUpdatedAt.After(existing.MarketplaceUpdatedAt) {
		return existing, ImportUnchanged, nil // a newer read was stored meanwhile
	}
	return updateImported(ctx, tx, existing, in, now)
}

// InIDOrder returns a page of orders read from the marketplace with the known ones first, in
// the order of their ids, then the new ones as they came. Transactions that change several
// orders change them in id order, so that they wait for each other instead of deadlocking.
func InIDOrder(ctx context.Context, db *gorm.DB, c *Connection, orders []Order) ([]*Order, error) {
	if len(orders) == 0 {
		return nil, nil
	}
	refs := make([]string, len(orders))
	for i := range orders {
		refs[i] = orders[i].MarketplaceOrderID
	}
	var known []Order
	err := db.WithContext(ctx).Scopes(ForMerchant(c.MerchantID)).Select("id", "marketplace_order_id").
		Where("connection_id = ? AND marketplace_order_id IN ?", c.ID, refs).Find(&known).Error
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(known))
	for _, o := range known {
		ids[o.MarketplaceOrderID] = o.ID
	}
	sorted := make([]*Order, len(orders))
	for i := range orders {
		sorted[i] = &orders[i]
	}
	slices.SortStableFunc(sorted, func(a, b *Order) int {
		ia, ib := ids[a.MarketplaceOrderID], ids[b.MarketplaceOrderID]
		switch {
		case ia == 0 || ib == 0:
			return cmp.Compare(ib, ia) // known (non-zero) before new; new keep their order
		default:
			return cmp.Compare(ia, ib)
		}
	})
	return sorted, nil
}

func createImported(ctx context.Context, tx *gorm.DB, c *Connection, in *Order, now time.Time) (*Order, string, error) {
	if c.ActivationDate != nil && in.PlacedAt.Before(*c.ActivationDate) {
		return nil, ImportIgnored, nil
	}
	o := *in
	o.ID, o.MerchantID, o.ConnectionID = 0, c.MerchantID, c.ID
	o.StoreState, o.ShipmentState = StorePending, ShipmentNone
	o.Lines = make([]OrderLine, len(in.Lines))
	for i, line := range in.Lines {
		line.ID, line.OrderID, line.MerchantID = 0, 0, c.MerchantID
		o.Lines[i] = line
	}
	if err := tx.WithContext(ctx).Create(&o).Error; err != nil {
		return nil, "", err
	}
	message := fmt.Sprintf("Imported from the marketplace, status %s (%s).", o.Status, o.RawStatus)
	if err := AddOrderEvent(ctx, tx, &o, ActorMarketplace, "imported", message, nil, now); err != nil {
		return nil, "", err
	}
	return &o, ImportCreated, nil
}

func updateImported(ctx context.Context, tx *gorm.DB, o *Order, in *Order, now time.Time) (*Order, string, error) {
	updates := map[string]any{
		"raw_status":             in.RawStatus,
		"marketplace_updated_at": in.MarketplaceUpdatedAt,
		"ship_by":                in.ShipBy,
		"updated_at":             now.UTC(),
	}
	if in.MarketplaceReference != "" {
		updates["marketplace_reference"] = in.MarketplaceReference
	}
	addressesArrived := o.Shipping.Street1 == "" && in.Shipping.Street1 != ""
	if in.Shipping.Street1 != "" || in.Shipping.Country != "" {
		addAddress(updates, "shipping_", in.Shipping)
	}
	if in.Billing.Street1 != "" || in.Billing.Email != "" || in.Billing.Country != "" {
		addAddress(updates, "billing_", in.Billing)
	}
	if err := tx.WithContext(ctx).Model(&Order{}).Where("id = ? AND merchant_id = ?", o.ID, o.MerchantID).Updates(updates).Error; err != nil {
		return nil, "", err
	}
	if err := updateLines(ctx, tx, o, in.Lines); err != nil {
		return nil, "", err
	}
	if addressesArrived {
		if err := AddOrderEvent(ctx, tx, o, ActorMarketplace, "buyer.received", "The marketplace sent the buyer's addresses.", nil, now); err != nil {
			return nil, "", err
		}
	}
	if err := tx.WithContext(ctx).Preload("Lines").First(o, o.ID).Error; err != nil {
		return nil, "", err
	}
	if in.Status != o.Status {
		if TransitionAllowed(FieldStatus, o.Status, in.Status) {
			err := o.Transition(ctx, tx, Transition{Field: FieldStatus, To: in.Status, Actor: ActorMarketplace,
				Message: fmt.Sprintf("The marketplace moved the order to %s (%s).", in.Status, in.RawStatus)}, now)
			if err != nil {
				return nil, "", err
			}
		} else {
			message := fmt.Sprintf("The marketplace reports status %s (%s), which cannot follow %s; orderhub keeps %s.", in.Status, in.RawStatus, o.Status, o.Status)
			if err := AddOrderEvent(ctx, tx, o, ActorMarketplace, "status.unexpected", message, nil, now); err != nil {
				return nil, "", err
			}
		}
	}
	return o, ImportUpdated, nil
}

func addAddress(updates map[string]any, prefix string, a Address) {
	updates[prefix+"first_name"] = a.FirstName
	updates[prefix+"last_name"] = a.LastName
	updates[prefix+"company"] = a.Company
	updates[prefix+"street1"] = a.Street1
	updates[prefix+"street2"] = a.Street2
	updates[prefix+"postal_code"] = a.PostalCode
	updates[prefix+"city"] = a.City
	updates[prefix+"state"] = a.State
	updates[prefix+"country"] = a.Country
	updates[prefix+"phone"] = a.Phone
	updates[prefix+"email"] = a.Email
}

// updateLines refreshes each line's marketplace status and adds lines not seen before.
func updateLines(ctx context.Context, tx *gorm.DB, o *Order, lines []OrderLine) error {
	known := map[string]bool{}
	for _, line := range o.Lines {
		known[line.MarketplaceLineID] = true
	}
	for _, line := range lines {
		if known[line.MarketplaceLineID] {
			err := tx.WithContext(ctx).Model(&OrderLine{}).
				Where("order_id = ? AND merchant_id = ? AND marketplace_line_id = ?", o.ID, o.MerchantID, line.MarketplaceLineID).
				Update("raw_status", line.RawStatus).Error
			if err != nil {
				return err
			}
			continue
		}
		line.ID, line.OrderID, line.MerchantID = 0, o.ID, o.MerchantID
		if err := tx.WithContext(ctx).Create(&line).Error; err != nil {
			return err
		}
	}
	return nil
}

// forUpdate locks the rows read until the transaction ends, on PostgreSQL. SQLite needs no
// lock: it has a single writer.
func forUpdate(db *gorm.DB) *gorm.DB {
	if db.Dialector.Name() == "postgres" {
		return db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return db
}

// MerchantOrder returns one of a merchant's orders with its lines.
func MerchantOrder(ctx context.Context, db *gorm.DB, merchantID, id int64) (*Order, error) {
	var o Order
	if err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).Preload("Lines").First(&o, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &o, nil
}

// UpdateShippingAddress corrects the buyer's shipping address (e.g. a missing phone) and
// notes the change in the timeline.
func UpdateShippingAddress(ctx context.Context, tx *gorm.DB, o *Order, a Address, actor string, now time.Time) error {
	updates := map[string]any{"updated_at": now.UTC()}
	addAddress(updates, "shipping_", a)
	if err := tx.WithContext(ctx).Model(&Order{}).Where("id = ? AND merchant_id = ?", o.ID, o.MerchantID).Updates(updates).Error; err != nil {
		return err
	}
	o.Shipping = a
	return AddOrderEvent(ctx, tx, o, actor, "buyer.edited", "The shipping address was corrected.", nil, now)
}
