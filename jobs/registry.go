package jobs

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/orderhub/orderhub/jobs/marketplace/amazon"
	"github.com/orderhub/orderhub/jobs/marketplace/bol"
	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/jobs/store/magento"
	"github.com/orderhub/orderhub/jobs/store/prestashop"
	"github.com/orderhub/orderhub/jobs/store/shopify"
	"github.com/orderhub/orderhub/jobs/store/vendure"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
)

// Registry builds connectors from a connection's kind, settings and sealed credentials. It
// keeps one connector per connection, so that the connector's rate limiter is the
// connection's, and builds a new one when the settings or credentials change.
type Registry struct {
	sealer *models.Sealer

	mu           sync.Mutex
	marketplaces map[int64]cached[Marketplace]
	stores       map[int64]cached[Store]
}

type cached[T any] struct {
	key       string
	connector T
}

// NewRegistry returns the registry of every connector orderhub has.
func NewRegistry(sealer *models.Sealer) *Registry {
	return &Registry{sealer: sealer, marketplaces: map[int64]cached[Marketplace]{}, stores: map[int64]cached[Store]{}}
}

// marketplaceKinds and storeKinds map a kind to its constructor. A constructor receives the
// connection's settings and credentials merged into one JSON object, decoded into the
// connector's own Config.
var marketplaceKinds = map[string]func(config []byte) (Marketplace, error){
	"mirakl": func(config []byte) (Marketplace, error) {
		var cfg mirakl.Config
		if err := json.Unmarshal(config, &cfg); err != nil {
			return nil, err
		}
		return mirakl.New(cfg), nil
	},
	"bol": func(config []byte) (Marketplace, error) {
		var cfg bol.Config
		if err := json.Unmarshal(config, &cfg); err != nil {
			return nil, err
		}
		return bol.New(cfg), nil
	},
	"amazon": func(config []byte) (Marketplace, error) {
		var cfg amazon.Config
		if err := json.Unmarshal(config, &cfg); err != nil {
			return nil, err
		}
		return amazon.New(cfg), nil
	},
}

var storeKinds = map[string]func(config []byte) (Store, error){
	"vendure": func(config []byte) (Store, error) {
		var cfg vendure.Config
		if err := json.Unmarshal(config, &cfg); err != nil {
			return nil, err
		}
		return vendure.New(cfg), nil
	},
	"shopify": func(config []byte) (Store, error) {
		var cfg shopify.Config
		if err := json.Unmarshal(config, &cfg); err != nil {
			return nil, err
		}
		return shopify.New(cfg), nil
	},
	"magento": func(config []byte) (Store, error) {
		var cfg magento.Config
		if err := json.Unmarshal(config, &cfg); err != nil {
			return nil, err
		}
		return magento.New(cfg), nil
	},
	"prestashop": func(config []byte) (Store, error) {
		var cfg prestashop.Config
		if err := json.Unmarshal(config, &cfg); err != nil {
			return nil, err
		}
		return prestashop.New(cfg), nil
	},
	"woocommerce": func(config []byte) (Store, error) {
		var cfg woocommerce.Config
		if err := json.Unmarshal(config, &cfg); err != nil {
			return nil, err
		}
		return woocommerce.New(cfg), nil
	},
}

// fulfilmentCodes name a connection's fulfilment in each marketplace's own words, passed to
// its connector as the "fulfilment" setting: it reads only the orders of that kind. A
// marketplace missing here ships nothing itself: it takes merchant-fulfilled connections
// only.
var fulfilmentCodes = map[string]map[string]string{
	"amazon": {models.FulfilmentMerchant: amazon.FulfilmentMFN, models.FulfilmentMarketplace: amazon.FulfilmentAFN},
	"bol":    {models.FulfilmentMerchant: bol.FulfilmentFBR, models.FulfilmentMarketplace: bol.FulfilmentFBB},
}

// OffersMarketplaceFulfilment reports whether a marketplace kind ships orders from its own
// warehouse (Amazon FBA, Fulfilled by bol), so that a connection may take those orders.
func OffersMarketplaceFulfilment(kind string) bool {
	_, ok := fulfilmentCodes[kind][models.FulfilmentMarketplace]
	return ok
}

