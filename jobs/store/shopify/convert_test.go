package shopify

import (
	"testing"

	"github.com/orderhub/orderhub/models"
)

func TestShipmentFromWireFollowsShippedStatuses(t *testing.T) {
	cancelledAt := "2025-03-14T10:00:00Z"
	tests := []struct {
		name      string
		order     wireOrder
		shipped   []string
		want      models.StoreShipment
		wantFound bool
	}{
		{"not orderhub's", wireOrder{ID: "gid://shopify/Order/1", DisplayFulfillmentStatus: "FULFILLED"}, []string{"FULFILLED"}, models.StoreShipment{}, false},
		{"fulfilled", wireOrder{ID: "gid://shopify/Order/2", Tags: []string{"orderhub"}, DisplayFulfillmentStatus: "FULFILLED",
			Fulfillments: []wireFulfillment{{Status: "SUCCESS", CreatedAt: "2025-03-14T09:00:00Z", TrackingInfo: []wireTracking{{Company: "UPS", Number: "1Z", URL: "https://u/1Z"}}}}},
			[]string{"FULFILLED"}, models.StoreShipment{StoreOrderID: "gid://shopify/Order/2", RawStatus: "FULFILLED", Shipped: true, Carrier: "UPS", TrackingNumber: "1Z", TrackingURL: "https://u/1Z"}, true},
		{"partial, not counted", wireOrder{ID: "3", Tags: []string{"orderhub"}, DisplayFulfillmentStatus: "PARTIALLY_FULFILLED"},
			[]string{"FULFILLED"}, models.StoreShipment{StoreOrderID: "3", RawStatus: "PARTIALLY_FULFILLED"}, true},
		{"partial, counted", wireOrder{ID: "4", Tags: []string{"orderhub"}, DisplayFulfillmentStatus: "PARTIALLY_FULFILLED"},
			[]string{"FULFILLED", "PARTIALLY_FULFILLED"}, models.StoreShipment{StoreOrderID: "4", RawStatus: "PARTIALLY_FULFILLED", Shipped: true}, true},
		{"cancelled", wireOrder{ID: "5", Tags: []string{"orderhub"}, DisplayFulfillmentStatus: "UNFULFILLED", CancelledAt: &cancelledAt},
			[]string{"FULFILLED"}, models.StoreShipment{StoreOrderID: "5", RawStatus: "CANCELLED", Cancelled: true}, true},
		{"newest fulfilment's tracking, cancelled ones skipped", wireOrder{ID: "6", Tags: []string{"orderhub"}, DisplayFulfillmentStatus: "FULFILLED",
			Fulfillments: []wireFulfillment{
				{Status: "CANCELLED", CreatedAt: "2025-03-14T11:00:00Z", TrackingInfo: []wireTracking{{Company: "Old", Number: "X"}}},
				{Status: "SUCCESS", CreatedAt: "2025-03-14T10:00:00Z", TrackingInfo: []wireTracking{{Company: "GLS", Number: "A"}, {Company: "GLS", Number: "B"}}},
				{Status: "SUCCESS", CreatedAt: "2025-03-14T09:00:00Z", TrackingInfo: []wireTracking{{Company: "DPD", Number: "C"}}},
			}},
			[]string{"FULFILLED"}, models.StoreShipment{StoreOrderID: "6", RawStatus: "FULFILLED", Shipped: true, Carrier: "GLS", TrackingNumber: "B"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := shipmentFromWire(tt.order, tt.shipped)
			if found != tt.wantFound {
				t.Fatalf("found %v", found)
			}
			if !found {
				return
			}
			got.ShippedAt, got.UpdatedAt = nil, got.UpdatedAt.UTC()
			if got.StoreOrderID != tt.want.StoreOrderID || got.RawStatus != tt.want.RawStatus || got.Shipped != tt.want.Shipped ||
				got.Cancelled != tt.want.Cancelled || got.Carrier != tt.want.Carrier || got.TrackingNumber != tt.want.TrackingNumber || got.TrackingURL != tt.want.TrackingURL {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestProductNameAndStockMapping(t *testing.T) {
	quantity := 4
	tests := []struct {
		name        string
		variant     wireVariant
		wantName    string
		wantManaged bool
	}{
		{"tracked, deny", wireVariant{DisplayName: "Mug - Blue", InventoryQuantity: &quantity, InventoryPolicy: "DENY", InventoryItem: struct {
			Tracked bool `json:"tracked"`
		}{true}}, "Mug - Blue", true},
		{"tracked, continue", wireVariant{DisplayName: "Book", InventoryPolicy: "CONTINUE", InventoryItem: struct {
			Tracked bool `json:"tracked"`
		}{true}}, "Book", false},
		{"not tracked", wireVariant{DisplayName: "Ebook", InventoryPolicy: "DENY"}, "Ebook", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := productFromWire(tt.variant)
			if got.Name != tt.wantName || got.ManageStock != tt.wantManaged {
				t.Fatalf("got %+v", got)
			}
		})
	}
}
