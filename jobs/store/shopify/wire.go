package shopify

import "encoding/json"

// The GraphQL documents the client sends. Each is a named operation; the fake recognises
// them by that name.
const (
	queryShopCheck = `query ShopCheck { shop { name myshopifyDomain currencyCode } }`

	variantFields = `id sku barcode title displayName price inventoryQuantity inventoryPolicy updatedAt
    inventoryItem { tracked }
    product { id title status }`

	queryProductVariants = `query ProductVariants($first: Int!, $after: String, $query: String) {
  productVariants(first: $first, after: $after, query: $query, sortKey: ID) {
    pageInfo { hasNextPage endCursor }
    nodes { ` + variantFields + ` }
  }
}`

	orderFields = `id name tags sourceName sourceIdentifier createdAt updatedAt cancelledAt
    displayFulfillmentStatus displayFinancialStatus
    metafields(first: 5, namespace: "orderhub") { nodes { key value } }
    fulfillments(first: 5) { id status createdAt updatedAt trackingInfo(first: 3) { company number url } }`

	// ordersPageSize keeps a page of orders under the single query cost limit of 1000: each
	// order costs 1 + 7 (metafields) + 5×4 (fulfilments with tracking) = 28.
	ordersPageSize = 25

	queryOrders = `query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ` + orderFields + ` }
  }
}`

	mutationOrderCreate = `mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
  orderCreate(order: $order, options: $options) {
    order { id name }
    userErrors { code field message }
  }
}`

	mutationOrderCancel = `mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { code field message }
  }
}`
)

type wireRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables,omitempty"`
}

type wireResponse struct {
	Data       json.RawMessage `json:"data,omitempty"`
	Errors     []wireError     `json:"errors,omitempty"`
	Extensions wireExtensions  `json:"extensions"`
}

type wireError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code,omitempty"`
	} `json:"extensions"`
}

type wireExtensions struct {
	Cost *wireCost `json:"cost,omitempty"`
}

type wireCost struct {
	RequestedQueryCost float64  `json:"requestedQueryCost"`
	ActualQueryCost    *float64 `json:"actualQueryCost"`
	ThrottleStatus     struct {
		MaximumAvailable   float64 `json:"maximumAvailable"`
		CurrentlyAvailable float64 `json:"currentlyAvailable"`
		RestoreRate        float64 `json:"restoreRate"`
	} `json:"throttleStatus"`
}

type wirePageInfo struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

type wireVariant struct {
	ID                string `json:"id"`
	SKU               string `json:"sku"`
	Barcode           string `json:"barcode"`
	Title             string `json:"title"`
	DisplayName       string `json:"displayName"`
	Price             string `json:"price"`
	InventoryQuantity *int   `json:"inventoryQuantity"`
	InventoryPolicy   string `json:"inventoryPolicy"`
	UpdatedAt         string `json:"updatedAt"`
	InventoryItem     struct {
		Tracked bool `json:"tracked"`
	} `json:"inventoryItem"`
	Product struct {
		ID     string `json:"id"`
		Title  string `json:"title"`
		Status string `json:"status"`
	} `json:"product"`
}

type wireVariants struct {
	ProductVariants struct {
		PageInfo wirePageInfo  `json:"pageInfo"`
		Nodes    []wireVariant `json:"nodes"`
	} `json:"productVariants"`
}

type wireTracking struct {
	Company string `json:"company"`
	Number  string `json:"number"`
	URL     string `json:"url"`
}

type wireFulfillment struct {
	ID           string         `json:"id"`
	Status       string         `json:"status"`
	CreatedAt    string         `json:"createdAt"`
	UpdatedAt    string         `json:"updatedAt"`
	TrackingInfo []wireTracking `json:"trackingInfo"`
}

type wireOrder struct {
	ID                       string   `json:"id"`
	Name                     string   `json:"name"`
	Tags                     []string `json:"tags"`
	SourceName               string   `json:"sourceName"`
	SourceIdentifier         string   `json:"sourceIdentifier"`
	CreatedAt                string   `json:"createdAt"`
	UpdatedAt                string   `json:"updatedAt"`
	CancelledAt              *string  `json:"cancelledAt"`
	DisplayFulfillmentStatus string   `json:"displayFulfillmentStatus"`
	DisplayFinancialStatus   string   `json:"displayFinancialStatus"`
	Metafields               struct {
		Nodes []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		} `json:"nodes"`
	} `json:"metafields"`
	Fulfillments []wireFulfillment `json:"fulfillments"`
}

func (o wireOrder) metafield(key string) string {
	for _, m := range o.Metafields.Nodes {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

type wireOrders struct {
	Orders struct {
		PageInfo wirePageInfo `json:"pageInfo"`
		Nodes    []wireOrder  `json:"nodes"`
	} `json:"orders"`
}

type wireUserError struct {
	Code    string   `json:"code"`
	Field   []string `json:"field"`
	Message string   `json:"message"`
}

type wireOrderCreate struct {
	OrderCreate struct {
		Order *struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"order"`
		UserErrors []wireUserError `json:"userErrors"`
	} `json:"orderCreate"`
}

type wireOrderCancel struct {
	OrderCancel struct {
		Job *struct {
			ID   string `json:"id"`
			Done bool   `json:"done"`
		} `json:"job"`
		OrderCancelUserErrors []wireUserError `json:"orderCancelUserErrors"`
	} `json:"orderCancel"`
}
