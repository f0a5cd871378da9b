package woocommerce

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/models"
)

// Order meta keys orderhub writes on the orders it creates; the list endpoint cannot filter
// on them, so FindOrder and Shipments read them back from each order.
const (
	metaOrderID            = "_orderhub_order_id"
	metaConnectionID       = "_orderhub_connection_id"
	metaMarketplaceOrderID = "_orderhub_marketplace_order_id"
	metaTest               = "_orderhub_test"
	metaTrackingItems      = "_wc_shipment_tracking_items"
)

// orderToWire builds the POST /orders body. Prices are the marketplace's, sent explicitly:
// without them WooCommerce would charge its catalogue prices. An order the marketplace
// shipped from its own warehouse is created completed: there is nothing left to ship, and
// WooCommerce takes its stock as for a processing one.
func orderToWire(order *models.Order) (wireOrderCreate, error) {
	if len(order.Currency) != 3 {
		return wireOrderCreate{}, fmt.Errorf("order %d has no ISO 4217 currency (got %q)", order.ID, order.Currency)
	}
	exponent := models.CurrencyExponent(order.Currency)
	billing := order.Billing
	if billing.Street1 == "" && billing.PostalCode == "" {
		// Marketplaces that give no billing address bill the shipping one.
		billing = order.Shipping
	}
	reference := order.MarketplaceOrderID
	if order.MarketplaceReference != "" && order.MarketplaceReference != reference {
		reference += " / " + order.MarketplaceReference
	}
	status := "processing"
	if order.FulfilledByMarketplace {
		status = "completed"
	}
	body := wireOrderCreate{
		Status:             status,
		Currency:           strings.ToUpper(order.Currency),
		SetPaid:            true,
		PaymentMethod:      "orderhub",
		PaymentMethodTitle: "Marketplace order " + reference,
		TransactionID:      order.MarketplaceOrderID,
		Billing: wireBilling{
			FirstName: billing.FirstName,
			LastName:  billing.LastName,
			Company:   billing.Company,
			Address1:  billing.Street1,
			Address2:  billing.Street2,
			City:      billing.City,
			State:     billing.State,
			Postcode:  billing.PostalCode,
			Country:   billing.Country,
			Email:     firstNonEmpty(billing.Email, order.Billing.Email, order.Shipping.Email),
			Phone:     firstNonEmpty(billing.Phone, order.Billing.Phone, order.Shipping.Phone),
		},
		Shipping: wireShipping{
			FirstName: order.Shipping.FirstName,
			LastName:  order.Shipping.LastName,
			Company:   order.Shipping.Company,
			Address1:  order.Shipping.Street1,
			Address2:  order.Shipping.Street2,
			City:      order.Shipping.City,
			State:     order.Shipping.State,
			Postcode:  order.Shipping.PostalCode,
			Country:   order.Shipping.Country,
			Phone:     order.Shipping.Phone,
		},
		ShippingLines: []wireShippingLine{{
			MethodTitle: firstNonEmpty(order.ShippingMethod, "Marketplace shipping"),
			Total:       models.FormatDecimal(order.ShippingAmount, exponent),
		}},
		MetaData: []wireMetaIn{
			{Key: metaOrderID, Value: strconv.FormatInt(order.ID, 10)},
			{Key: metaConnectionID, Value: strconv.FormatInt(order.ConnectionID, 10)},
			{Key: metaMarketplaceOrderID, Value: order.MarketplaceOrderID},
		},
	}
	if order.Test {
		body.MetaData = append(body.MetaData, wireMetaIn{Key: metaTest, Value: "yes"})
	}
	for _, line := range order.Lines {
		lineTotal := models.FormatDecimal(line.UnitPrice*int64(line.Quantity), exponent)
		body.LineItems = append(body.LineItems, wireLineItem{
			SKU:      line.SKU,
			Quantity: line.Quantity,
			Subtotal: lineTotal,
			Total:    lineTotal,
		})
	}
	return body, nil
}

// productFromWire maps a simple or external product. Active means orderable in the shop:
// published and not hidden from the catalogue; external products are sold elsewhere.
func productFromWire(p wireProduct) models.Product {
	product := models.Product{
		StoreProductID: strconv.FormatInt(p.ID, 10),
		SKU:            p.SKU,
		EAN:            p.GlobalUniqueID,
		Name:           p.Name,
		Active:         p.Status == "publish" && p.CatalogVisibility != "hidden" && p.Type != "external",
		UpdatedAt:      p.DateModifiedGMT.Time,
	}
	product.Stock, product.ManageStock = stockFromWire(p.ManageStock, p.StockQuantity, p.StockStatus, p.BackordersAllowed)
	return product
}

