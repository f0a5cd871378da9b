package shopify

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/models"
)

// What orderhub writes on the orders it creates, so that FindOrder and Shipments know them:
// tags (searchable) and metafields in the orderhub namespace (exact values).
const (
	sourceName          = "orderhub"
	tagOrderhub         = "orderhub"
	tagOrderPrefix      = "orderhub-order-"
	tagConnectionPrefix = "orderhub-connection-"
	metafieldNamespace  = "orderhub"
	metaOrderID         = "order_id"
	metaConnectionID    = "connection_id"
	metaMarketplaceID   = "marketplace_order_id"
	metaMarketplaceRef  = "marketplace_reference"
)

func orderTag(orderID int64) string { return tagOrderPrefix + strconv.FormatInt(orderID, 10) }

// orderInput builds orderCreate's OrderCreateOrderInput. Prices are the marketplace's, sent
// per line as priceSet; the order is paid by one successful SALE transaction of the total.
// An order the marketplace shipped from its own warehouse is created already fulfilled.
func orderInput(order *models.Order, variantIDs map[string]string) (map[string]any, error) {
	if len(order.Currency) != 3 {
		return nil, fmt.Errorf("order %d has no ISO 4217 currency (got %q)", order.ID, order.Currency)
	}
	currency := strings.ToUpper(order.Currency)
	exponent := models.CurrencyExponent(currency)
	money := func(amount int64) map[string]any {
		return map[string]any{"shopMoney": map[string]any{"amount": models.FormatDecimal(amount, exponent), "currencyCode": currency}}
	}
	var lines []any
	var total int64
	for _, line := range order.Lines {
		lines = append(lines, map[string]any{
			"variantId":        variantIDs[line.SKU],
			"quantity":         line.Quantity,
			"priceSet":         money(line.UnitPrice),
			"requiresShipping": true,
		})
		total += line.UnitPrice * int64(line.Quantity)
	}
	total += order.ShippingAmount
	billing := order.Billing
	if billing.Street1 == "" && billing.PostalCode == "" {
		billing = order.Shipping // marketplaces that give no billing address bill the shipping one
	}
	reference := order.MarketplaceOrderID
	if order.MarketplaceReference != "" && order.MarketplaceReference != reference {
		reference += " / " + order.MarketplaceReference
	}
	input := map[string]any{
		"currency":        currency,
		"lineItems":       lines,
		"shippingAddress": addressInput(order.Shipping),
		"billingAddress":  addressInput(billing),
		"shippingLines": []any{map[string]any{
			"title":    firstNonEmpty(order.ShippingMethod, "Marketplace shipping"),
			"code":     firstNonEmpty(order.ShippingMethod, "marketplace"),
			"source":   sourceName,
			"priceSet": money(order.ShippingAmount),
		}},
		"taxesIncluded":   true,
		"financialStatus": "PAID",
		"transactions": []any{map[string]any{
			"kind":      "SALE",
			"status":    "SUCCESS",
			"gateway":   "orderhub",
			"amountSet": money(total),
			"test":      order.Test,
		}},
		"sourceName":       sourceName,
		"sourceIdentifier": strconv.FormatInt(order.ID, 10),
		"note":             "Marketplace order " + reference,
		"tags":             []any{tagOrderhub, orderTag(order.ID), tagConnectionPrefix + strconv.FormatInt(order.ConnectionID, 10), tagSafe(order.MarketplaceOrderID)},
		"metafields": []any{
			metafield(metaOrderID, strconv.FormatInt(order.ID, 10)),
			metafield(metaConnectionID, strconv.FormatInt(order.ConnectionID, 10)),
			metafield(metaMarketplaceID, firstNonEmpty(order.MarketplaceOrderID, "-")),
			metafield(metaMarketplaceRef, firstNonEmpty(order.MarketplaceReference, order.MarketplaceOrderID, "-")),
		},
		"test": order.Test,
	}
	if email := firstNonEmpty(order.Shipping.Email, order.Billing.Email); email != "" {
		input["email"] = email
	}
	if order.FulfilledByMarketplace {
		input["fulfillmentStatus"] = "FULFILLED"
	}
	return input, nil
}

func metafield(key, value string) map[string]any {
	return map[string]any{"namespace": metafieldNamespace, "key": key, "type": "single_line_text_field", "value": value}
}

