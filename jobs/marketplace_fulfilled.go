package jobs

import (
	"context"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// marketplaceFulfilledMessage is the timeline's word for a shipment orderhub leaves alone.
const marketplaceFulfilledMessage = "Shipped by the marketplace from its own warehouse (Amazon FBA, Fulfilled by bol); nothing to send back."

// marketplaceFulfilled is the whole life of an order the marketplace ships itself: it is
// never accepted nor refused (these marketplaces have no acceptance step for them), it
// reaches the store once the marketplace says it left (the store records the sale, already
// completed), and no shipment goes back. Until it has shipped the order waits: the
// marketplace's next update brings it back.
func (w *ProcessOrderWorker) marketplaceFulfilled(ctx context.Context, c *models.Connection, o *models.Order) (bool, error) {
	left := o.Status == models.StatusShipped || o.Status == models.StatusDelivered
	switch {
	case !left:
		return false, nil
	case models.TransitionAllowed(models.FieldShipmentState, o.ShipmentState, models.ShipmentMarketplace):
		// First, so that it holds whatever the store does (a shop pulling its orders may
		// take days to acknowledge).
		return true, w.inTxErr(ctx, func(tx *gorm.DB) error {
			return o.Transition(ctx, tx, models.Transition{Field: models.FieldShipmentState, To: models.ShipmentMarketplace,
				Actor: models.ActorMarketplace, Message: marketplaceFulfilledMessage}, w.e.now())
		})
	case o.StoreState == models.StorePending:
		return true, w.pushToStore(ctx, c, o)
	}
	return false, nil
}