// variationFromWire maps one variation of a variable product. A variation with no SKU of its
// own shows its parent's; an order naming that SKU would reach the parent, not the variation,
// so the SKU is left out.
func variationFromWire(parent wireProduct, v wireVariation) models.Product {
	sku := v.SKU
	if parent.SKU != "" && sku == parent.SKU {
		sku = ""
	}
	name := v.Name
	if name == "" {
		options := make([]string, 0, len(v.Attributes))
		for _, attribute := range v.Attributes {
			options = append(options, attribute.Option)
		}
		name = strings.TrimSuffix(parent.Name+" - "+strings.Join(options, ", "), " - ")
	}
	product := models.Product{
		StoreProductID: fmt.Sprintf("%d/%d", parent.ID, v.ID),
		SKU:            sku,
		EAN:            v.GlobalUniqueID,
		Name:           name,
		Active:         v.Status == "publish" && parent.Status == "publish" && parent.CatalogVisibility != "hidden",
		UpdatedAt:      v.DateModifiedGMT.Time,
	}
	product.Stock, product.ManageStock = stockFromWire(v.ManageStock, v.StockQuantity, v.StockStatus, v.BackordersAllowed)
	return product
}

// stockFromWire tells orderhub whether the stock limits orders, and how much there is. A shop
// that does not count stock but marks the item out of stock is treated as counting zero, so
// orderhub sees it out; backorders lift the limit.
func stockFromWire(manage manageStock, quantity flexInt, status string, backorders bool) (stock int, limited bool) {
	switch {
	case backorders:
		return int(quantity.Value), false
	case manage.Managed:
		return int(quantity.Value), true
	case status == "outofstock":
		return 0, true
	default:
		return 0, false
	}
}

// shipmentFromWire reads an order's shipment state; ok is false for orders orderhub did not
// create.
func shipmentFromWire(o wireOrder) (shipment models.StoreShipment, ok bool) {
	if metaString(o.MetaData, metaOrderID) == "" {
		return models.StoreShipment{}, false
	}
	orderID, _ := strconv.ParseInt(metaString(o.MetaData, metaOrderID), 10, 64)
	shipment = models.StoreShipment{
		StoreOrderID: strconv.FormatInt(o.ID, 10),
		OrderID:      orderID,
		RawStatus:    o.Status,
		Shipped:      o.Status == "completed",
		Cancelled:    o.Status == "cancelled" || o.Status == "refunded",
		UpdatedAt:    o.DateModifiedGMT.Time,
	}
	if item, found := lastTrackingItem(o.MetaData); found {
		shipment.Carrier = firstNonEmpty(item.TrackingProvider, item.CustomTrackingProvider)
		shipment.TrackingNumber = item.TrackingNumber
		if item.CustomTrackingLink != "" {
			link := strings.ReplaceAll(item.CustomTrackingLink, "%1$s", item.TrackingNumber)
			shipment.TrackingURL = strings.ReplaceAll(link, "%2$s", o.Shipping.Postcode)
		}
		if item.DateShipped.Valid && item.DateShipped.Value > 0 {
			shippedAt := time.Unix(item.DateShipped.Value, 0).UTC()
			shipment.ShippedAt = &shippedAt
		}
	}
	if shipment.Shipped && shipment.ShippedAt == nil && !o.DateCompletedGMT.IsZero() {
		completedAt := o.DateCompletedGMT.Time
		shipment.ShippedAt = &completedAt
	}
	return shipment, true
}

// lastTrackingItem returns the most recent tracking the Shipment Tracking extension stored.
// PHP writes the list as a JSON array, or as an object keyed by index once an item was
// deleted from the middle.
func lastTrackingItem(meta []wireMeta) (wireTrackingItem, bool) {
	for _, entry := range meta {
		if entry.Key != metaTrackingItems {
			continue
		}
		var items []wireTrackingItem
		if json.Unmarshal(entry.Value, &items) == nil && len(items) > 0 {
			return items[len(items)-1], true
		}
		var byIndex map[string]wireTrackingItem
		if json.Unmarshal(entry.Value, &byIndex) == nil && len(byIndex) > 0 {
			keys := make([]string, 0, len(byIndex))
			for key := range byIndex {
				keys = append(keys, key)
			}
			sort.Slice(keys, func(i, j int) bool {
				a, _ := strconv.Atoi(keys[i])
				b, _ := strconv.Atoi(keys[j])
				return a < b
			})
			return byIndex[keys[len(keys)-1]], true
		}
	}
	return wireTrackingItem{}, false
}

// metaString returns the value of the first meta entry named key, as text.
func metaString(meta []wireMeta, key string) string {
	for _, entry := range meta {
		if entry.Key != key {
			continue
		}
		var text string
		if json.Unmarshal(entry.Value, &text) == nil {
			return text
		}
		var number json.Number
		if json.Unmarshal(entry.Value, &number) == nil {
			return number.String()
		}
	}
	return ""
}

func firstNonEmpty(values ...string) string {
	for _, value := range values {
		if value != "" {
			return value
		}
	}
	return ""
}
