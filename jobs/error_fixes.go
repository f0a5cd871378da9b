package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// A fix removes the cause of a group of blocked orders, then retries every order blocked by
// that cause: the person fixes once, the orders go on by themselves.

// BulkResult says what an action on many orders did.
type BulkResult struct {
	Done    int // orders the action applied to
	Skipped int // orders whose state no longer allows it (moved on meanwhile, or never could)
}

// retryGroup retries every order of the merchant blocked by the group's cause.
func (r *Runner) retryGroup(ctx context.Context, db *gorm.DB, merchantID int64, k models.GroupKey, actor string) (BulkResult, error) {
	ids, err := models.BlockedGroupOrderIDs(ctx, db, merchantID, k)
	if err != nil {
		return BulkResult{}, err
	}
	return r.RetryOrders(ctx, db, merchantID, ids, actor)
}

// LinkUnknownProducts links each unknown marketplace SKU of the group to the store SKU
// chosen for it, then retries the group's orders.
func (r *Runner) LinkUnknownProducts(ctx context.Context, db *gorm.DB, merchantID int64, k models.GroupKey, links map[string]string, actor string) (BulkResult, error) {
	c, err := models.MerchantConnection(ctx, db, merchantID, k.ConnectionID)
	if err != nil {
		return BulkResult{}, err
	}
	for marketplaceSKU, storeSKU := range links {
		if strings.TrimSpace(storeSKU) == "" {
			continue
		}
		if err := models.SaveSKUAlias(ctx, db, c, marketplaceSKU, storeSKU); err != nil {
			return BulkResult{}, err
		}
	}
	return r.retryGroup(ctx, db, merchantID, k, actor)
}

// ActivateCountry makes the group's shipping country active on its connection, then retries
// the group's orders.
func (r *Runner) ActivateCountry(ctx context.Context, db *gorm.DB, merchantID int64, k models.GroupKey, actor string) (BulkResult, error) {
	if k.Reason != models.BlockedCountryInactive || len(k.Cause) != 2 {
		return BulkResult{}, errors.New("this group is not blocked by an inactive country")
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := models.MerchantConnection(ctx, tx, merchantID, k.ConnectionID)
		if err != nil {
			return err
		}
		c.ActivateCountry(k.Cause)
		return tx.Model(c).Update("active_countries", c.ActiveCountries).Error
	})
	if err != nil {
		return BulkResult{}, err
	}
	return r.retryGroup(ctx, db, merchantID, k, actor)
}

// ChooseCarrier sends the group's shipments with the marketplace carrier chosen for the
// store's unmapped carrier, then retries them. The store's carrier name stays in the timeline.
func (r *Runner) ChooseCarrier(ctx context.Context, db *gorm.DB, merchantID int64, k models.GroupKey, carrierName, actor string) (BulkResult, error) {
	carrierName = strings.TrimSpace(carrierName)
	if k.Reason != models.BlockedCarrierUnmapped || carrierName == "" {
		return BulkResult{}, errors.New("choose the carrier")
	}
	ids, err := models.BlockedGroupOrderIDs(ctx, db, merchantID, k)
	if err != nil {
		return BulkResult{}, err
	}
	for _, id := range ids {
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			o, err := models.MerchantOrder(ctx, tx, merchantID, id)
			if err != nil {
				return err
			}
			message := fmt.Sprintf("Carrier chosen by hand: %s (the store said %q).", carrierName, o.CarrierName)
			if err := tx.Model(o).Update("carrier_name", carrierName).Error; err != nil {
				return err
			}
			return models.AddOrderEvent(ctx, tx, o, actor, "shipment.carrier_chosen", message, nil, r.now())
		})
		if err != nil {
			return BulkResult{}, err
		}
	}
	return r.RetryOrders(ctx, db, merchantID, ids, actor)
}

