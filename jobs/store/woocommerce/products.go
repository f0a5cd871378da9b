package woocommerce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// Products returns one page of the catalogue. The cursor is the next page of /products ("" for
// the first); the last page returns "" so the next pass starts over. Products are read by id,
// so products added meanwhile land on later pages instead of shifting the ones still unread.
// A variable product comes as its variations (what a buyer orders); grouped products, which
// cannot be ordered themselves, are left out.
func (c *Client) Products(ctx context.Context, cursor string) (models.ProductsPage, error) {
	page := 1
	if cursor != "" {
		var err error
		if page, err = strconv.Atoi(cursor); err != nil || page < 1 {
			return models.ProductsPage{}, fmt.Errorf("woocommerce products cursor %q is not a page number", cursor)
		}
	}
	var items []wireProduct
	res, err := c.do(ctx, apiclient.Request{
		Method: http.MethodGet,
		Path:   "/products",
		Query:  c.pageQuery(page, url.Values{"orderby": {"id"}, "order": {"asc"}}),
		Out:    &items,
	})
	if err != nil {
		return models.ProductsPage{}, err
	}
	var products []models.Product
	for _, item := range items {
		switch item.Type {
		case "variable":
			variations, err := c.variations(ctx, item.ID)
			if err != nil {
				return models.ProductsPage{}, err
			}
			for _, variation := range variations {
				products = append(products, variationFromWire(item, variation))
			}
		case "grouped":
		default:
			products = append(products, productFromWire(item))
		}
	}
	if !c.morePages(res, page, len(items)) {
		return models.ProductsPage{Products: products}, nil
	}
	return models.ProductsPage{Products: products, Cursor: strconv.Itoa(page + 1), More: true}, nil
}

// variations reads every variation of one variable product.
func (c *Client) variations(ctx context.Context, productID int64) ([]wireVariation, error) {
	var all []wireVariation
	for page := 1; ; page++ {
		var items []wireVariation
		res, err := c.do(ctx, apiclient.Request{
			Method: http.MethodGet,
			Path:   fmt.Sprintf("/products/%d/variations", productID),
			Query:  c.pageQuery(page, url.Values{"orderby": {"id"}, "order": {"asc"}}),
			Out:    &items,
		})
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if !c.morePages(res, page, len(items)) {
			return all, nil
		}
	}
}

func (c *Client) pageQuery(page int, query url.Values) url.Values {
	query.Set("per_page", strconv.Itoa(c.pageSize))
	query.Set("page", strconv.Itoa(page))
	return query
}

// morePages reads X-WP-TotalPages; when a proxy dropped it, a full page means there may be
// another.
func (c *Client) morePages(res *apiclient.Response, page, count int) bool {
	if totalPages, err := strconv.Atoi(res.Header.Get("X-WP-TotalPages")); err == nil {
		return page < totalPages
	}
	return count >= c.pageSize
}
