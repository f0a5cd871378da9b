package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SKUAlias links a SKU as the marketplace sends it to the store's SKU, per connection.
type SKUAlias struct {
	ID             int64
	MerchantID     int64
	ConnectionID   int64
	MarketplaceSKU string
	StoreSKU       string
	CreatedAt      time.Time
}

// TableName keeps GORM from naming the table "sku_aliases" differently across versions.
func (SKUAlias) TableName() string { return "sku_aliases" }

// SaveProducts upserts one page of a connection's catalogue.
func SaveProducts(ctx context.Context, db *gorm.DB, c *Connection, products []Product, now time.Time) error {
	if len(products) == 0 {
		return nil
	}
	for i := range products {
		products[i].ID = 0
		products[i].MerchantID, products[i].ConnectionID = c.MerchantID, c.ID
		products[i].UpdatedAt = now.UTC()
	}
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "connection_id"}, {Name: "store_product_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"sku", "ean", "name", "stock", "manage_stock", "active", "updated_at"}),
	}).CreateInBatches(products, 200).Error
}

// SaveSKUAlias links a marketplace SKU to a store SKU on a connection, replacing an older link.
func SaveSKUAlias(ctx context.Context, db *gorm.DB, c *Connection, marketplaceSKU, storeSKU string) error {
	alias := SKUAlias{MerchantID: c.MerchantID, ConnectionID: c.ID, MarketplaceSKU: strings.TrimSpace(marketplaceSKU), StoreSKU: strings.TrimSpace(storeSKU)}
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "connection_id"}, {Name: "marketplace_sku"}},
		DoUpdates: clause.AssignmentColumns([]string{"store_sku"}),
	}).Create(&alias).Error
}

// CatalogueView is the part of a connection's catalogue an order's checks need.
type CatalogueView struct {
	aliases  map[string]string    // marketplace SKU → store SKU
	products map[string][]Product // store SKU → products with it
}

// LoadCatalogueView reads the aliases and products for the SKUs of order.
func LoadCatalogueView(ctx context.Context, db *gorm.DB, c *Connection, o *Order) (*CatalogueView, error) {
	view := &CatalogueView{aliases: map[string]string{}, products: map[string][]Product{}}
	var skus []string
	for _, line := range o.Lines {
		skus = append(skus, line.SKU)
	}
	var aliases []SKUAlias
	if err := db.WithContext(ctx).Scopes(ForMerchant(c.MerchantID)).
		Where("connection_id = ? AND marketplace_sku IN ?", c.ID, skus).Find(&aliases).Error; err != nil {
		return nil, err
	}
	for _, a := range aliases {
		view.aliases[a.MarketplaceSKU] = a.StoreSKU
		skus = append(skus, a.StoreSKU)
	}
	var products []Product
	if err := db.WithContext(ctx).Scopes(ForMerchant(c.MerchantID)).
		Where("connection_id = ? AND sku IN ?", c.ID, skus).Find(&products).Error; err != nil {
		return nil, err
	}
	for _, p := range products {
		view.products[p.SKU] = append(view.products[p.SKU], p)
	}
	return view, nil
}

// StoreSKU is the SKU the store knows a marketplace SKU by.
func (v *CatalogueView) StoreSKU(marketplaceSKU string) string {
	if storeSKU, ok := v.aliases[marketplaceSKU]; ok {
		return storeSKU
	}
	return marketplaceSKU
}

// ForStore is a copy of the order whose lines name the store's SKUs: a marketplace SKU linked
// to a store product becomes that product's SKU.
func (v *CatalogueView) ForStore(o *Order) *Order {
	copied := *o
	copied.Lines = make([]OrderLine, len(o.Lines))
	for i, line := range o.Lines {
		line.SKU = v.StoreSKU(line.SKU)
		copied.Lines[i] = line
	}
	return &copied
}

// Product returns the orderable product with that store SKU, preferring an active one.
func (v *CatalogueView) Product(storeSKU string) (Product, bool) {
	for _, p := range v.products[storeSKU] {
		if p.Active {
			return p, true
		}
	}
	return Product{}, false
}
