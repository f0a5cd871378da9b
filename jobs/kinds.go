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
