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
