package models

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Connection states.
const (
	ConnectionDraft  = "draft"
	ConnectionActive = "active"
	ConnectionPaused = "paused"
)

// Fulfilment: who ships. Marketplace-fulfilled orders live on connections of their own.
const (
	FulfilmentMerchant    = "merchant"
	FulfilmentMarketplace = "marketplace"
)

// StoreKindAPI is a store that pulls its orders from orderhub's API instead of a connector.
const StoreKindAPI = "api"

// Buyer fields a connection may require before an order goes to the store.
var BuyerFields = []string{"name", "street", "postcode", "city", "country", "phone", "email"}

// Connection links one marketplace account to one store for one merchant.
type Connection struct {
	ID                     int64
	MerchantID             int64
	Name                   string
	Country                string
	ShippingMethod         string
	Fulfilment             string
	MarketplaceKind        string
	MarketplaceSettings    string // JSON object, not secret
	MarketplaceCredentials string // sealed JSON object
	StoreKind              string
	StoreSettings          string // JSON object, not secret
	StoreCredentials       string // sealed JSON object
	State                  string
	ActivationDate         *time.Time
	AutoAccept             bool
	PollIntervalSeconds    int
	BlockOutOfStock        bool
	ActiveCountries        string // comma-separated ISO alpha-2 codes; empty: every country
	RequiredFields         string // comma-separated BuyerFields
	TrackingWaitSeconds    int
	DefaultCarrierCode     string
	DefaultCarrierName     string
	DefaultCarrierURL      string // tracking URL template with {tracking}
	MarketplaceCursor      string
	StoreCursor            string
	NextPollAt             *time.Time
	LastPollAt             *time.Time
	LastPollError          string
	CatalogueSyncedAt      *time.Time
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

// NewConnection returns a draft connection with the defaults a merchant expects.
func NewConnection(merchantID int64, name, marketplaceKind string) *Connection {
	return &Connection{
		MerchantID: merchantID, Name: strings.TrimSpace(name), MarketplaceKind: marketplaceKind,
		Fulfilment: FulfilmentMerchant, State: ConnectionDraft,
		MarketplaceSettings: "{}", StoreSettings: "{}",
		AutoAccept: true, PollIntervalSeconds: 60, BlockOutOfStock: true,
		RequiredFields: "name,street,postcode,city,country", TrackingWaitSeconds: 3 * 60 * 60,
	}
}

// PollInterval is how often the marketplace is polled.
func (c *Connection) PollInterval() time.Duration {
	return time.Duration(c.PollIntervalSeconds) * time.Second
}

// TrackingWait is how long a shipment without tracking waits for one.
func (c *Connection) TrackingWait() time.Duration {
	return time.Duration(c.TrackingWaitSeconds) * time.Second
}

// Countries lists the active shipping countries; empty means all.
func (c *Connection) Countries() []string { return splitList(strings.ToUpper(c.ActiveCountries)) }

// CountryActive reports whether orders shipping to country are taken.
func (c *Connection) CountryActive(country string) bool {
	countries := c.Countries()
	return len(countries) == 0 || slices.Contains(countries, strings.ToUpper(country))
}

// ActivateCountry adds a country to the active ones (no change when all are active).
func (c *Connection) ActivateCountry(country string) {
	if c.CountryActive(country) {
		return
	}
	c.ActiveCountries = strings.Join(append(c.Countries(), strings.ToUpper(country)), ",")
}

// Requires reports whether a buyer field must be present.
func (c *Connection) Requires(field string) bool {
	return slices.Contains(splitList(strings.ToLower(c.RequiredFields)), field)
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// Credentials are a connector's secrets, e.g. {"api_key": "..."}.
type Credentials map[string]string

// SetMarketplaceCredentials seals and stores the marketplace's credentials.
func (c *Connection) SetMarketplaceCredentials(s *Sealer, creds Credentials) error {
	sealed, err := sealCredentials(s, creds, c.credentialsBinding("marketplace"))
	c.MarketplaceCredentials = sealed
	return err
}

// MarketplaceCredentialsOpen returns the marketplace's credentials in clear.
func (c *Connection) MarketplaceCredentialsOpen(s *Sealer) (Credentials, error) {
	return openCredentials(s, c.MarketplaceCredentials, c.credentialsBinding("marketplace"))
}

// SetStoreCredentials seals and stores the store's credentials.
func (c *Connection) SetStoreCredentials(s *Sealer, creds Credentials) error {
	sealed, err := sealCredentials(s, creds, c.credentialsBinding("store"))
	c.StoreCredentials = sealed
	return err
}

// StoreCredentialsOpen returns the store's credentials in clear.
func (c *Connection) StoreCredentialsOpen(s *Sealer) (Credentials, error) {
	return openCredentials(s, c.StoreCredentials, c.credentialsBinding("store"))
}

// credentialsBinding ties sealed credentials to their merchant and side. (Not the connection
// id: credentials are entered before a draft is saved.)
func (c *Connection) credentialsBinding(side string) string {
	return "merchant:" + strconv.FormatInt(c.MerchantID, 10) + ":" + side
}

func sealCredentials(s *Sealer, creds Credentials, binding string) (string, error) {
	if len(creds) == 0 {
		return "", nil
	}
	raw, err := json.Marshal(creds)
	if err != nil {
		return "", err
	}
	return s.Seal(raw, binding), nil
}

func openCredentials(s *Sealer, sealed, binding string) (Credentials, error) {
	if sealed == "" {
		return Credentials{}, nil
	}
	raw, err := s.Open(sealed, binding)
	if err != nil {
		return nil, err
	}
	var creds Credentials
	if err := json.Unmarshal(raw, &creds); err != nil {
		return nil, ErrUnsealable
	}
	return creds, nil
}

// Mask shows enough of a secret to recognise it, never all of it.
func Mask(secret string) string {
	if len(secret) <= 8 {
		return strings.Repeat("•", 8)
	}
	return secret[:3] + "…" + secret[len(secret)-4:]
}

// ErrInvalidTransition is returned for a state change the rules do not allow.
var ErrInvalidTransition error = NewUserError("common.error.invalid_transition", nil, "this change is not possible from the current state")

// The problems ActivationProblems may list, with their texts in the locale files.
var (
	problemMarketplace      = Text{ID: "setup.problem.marketplace", English: "choose the marketplace"}
	problemCredentials      = Text{ID: "setup.problem.credentials", English: "enter the marketplace credentials"}
	problemStore            = Text{ID: "setup.problem.store", English: "choose the store"}
	problemStoreCredentials = Text{ID: "setup.problem.store_credentials", English: "enter the store credentials"}
	problemCarrier          = Text{ID: "setup.problem.carrier", English: "choose a default carrier"}
)

// ActivationProblems lists what is missing before the connection may be activated.
func (c *Connection) ActivationProblems() []string {
	var problems []string
	for _, p := range c.activationProblems() {
		problems = append(problems, p.English)
	}
	return problems
}

func (c *Connection) activationProblems() Texts {
	var problems Texts
	if c.MarketplaceKind == "" {
		problems = append(problems, problemMarketplace)
	}
	if c.MarketplaceCredentials == "" {
		problems = append(problems, problemCredentials)
	}
	if c.StoreKind == "" {
		problems = append(problems, problemStore)
	} else if c.StoreKind != StoreKindAPI && c.StoreCredentials == "" {
		problems = append(problems, problemStoreCredentials)
	}
	if c.DefaultCarrierName == "" {
		problems = append(problems, problemCarrier)
	}
	return problems
}

// MaxActivationBackdate is how far back the activation date may go to catch open orders.
const MaxActivationBackdate = 30 * 24 * time.Hour

// Activate starts the connection: orders placed from activationDate on are imported.
func (c *Connection) Activate(activationDate, now time.Time) error {
	if c.State == ConnectionActive {
		return ErrInvalidTransition
	}
	if problems := c.activationProblems(); len(problems) > 0 {
		return NewUserError("setup.error.not_ready", map[string]any{"Problems": problems},
			"the connection cannot be activated yet: "+problems.String())
	}
	if err := checkActivationDate(activationDate, now); err != nil {
		return err
	}
	date := activationDate.UTC()
	c.ActivationDate = &date
	c.State = ConnectionActive
	next := now.UTC()
	c.NextPollAt = &next
	return nil
}

// MoveActivationDate changes the date orders are taken from. Moving it back re-reads the
// marketplace from the start, so that open orders placed earlier are imported.
func (c *Connection) MoveActivationDate(date, now time.Time) error {
	if err := checkActivationDate(date, now); err != nil {
		return err
	}
	if c.ActivationDate != nil && date.Before(*c.ActivationDate) {
		c.MarketplaceCursor = ""
	}
	date = date.UTC()
	c.ActivationDate = &date
	return nil
}

// checkActivationDate refuses an activation date more than MaxActivationBackdate ago, or
// in the future.
func checkActivationDate(date, now time.Time) error {
	if earliest := now.Add(-MaxActivationBackdate); date.Before(earliest) {
		return NewUserError("setup.error.activation_too_early", map[string]any{"Date": Day(earliest)},
			"the activation date can go back at most 30 days (to "+Day(earliest).String()+")")
	}
	if date.After(now) {
		return NewUserError("setup.error.activation_future", nil, "the activation date cannot be in the future")
	}
	return nil
}

// Pause stops polling; Resume starts it again at once.
func (c *Connection) Pause() error {
	if c.State != ConnectionActive {
		return ErrInvalidTransition
	}
	c.State = ConnectionPaused
	return nil
}

// Resume restarts a paused connection.
func (c *Connection) Resume(now time.Time) error {
	if c.State != ConnectionPaused {
		return ErrInvalidTransition
	}
	c.State = ConnectionActive
	next := now.UTC()
	c.NextPollAt = &next
	return nil
}

// SaveConnection inserts or updates a connection.
func SaveConnection(ctx context.Context, db *gorm.DB, c *Connection) error {
	return db.WithContext(ctx).Save(c).Error
}

// MerchantConnection returns one of a merchant's connections.
func MerchantConnection(ctx context.Context, db *gorm.DB, merchantID, id int64) (*Connection, error) {
	var c Connection
	if err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).First(&c, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// MerchantConnections lists a merchant's connections by name.
func MerchantConnections(ctx context.Context, db *gorm.DB, merchantID int64) ([]Connection, error) {
	var list []Connection
	err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).Order("lower(name), id").Find(&list).Error
	return list, err
}