// fulfilmentSetting is the connector's "fulfilment" setting for the connection.
func fulfilmentSetting(c *models.Connection) (string, error) {
	fulfilment := cmp.Or(c.Fulfilment, models.FulfilmentMerchant)
	if code, ok := fulfilmentCodes[c.MarketplaceKind][fulfilment]; ok {
		return code, nil
	}
	if fulfilment == models.FulfilmentMerchant {
		return "", nil
	}
	if c.MarketplaceKind == "mirakl" {
		return "", fmt.Errorf("connection %q: Mirakl marketplaces are connected for orders you ship yourself; set the connection's fulfilment to \"You ship them\"", c.Name)
	}
	return "", fmt.Errorf("connection %q: marketplace %q does not ship orders itself; set the connection's fulfilment to \"You ship them\"", c.Name, c.MarketplaceKind)
}

// MarketplaceKinds lists the marketplace kinds orderhub connects to.
func MarketplaceKinds() []string { return keys(marketplaceKinds) }

// StoreKinds lists the store kinds orderhub pushes to (besides the Store API).
func StoreKinds() []string { return keys(storeKinds) }

func (r *Registry) Marketplace(c *models.Connection) (Marketplace, error) {
	key := c.MarketplaceKind + "\x00" + c.Fulfilment + "\x00" + c.MarketplaceSettings + "\x00" + c.MarketplaceCredentials
	r.mu.Lock()
	defer r.mu.Unlock()
	if hit, ok := r.marketplaces[c.ID]; ok && hit.key == key {
		return hit.connector, nil
	}
	mp, err := r.buildMarketplace(c)
	if err == nil && c.ID != 0 {
		r.marketplaces[c.ID] = cached[Marketplace]{key, mp}
	}
	return mp, err
}

func (r *Registry) buildMarketplace(c *models.Connection) (Marketplace, error) {
	build, ok := marketplaceKinds[c.MarketplaceKind]
	if !ok {
		return nil, fmt.Errorf("orderhub has no connector for marketplace %q", c.MarketplaceKind)
	}
	fulfilment, err := fulfilmentSetting(c)
	if err != nil {
		return nil, err
	}
	creds, err := c.MarketplaceCredentialsOpen(r.sealer)
	if err != nil {
		return nil, err
	}
	if fulfilment != "" {
		creds = maps.Clone(creds)
		creds["fulfilment"] = fulfilment // the connection's, whatever the settings say
	}
	config, err := mergeConfig(c.MarketplaceSettings, creds)
	if err != nil {
		return nil, fmt.Errorf("marketplace settings of connection %q: %w", c.Name, err)
	}
	return build(config)
}

func (r *Registry) Store(c *models.Connection) (Store, error) {
	key := c.StoreKind + "\x00" + c.StoreSettings + "\x00" + c.StoreCredentials
	r.mu.Lock()
	defer r.mu.Unlock()
	if hit, ok := r.stores[c.ID]; ok && hit.key == key {
		return hit.connector, nil
	}
	store, err := r.buildStore(c)
	if err == nil && c.ID != 0 {
		r.stores[c.ID] = cached[Store]{key, store}
	}
	return store, err
}

func (r *Registry) buildStore(c *models.Connection) (Store, error) {
	build, ok := storeKinds[c.StoreKind]
	if !ok {
		return nil, fmt.Errorf("orderhub has no connector for store %q", c.StoreKind)
	}
	creds, err := c.StoreCredentialsOpen(r.sealer)
	if err != nil {
		return nil, err
	}
	config, err := mergeConfig(c.StoreSettings, creds)
	if err != nil {
		return nil, fmt.Errorf("store settings of connection %q: %w", c.Name, err)
	}
	return build(config)
}

func mergeConfig(settings string, creds models.Credentials) ([]byte, error) {
	merged := map[string]any{}
	if settings != "" {
		if err := json.Unmarshal([]byte(settings), &merged); err != nil {
			return nil, err
		}
	}
	for k, v := range creds {
		merged[k] = v
	}
	return json.Marshal(merged)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
