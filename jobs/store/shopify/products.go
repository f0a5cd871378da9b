package shopify

import (
	"context"
	"fmt"
	"strings"

	"github.com/orderhub/orderhub/models"
)

// Products returns one page of the catalogue: product variants by id, so variants added
// meanwhile land on later pages. The cursor is Shopify's endCursor; the last page returns ""
// so the next pass starts over. Passes are whole on purpose: a stock change moves the
// inventory level, not the variant's updatedAt (inferred), so reading only the variants
// updated since the last pass would miss stock going down.
func (c *Client) Products(ctx context.Context, cursor string) (models.ProductsPage, error) {
	variables := map[string]any{"first": c.pageSize}
	if cursor != "" {
		variables["after"] = cursor
	}
	var out wireVariants
	if err := c.graphql(ctx, "ProductVariants", queryProductVariants, variables, false, &out); err != nil {
		return models.ProductsPage{}, err
	}
	page := models.ProductsPage{}
	for _, v := range out.ProductVariants.Nodes {
		page.Products = append(page.Products, productFromWire(v))
	}
	if out.ProductVariants.PageInfo.HasNextPage {
		page.Cursor, page.More = out.ProductVariants.PageInfo.EndCursor, true
	}
	return page, nil
}

// variantsBySKU finds the variant of each SKU. Shopify's search matches loosely, so the
// answer is filtered on the exact SKU; a SKU on several variants takes the first active one.
func (c *Client) variantsBySKU(ctx context.Context, skus []string) (map[string]wireVariant, error) {
	found := map[string]wireVariant{}
	unique := []string{}
	for _, sku := range skus {
		if !contains(unique, sku) {
			unique = append(unique, sku)
		}
	}
	const perQuery = 20
	for start := 0; start < len(unique); start += perQuery {
		batch := unique[start:min(start+perQuery, len(unique))]
		terms := make([]string, len(batch))
		for i, sku := range batch {
			terms[i] = "sku:" + searchValue(sku)
		}
		var out wireVariants
		variables := map[string]any{"first": 50, "query": strings.Join(terms, " OR ")}
		if err := c.graphql(ctx, "ProductVariants", queryProductVariants, variables, false, &out); err != nil {
			return nil, fmt.Errorf("looking up SKUs %s: %w", strings.Join(batch, ", "), err)
		}
		for _, v := range out.ProductVariants.Nodes {
			if !contains(batch, v.SKU) {
				continue
			}
			if existing, ok := found[v.SKU]; ok && existing.Product.Status == "ACTIVE" {
				continue
			}
			found[v.SKU] = v
		}
	}
	return found, nil
}
