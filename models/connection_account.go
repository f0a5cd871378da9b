package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// accountFields name, per marketplace kind, the settings and credentials that identify one
// marketplace account. Two active connections of one merchant on the same account and the
// same fulfilment would import every order twice; one merchant-fulfilled and one
// marketplace-fulfilled connection share the account's orders between them.
var accountFields = map[string]struct{ settings, credentials []string }{
	"amazon": {settings: []string{"marketplace_id"}, credentials: []string{"client_id", "refresh_token"}},
	"bol":    {credentials: []string{"client_id"}},
}

// accountIdentity is the account a connection reads, "" when the kind has no rule or the
// credentials are not entered yet.
func (c *Connection) accountIdentity(s *Sealer) (string, error) {
	fields, ok := accountFields[c.MarketplaceKind]
	if !ok || c.MarketplaceCredentials == "" {
		return "", nil
	}
	creds, err := c.MarketplaceCredentialsOpen(s)
	if err != nil {
		return "", err
	}
	settings := Settings(c.MarketplaceSettings)
	parts := []string{c.MarketplaceKind}
	for _, name := range fields.credentials {
		parts = append(parts, strings.TrimSpace(creds[name]))
	}
	for _, name := range fields.settings {
		parts = append(parts, strings.TrimSpace(settings[name]))
	}
	return strings.Join(parts, "\x00"), nil
}

// CheckAccountFree refuses to start c when another active connection of the merchant reads the
// same marketplace account for the same fulfilment, naming that connection.
func CheckAccountFree(ctx context.Context, db *gorm.DB, s *Sealer, c *Connection) error {
	identity, err := c.accountIdentity(s)
	if err != nil || identity == "" {
		return err
	}
	var others []Connection
	err = db.WithContext(ctx).Scopes(ForMerchant(c.MerchantID)).
		Where("id <> ? AND state = ? AND marketplace_kind = ? AND fulfilment = ?", c.ID, ConnectionActive, c.MarketplaceKind, c.Fulfilment).
		Order("id").Find(&others).Error
	if err != nil {
		return err
	}
	for i := range others {
		other, err := others[i].accountIdentity(s)
		if err != nil {
			continue // credentials this key cannot open read no account orderhub could compare
		}
		if other == identity {
			return NewUserError("setup.error.same_account", map[string]any{"Name": others[i].Name},
				fmt.Sprintf("connection %q already takes the orders of this marketplace account shipped by the same party: pause it first, or change who ships these orders on the marketplace step", others[i].Name))
		}
	}
	return nil
}
