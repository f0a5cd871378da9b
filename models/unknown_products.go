package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// UnknownSKU is a SKU that marketplace orders carry and the connection's catalogue does not
// hold as an active product, even after SKU aliases.
type UnknownSKU struct {
	ConnectionID  int64
	SKU           string
	Title         string // as the marketplace names the product
	Orders        int    `gorm:"column:order_count"` // how many of the orders read carry it
	LatestOrderID int64
}

// CatalogueSizes counts the products orderhub holds for each of a merchant's connections.
func CatalogueSizes(ctx context.Context, db *gorm.DB, merchantID int64, connectionIDs []int64) (map[int64]int64, error) {
	var rows []struct {
		ConnectionID int64
		N            int64
	}
	q := db.WithContext(ctx).Model(&Product{}).Scopes(ForMerchant(merchantID)).Select("connection_id, count(*) AS n").Group("connection_id")
	if len(connectionIDs) > 0 {
		q = q.Where("connection_id IN ?", connectionIDs)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	sizes := map[int64]int64{}
	for _, r := range rows {
		sizes[r.ConnectionID] = r.N
	}
	return sizes, nil
}

// UnknownSKUs lists the SKUs of orders updated since then (not refused or cancelled) that
// match no active product of their connection's catalogue, after aliases: most orders first.
// A connection without any catalogue yet is left out (nothing is known there; see
// CatalogueSizes). connectionIDs limits the connections (empty: all of the merchant's).
func UnknownSKUs(ctx context.Context, db *gorm.DB, merchantID int64, connectionIDs []int64, since time.Time, limit int) ([]UnknownSKU, error) {
	q := db.WithContext(ctx).Table("order_lines AS l").
		Select("o.connection_id, l.sku, MAX(l.title) AS title, COUNT(DISTINCT o.id) AS order_count, MAX(o.id) AS latest_order_id").
		Joins("JOIN orders AS o ON o.id = l.order_id AND o.merchant_id = l.merchant_id").
		Joins("LEFT JOIN sku_aliases AS a ON a.connection_id = o.connection_id AND a.marketplace_sku = l.sku AND a.merchant_id = o.merchant_id").
		Where("o.merchant_id = ? AND o.updated_at >= ? AND o.status NOT IN ?", merchantID, since.UTC(), []string{StatusRefused, StatusCancelled}).
		Where("NOT EXISTS (SELECT 1 FROM products AS p WHERE p.connection_id = o.connection_id AND p.merchant_id = o.merchant_id AND p.sku = COALESCE(a.store_sku, l.sku) AND p.active)").
		Where("EXISTS (SELECT 1 FROM products AS p WHERE p.connection_id = o.connection_id AND p.merchant_id = o.merchant_id)").
		Group("o.connection_id, l.sku").Order("order_count DESC, o.connection_id, l.sku").Limit(limit)
	if len(connectionIDs) > 0 {
		q = q.Where("o.connection_id IN ?", connectionIDs)
	}
	var out []UnknownSKU
	err := q.Scan(&out).Error
	return out, err
}

// SaveShopProducts records products a shop pulling through the Store API sends: its SKU is
// its id. Products it does not send stay as they are.
func SaveShopProducts(ctx context.Context, db *gorm.DB, c *Connection, products []Product, now time.Time) error {
	for i := range products {
		products[i].StoreProductID = products[i].SKU
	}
	return SaveProducts(ctx, db, c, products, now)
}
