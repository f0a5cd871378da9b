package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// MaxNoteLength is the longest note accepted, in characters.
const MaxNoteLength = 2000

// OrderNote is an internal note on an order, by the merchant's people or a support agent;
// neither the buyer nor the marketplace sees it. Notes are only ever added.
type OrderNote struct {
	ID         int64
	MerchantID int64
	OrderID    int64
	AuthorID   *int64 // nil once the author's account is gone
	Body       string
	CreatedAt  time.Time
	Author     *User `gorm:"foreignKey:AuthorID"` // filled by OrderNotes
}

// AuthorName is who wrote the note, as the pages name people; "" when the account is gone.
func (n *OrderNote) AuthorName() string {
	if n.Author == nil {
		return ""
	}
	return n.Author.DisplayName()
}

// AddOrderNote adds a note by the author to the merchant's order, and says so in the order's
// timeline in the actor's name. The body is trimmed and must keep to 1..MaxNoteLength
// characters (a UserError otherwise). Another merchant's order, or an author who neither works
// for the merchant nor is a support agent, is ErrNotFound.
func AddOrderNote(ctx context.Context, db *gorm.DB, merchantID, orderID, authorID int64, body, actor string, now time.Time) (*OrderNote, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, NewUserError("order.note.empty", nil, "write the note first")
	}
	if n := utf8.RuneCountInString(body); n > MaxNoteLength {
		return nil, NewUserError("order.note.too_long", map[string]any{"Max": MaxNoteLength, "Count": n},
			fmt.Sprintf("keep the note to %d characters: it has %d", MaxNoteLength, n))
	}
	var note *OrderNote
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o, err := merchantOrderRow(ctx, tx, merchantID, orderID)
		if err != nil {
			return err
		}
		author, err := actingUser(ctx, tx, merchantID, authorID)
		if err != nil {
			return err
		}
		note = &OrderNote{MerchantID: merchantID, OrderID: o.ID, AuthorID: &author.ID, Body: body, CreatedAt: now.UTC()}
		if err := tx.Create(note).Error; err != nil {
			return err
		}
		note.Author = author
		return AddOrderEvent(ctx, tx, o, actor, "order.note", author.DisplayName()+" added a note.", nil, now)
	})
	if err != nil {
		return nil, err
	}
	return note, nil
}

// OrderNotes lists the notes on the merchant's order, newest first, with their authors.
func OrderNotes(ctx context.Context, db *gorm.DB, merchantID, orderID int64) ([]OrderNote, error) {
	var notes []OrderNote
	err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).Where("order_id = ?", orderID).
		Preload("Author", preloadPerson).Order("id DESC").Find(&notes).Error
	return notes, err
}

// preloadPerson reads of a user what the pages show of a person, nothing of their login.
func preloadPerson(db *gorm.DB) *gorm.DB {
	return db.Select("id", "merchant_id", "email", "name", "role")
}

// merchantOrderRow is the merchant's order without its lines, for what only needs to know it
// is theirs; ErrNotFound otherwise.
func merchantOrderRow(ctx context.Context, db *gorm.DB, merchantID, orderID int64) (*Order, error) {
	var o Order
	if err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).Select("id", "merchant_id").First(&o, orderID).Error; err != nil {
		return nil, notFound(err)
	}
	return &o, nil
}

// actingUser is a user who may work on the merchant's orders: one of its people, or a support
// agent. Anyone else is ErrNotFound, as another merchant's row would be.
func actingUser(ctx context.Context, db *gorm.DB, merchantID, userID int64) (*User, error) {
	var u User
	err := preloadPerson(db.WithContext(ctx)).
		Where("id = ? AND (merchant_id = ? OR role = ?)", userID, merchantID, RoleSupport).First(&u).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}