// tagSafe keeps a value usable as one tag: commas separate tags, 40 characters at most.
func tagSafe(value string) string {
	value = strings.TrimSpace(strings.ReplaceAll(value, ",", " "))
	if value == "" {
		value = "-"
	}
	if len(value) > 40 {
		value = value[:40]
	}
	return value
}

func addressInput(a models.Address) map[string]any {
	out := map[string]any{
		"firstName": a.FirstName,
		"lastName":  a.LastName,
		"address1":  a.Street1,
		"city":      a.City,
		"zip":       a.PostalCode,
	}
	if a.Country != "" {
		out["countryCode"] = strings.ToUpper(a.Country)
	}
	for key, value := range map[string]string{"company": a.Company, "address2": a.Street2, "provinceCode": a.State, "phone": a.Phone} {
		if value != "" {
			out[key] = value
		}
	}
	return out
}

// productFromWire maps one variant: what a buyer orders. Active means the product is
// published (ACTIVE); stock limits orders when Shopify tracks it and does not sell past zero.
func productFromWire(v wireVariant) models.Product {
	name := v.DisplayName
	if name == "" {
		name = v.Product.Title + " - " + v.Title
	}
	// A product without options has one variant titled "Default Title"; people know it by
	// the product's title alone.
	name = strings.TrimSuffix(name, " - Default Title")
	product := models.Product{
		StoreProductID: v.ID,
		SKU:            v.SKU,
		EAN:            v.Barcode,
		Name:           name,
		Active:         v.Product.Status == "ACTIVE",
		UpdatedAt:      parseTime(v.UpdatedAt),
	}
	if v.InventoryQuantity != nil {
		product.Stock = *v.InventoryQuantity
	}
	product.ManageStock = v.InventoryItem.Tracked && v.InventoryPolicy != "CONTINUE"
	return product
}

// shipmentFromWire reads an order's shipment state; ok is false for orders orderhub did not
// create. The tracking is the last one of the newest fulfilment that is not cancelled.
func shipmentFromWire(o wireOrder, shippedStatuses []string) (models.StoreShipment, bool) {
	if !contains(o.Tags, tagOrderhub) && o.metafield(metaOrderID) == "" {
		return models.StoreShipment{}, false
	}
	orderID, _ := strconv.ParseInt(firstNonEmpty(o.metafield(metaOrderID), o.SourceIdentifier), 10, 64)
	shipment := models.StoreShipment{
		StoreOrderID: o.ID,
		OrderID:      orderID,
		RawStatus:    o.DisplayFulfillmentStatus,
		Shipped:      contains(shippedStatuses, o.DisplayFulfillmentStatus),
		Cancelled:    o.CancelledAt != nil && *o.CancelledAt != "",
		UpdatedAt:    parseTime(o.UpdatedAt),
	}
	if shipment.Cancelled {
		shipment.RawStatus = "CANCELLED"
	}
	fulfillments := append([]wireFulfillment(nil), o.Fulfillments...)
	sort.SliceStable(fulfillments, func(i, j int) bool {
		return parseTime(fulfillments[i].CreatedAt).Before(parseTime(fulfillments[j].CreatedAt))
	})
	for i := len(fulfillments) - 1; i >= 0; i-- {
		f := fulfillments[i]
		if f.Status == "CANCELLED" || f.Status == "ERROR" || f.Status == "FAILURE" {
			continue
		}
		if shipment.ShippedAt == nil {
			if at := parseTime(f.CreatedAt); !at.IsZero() {
				shipment.ShippedAt = &at
			}
		}
		if len(f.TrackingInfo) > 0 {
			last := f.TrackingInfo[len(f.TrackingInfo)-1]
			shipment.Carrier, shipment.TrackingNumber, shipment.TrackingURL = last.Company, last.Number, last.URL
			break
		}
	}
	if !shipment.Shipped {
		shipment.ShippedAt = nil
	}
	return shipment, true
}

func parseTime(value string) time.Time {
	t, err := time.Parse(time.RFC3339, value)
	// An offset can carry a year-9999 date past the years a cursor can be written with.
	if err != nil || t.UTC().Year() < 1 || t.UTC().Year() > 9999 {
		return time.Time{}
	}
	return t.UTC()
}

func firstNonEmpty(values ...string) string {
	for _, value := range values {
		if value != "" {
			return value
		}
	}
	return ""
}

// searchValue quotes a value for Shopify's search syntax.
func searchValue(value string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(value) + "'"
}
