package jobs

// KindField is one setting or credential a connector needs, as a form asks for it.
type KindField struct {
	Name     string // the key in the connector's configuration
	Label    string
	Hint     string
	Required bool
}

// Kind describes a connector to the pages that set a connection up.
type Kind struct {
	Kind        string
	Label       string
	Settings    []KindField // shown back as they are
	Credentials []KindField // sealed, never shown back in full
}

// MarketplaceKindList describes the marketplaces orderhub connects to.
func MarketplaceKindList() []Kind {
	return []Kind{{
		Kind: "mirakl", Label: "Mirakl marketplace (Fnac-Darty, Carrefour, Leroy Merlin, Decathlon...)",
		Settings: []KindField{
			{Name: "base_url", Label: "Marketplace instance URL", Required: true,
				Hint: "The address of the marketplace's seller back-office, e.g. https://fnac-prod.mirakl.net"},
			{Name: "shop_id", Label: "Shop id (optional)",
				Hint: "Only if your account manages several shops on this marketplace: the shop's number."},
		},
		Credentials: []KindField{
			{Name: "api_key", Label: "Shop API key", Required: true,
				Hint: "In the seller back-office: My user settings → API key. Paste it as it is."},
		},
	}, {
		Kind: "bol", Label: "bol.com",
		Credentials: []KindField{
			{Name: "client_id", Label: "Client id", Required: true,
				Hint: "In the bol.com seller dashboard: Settings → API settings → create credentials for the Retailer API."},
			{Name: "client_secret", Label: "Client secret", Required: true, Hint: "Shown next to the client id when the credentials are created."},
		},
	}, {
		Kind: "amazon", Label: "Amazon (Selling Partner API)",
		Settings: []KindField{
			{Name: "region", Label: "Region", Required: true, Hint: "eu for Europe, na for North America, fe for Japan, Singapore and Australia."},
			{Name: "marketplace_id", Label: "Marketplace id (optional)",
				Hint: "Only the orders of one Amazon marketplace, e.g. A13V1IB3VIYZZH for amazon.fr; empty: every marketplace of the account."},
		},
		Credentials: []KindField{
			{Name: "refresh_token", Label: "Refresh token", Required: true,
				Hint: "Given when you authorise orderhub in Seller Central (Apps and Services → Develop apps); it starts with Atzr|."},
			{Name: "client_id", Label: "LWA client id", Required: true, Hint: "The app's Login with Amazon client id, starting with amzn1.application-oa2-client."},
			{Name: "client_secret", Label: "LWA client secret", Required: true, Hint: "The app's Login with Amazon client secret."},
		},
	}}
}

// StoreKindList describes the stores orderhub pushes orders to.
func StoreKindList() []Kind {
	return []Kind{{
		Kind: "woocommerce", Label: "WooCommerce",
		Settings: []KindField{
			{Name: "base_url", Label: "Shop address", Required: true, Hint: "The shop's root URL, e.g. https://shop.example.com"},
		},
		Credentials: []KindField{
			{Name: "consumer_key", Label: "Consumer key", Required: true,
				Hint: "WooCommerce → Settings → Advanced → REST API → Add key, with Read/Write permission. It starts with ck_."},
			{Name: "consumer_secret", Label: "Consumer secret", Required: true, Hint: "Shown once next to the key. It starts with cs_."},
		},
	}, {
		Kind: "shopify", Label: "Shopify",
		Settings: []KindField{
			{Name: "shop_domain", Label: "Shop domain", Required: true, Hint: "The shop's myshopify.com address, e.g. acme.myshopify.com"},
		},
		Credentials: []KindField{
			{Name: "access_token", Label: "Admin API access token", Required: true,
				Hint: "Shopify admin → Settings → Apps → Develop apps → your app → API credentials, with the orders, products, inventory and fulfillments scopes. It starts with shpat_."},
			{Name: "webhook_secret", Label: "API secret key (optional)",
				Hint: "The app's API secret key, which signs Shopify's webhooks: with it, shipments arrive at once instead of at the next poll."},
		},
	}, {
		Kind: "prestashop", Label: "PrestaShop",
		Settings: []KindField{
			{Name: "base_url", Label: "Shop address", Required: true, Hint: "The shop's root URL, e.g. https://shop.example.com"},
			{Name: "carrier_id", Label: "Carrier id", Required: true,
				Hint: "The id of a free carrier under Shipping → Carriers: orders are created with it, and the marketplace's shipping price is kept."},
			{Name: "shipped_states", Label: "Shipped states (optional)",
				Hint: "The ids of the order states that mean shipped, separated by commas (Shop Parameters → Order Settings → Statuses); empty: 4, 5 (Shipped, Delivered)."},
		},
		Credentials: []KindField{
			{Name: "webservice_key", Label: "Webservice key", Required: true,
				Hint: "Advanced Parameters → Webservice → Add a key, with GET, POST and PUT on customers, addresses, carts, orders, order_histories, order_carriers, carriers, products, combinations, stock_availables, specific_prices and countries."},
		},
	}, {
		Kind: "magento", Label: "Magento 2 / Adobe Commerce",
		Settings: []KindField{
			{Name: "base_url", Label: "Store address", Required: true, Hint: "The store's root URL, e.g. https://shop.example.com"},
			{Name: "store_code", Label: "Store view code (optional)", Hint: "The store view orders are placed in; empty: default."},
		},
		Credentials: []KindField{
			{Name: "access_token", Label: "Integration access token", Required: true,
				Hint: "System → Extensions → Integrations → Add New Integration with access to Sales, Catalog and Stores, then Activate: copy the Access Token."},
		},
	}, {
		Kind: "vendure", Label: "Vendure",
		Settings: []KindField{
			{Name: "base_url", Label: "Admin API address", Required: true, Hint: "The Admin API's URL, e.g. https://shop.example.com/admin-api"},
			{Name: "channel_token", Label: "Channel token (optional)", Hint: "Only for a channel other than the default one."},
		},
		Credentials: []KindField{
			{Name: "username", Label: "Administrator", Required: true, Hint: "An administrator's identifier with the order, customer, product and stock permissions."},
			{Name: "password", Label: "Password", Required: true, Hint: "That administrator's password."},
		},
	}}
}

// FindKind returns the kind named, if orderhub has it.
func FindKind(kinds []Kind, name string) (Kind, bool) {
	for _, k := range kinds {
		if k.Kind == name {
			return k, true
		}
	}
	return Kind{}, false
}
