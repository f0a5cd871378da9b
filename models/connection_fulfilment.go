package models

// MarketplaceFulfilled reports whether the connection takes the orders the marketplace ships
// from its own warehouse (Amazon FBA, Fulfilled by bol) rather than the merchant's.
func (c *Connection) MarketplaceFulfilled() bool {
	return c.Fulfilment == FulfilmentMarketplace
}
