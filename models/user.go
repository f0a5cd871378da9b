package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Roles. Admins and staff belong to one merchant; support agents work across merchants.
const (
	RoleAdmin   = "admin"
	RoleStaff   = "staff"
	RoleSupport = "support"
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

var (
	ErrEmailTaken   = errors.New("an account with this email already exists")
	ErrInvalidLogin = errors.New("email or password is wrong")
)

// User is a person who logs in.
type User struct {
	ID           int64
	MerchantID   *int64
	Email        string
	Name         string
	Role         string
	PasswordHash string
	Language     string // chosen for the pages; empty: the browser's
	LastLoginAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// IsAdmin reports whether the user manages its merchant's account.
func (u *User) IsAdmin() bool { return u.Role == RoleAdmin }

// IsSupport reports whether the user is a support agent.
func (u *User) IsSupport() bool { return u.Role == RoleSupport }

// DisplayName is the name, or the email when no name was given.
func (u *User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// NewUser is what creating a user takes.
type NewUser struct {
	MerchantID *int64
	Name       string
	Email      string
	Password   string
	Role       string
}

// ValidRole reports whether role is one orderhub knows.
func ValidRole(role string) bool {
	return role == RoleAdmin || role == RoleStaff || role == RoleSupport
}

// NormalizeEmail trims and lower-cases an email address, the form it is stored and looked up in.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser validates and stores a user with a hashed password.
func CreateUser(ctx context.Context, db *gorm.DB, in NewUser) (*User, error) {
	email := NormalizeEmail(in.Email)
	if _, err := mail.ParseAddress(email); err != nil || !strings.Contains(email, "@") {
		return nil, fmt.Errorf("%q is not an email address", in.Email)
	}
	if !ValidRole(in.Role) {
		return nil, fmt.Errorf("role %q is unknown: use admin, staff or support", in.Role)
	}
	if (in.Role == RoleSupport) != (in.MerchantID == nil) {
		return nil, errors.New("admins and staff belong to a merchant; support agents to none")
	}
	if len(in.Password) < MinPasswordLength {
		return nil, fmt.Errorf("the password must have at least %d characters", MinPasswordLength)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("the password cannot be used: %w", err)
	}
	user := &User{MerchantID: in.MerchantID, Email: email, Name: strings.TrimSpace(in.Name), Role: in.Role, PasswordHash: string(hash)}
	err = db.WithContext(ctx).Create(user).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, ErrEmailTaken
	}
	if err != nil {
		return nil, err
	}
	return user, nil
}

// Authenticate returns the user with that email and password, or ErrInvalidLogin.
func Authenticate(ctx context.Context, db *gorm.DB, email, password string) (*User, error) {
	var user User
	err := db.WithContext(ctx).Where("lower(email) = ?", NormalizeEmail(email)).First(&user).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		// Spend the same time as a real check so response times do not reveal accounts.
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, ErrInvalidLogin
	}
	if err != nil {
		return nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(user.PasswordHash), []byte(password)) != nil {
		return nil, ErrInvalidLogin
	}
	now := time.Now().UTC()
	user.LastLoginAt = &now
	if err := db.WithContext(ctx).Model(&user).Update("last_login_at", now).Error; err != nil {
		return nil, err
	}
	return &user, nil
}

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("orderhub-timing-equaliser"), bcrypt.DefaultCost)

// FindUser returns a user by id, whatever its merchant: for the session, not for pages.
func FindUser(ctx context.Context, db *gorm.DB, id int64) (*User, error) {
	var user User
	if err := db.WithContext(ctx).First(&user, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &user, nil
}

// MerchantUser returns one of a merchant's users; another merchant's user is ErrNotFound.
func MerchantUser(ctx context.Context, db *gorm.DB, merchantID, id int64) (*User, error) {
	var user User
	if err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).First(&user, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &user, nil
}

// MerchantUsers lists a merchant's users, admins first.
func MerchantUsers(ctx context.Context, db *gorm.DB, merchantID int64) ([]User, error) {
	var users []User
	err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).
		Order("CASE role WHEN 'admin' THEN 0 ELSE 1 END, lower(email)").Find(&users).Error
	return users, err
}

// CountUsers counts every account, to know whether orderhub still waits for its first one.
func CountUsers(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}

// SetUserLanguage keeps the language a person chose for the pages.
func SetUserLanguage(ctx context.Context, db *gorm.DB, u *User, language string) error {
	u.Language = language
	return db.WithContext(ctx).Model(&User{}).Where("id = ?", u.ID).Update("language", language).Error
}