// ImportAnyway sends an order blocked for stock to the store without the stock check.
func (r *Runner) ImportAnyway(ctx context.Context, db *gorm.DB, merchantID, orderID int64, actor string) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o, err := models.MerchantOrder(ctx, tx, merchantID, orderID)
		if err != nil {
			return err
		}
		if o.StoreState != models.StoreBlocked || o.StoreBlockedReason != models.BlockedOutOfStock {
			return models.NewTransitionError("order.error.not_out_of_stock", nil, "the order is not blocked for stock")
		}
		if err := tx.Model(o).Update("skip_stock_check", true).Error; err != nil {
			return err
		}
		return models.AddOrderEvent(ctx, tx, o, actor, "order.import_anyway", "Import anyway: the stock check is skipped for this order.", nil, r.now())
	})
	if err != nil {
		return err
	}
	return r.RetryOrder(ctx, db, merchantID, orderID, actor)
}

// RetryOrders retries each order; those no longer blocked are skipped.
func (r *Runner) RetryOrders(ctx context.Context, db *gorm.DB, merchantID int64, ids []int64, actor string) (BulkResult, error) {
	return r.each(ids, func(id int64) error { return r.RetryOrder(ctx, db, merchantID, id, actor) })
}

// CancelOrders cancels each order not yet shipped: refused when it waits for acceptance,
// cancelled on the marketplace when accepted.
func (r *Runner) CancelOrders(ctx context.Context, db *gorm.DB, merchantID int64, ids []int64, actor, reason string) (BulkResult, error) {
	return r.each(ids, func(id int64) error {
		return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			o, err := models.MerchantOrder(ctx, tx, merchantID, id)
			if err != nil {
				return err
			}
			if o.Status == models.StatusWaitingAcceptance {
				return r.DecideOrder(ctx, tx, merchantID, id, false, actor, reason)
			}
			return r.CancelByStore(ctx, tx, o, actor, reason)
		})
	})
}

// MarkHandled records that people handled each blocked order outside orderhub: its blocked
// side is closed and orderhub stops working on it.
func (r *Runner) MarkHandled(ctx context.Context, db *gorm.DB, merchantID int64, ids []int64, actor string) (BulkResult, error) {
	return r.each(ids, func(id int64) error {
		return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			o, err := models.MerchantOrder(ctx, tx, merchantID, id)
			if err != nil {
				return err
			}
			return models.MarkHandledOutside(ctx, tx, o, actor, r.now())
		})
	})
}

// each applies action to every id: a refusal of the order's state skips it, any other error
// stops.
func (r *Runner) each(ids []int64, action func(id int64) error) (BulkResult, error) {
	var res BulkResult
	for _, id := range ids {
		err := action(id)
		switch {
		case err == nil:
			res.Done++
		case errors.Is(err, models.ErrInvalidTransition) || errors.Is(err, models.ErrConflict) || errors.Is(err, models.ErrNotFound):
			res.Skipped++
		default:
			return res, err
		}
	}
	return res, nil
}

// CorrectShipment changes a blocked shipment's carrier, tracking number and tracking URL as a
// person typed them, then sends it to the marketplace again.
func (r *Runner) CorrectShipment(ctx context.Context, db *gorm.DB, merchantID, orderID int64, carrierName, tracking, trackingURL, actor string) error {
	carrierName, tracking, trackingURL = strings.TrimSpace(carrierName), strings.TrimSpace(tracking), strings.TrimSpace(trackingURL)
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o, err := models.MerchantOrder(ctx, tx, merchantID, orderID)
		if err != nil {
			return err
		}
		if o.ShipmentState != models.ShipmentBlocked {
			return models.NewTransitionError("order.error.shipment_not_blocked", nil, "the shipment is not blocked")
		}
		message := fmt.Sprintf("Shipment corrected by hand: carrier %s, tracking %s (was %s, %s).", carrierName, orNone(tracking), orNone(o.CarrierName), orNone(o.TrackingNumber))
		err = tx.Model(o).Updates(map[string]any{"carrier_name": carrierName, "carrier_code": "", "tracking_number": tracking, "tracking_url": trackingURL}).Error
		if err != nil {
			return err
		}
		return models.AddOrderEvent(ctx, tx, o, actor, "shipment.corrected", message, nil, r.now())
	})
	if err != nil {
		return err
	}
	return r.RetryOrder(ctx, db, merchantID, orderID, actor)
}
