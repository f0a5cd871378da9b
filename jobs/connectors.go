package jobs

import (
	"context"
	"time"

	"github.com/orderhub/orderhub/models"
)

// Marketplace is what the jobs need from a marketplace account. Each package under
// jobs/marketplace implements it. Errors are *apiclient.Error where an API answered;
// apiclient.IsPermanent tells a refusal from a failure worth retrying.
type Marketplace interface {
	// CheckCredentials makes one cheap authenticated call.
	CheckCredentials(ctx context.Context) error
	// ChangedOrders returns one page of orders changed since cursor ("" = from the beginning
	// of what the marketplace keeps), with the cursor to resume from after this page.
	ChangedOrders(ctx context.Context, cursor string) (models.OrdersPage, error)
	// Order reads one order again, e.g. for the buyer's addresses once it is accepted.
	Order(ctx context.Context, marketplaceOrderID string) (*models.Order, error)
	// Accept accepts every line of an order waiting acceptance.
	Accept(ctx context.Context, order *models.Order) error
	// Refuse refuses every line of an order waiting acceptance.
	Refuse(ctx context.Context, order *models.Order, reason string) error
	// Ship sends the carrier and tracking, then marks the order shipped. Calling it again
	// after a lost answer must not send a second shipment: an order the marketplace already
	// has as shipped is success.
	Ship(ctx context.Context, order *models.Order, shipment models.Shipment) error
	// Cancel cancels the whole order on the marketplace.
	Cancel(ctx context.Context, order *models.Order, reason string) error
	// Carriers lists the carriers the marketplace knows.
	Carriers(ctx context.Context) ([]models.Carrier, error)
}

// Store is what the jobs need from a merchant's store. Each package under jobs/store
// implements it.
type Store interface {
	CheckCredentials(ctx context.Context) error
	// Products returns one page of the catalogue.
	Products(ctx context.Context, cursor string) (models.ProductsPage, error)
	// FindOrder returns the store's id of the order orderhub created for order, or "" when
	// there is none. It is asked before every create, so a create whose answer was lost is
	// never repeated.
	FindOrder(ctx context.Context, order *models.Order) (string, error)
	// CreateOrder creates order in the store and returns the store's id for it.
	CreateOrder(ctx context.Context, order *models.Order) (string, error)
	// Shipments returns one page of orderhub-created store orders changed since cursor.
	Shipments(ctx context.Context, cursor string) (models.ShipmentsPage, error)
	// CancelOrder cancels an order in the store.
	CancelOrder(ctx context.Context, storeOrderID string) error
}

// Paced is implemented by a marketplace whose listing calls are scarce (Amazon allows one
// every few minutes, with a burst). ListingWait says how long until the listing call for
// cursor can go without being throttled; a new poll waits while the calls in hand would not
// cover reading a burst of new orders page by page. The poller plans with it instead of
// calling and being refused.
type Paced interface {
	ListingWait(cursor string) time.Duration
}
