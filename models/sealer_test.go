package models_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

const (
	keyA = "A123456789abcdef0123456789abcdef"
	keyB = "B123456789abcdef0123456789abcdef"
	keyC = "C123456789abcdef0123456789abcdef"
)

func sealerWith(t *testing.T, current string, previous ...string) *models.Sealer {
	t.Helper()
	var keys [][]byte
	for _, key := range previous {
		keys = append(keys, []byte(key))
	}
	s, err := models.NewSealer([]byte(current), keys...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealedValuesNameTheirKeyAndOpenUnderPreviousKeys(t *testing.T) {
	a := sealerWith(t, keyA)
	b := sealerWith(t, keyB, keyC, keyA)
	sealed := a.Seal([]byte("mk-live-5f3a9c"), "merchant:1:marketplace")

	if !strings.HasPrefix(sealed, "v2:"+a.KeyID()+":") || a.KeyID() == b.KeyID() || len(a.KeyID()) != 8 {
		t.Fatalf("sealed %q, key ids %q %q", sealed, a.KeyID(), b.KeyID())
	}
	if strings.Contains(sealed, keyA) || a.KeyID() == hex.EncodeToString([]byte(keyA)[:4]) {
		t.Fatalf("the sealed value shows the key: %q", sealed)
	}
	if plain, err := b.Open(sealed, "merchant:1:marketplace"); err != nil || string(plain) != "mk-live-5f3a9c" {
		t.Fatalf("B with previous A opened %q, %v", plain, err)
	}
	if !a.SealedUnderCurrentKey(sealed) || b.SealedUnderCurrentKey(sealed) {
		t.Fatal("SealedUnderCurrentKey does not follow the key id")
	}
	if _, err := sealerWith(t, keyB).Open(sealed, "merchant:1:marketplace"); !errors.Is(err, models.ErrUnsealable) {
		t.Fatalf("B alone opened a value sealed under A: %v", err)
	}
	if _, err := b.Open(sealed, "merchant:2:marketplace"); !errors.Is(err, models.ErrUnsealable) {
		t.Fatalf("opened with another merchant's binding: %v", err)
	}
	// A value naming an unknown key id does not open, even though A is configured.
	forged := "v2:00000000:" + strings.SplitN(sealed, ":", 3)[2]
	if _, err := b.Open(forged, "merchant:1:marketplace"); !errors.Is(err, models.ErrUnsealable) {
		t.Fatalf("opened a value naming an unknown key: %v", err)
	}
}

// sealV1 seals the way orderhub did before key ids: "v1:" + base64(nonce | ciphertext).
func sealV1(t *testing.T, secretKey string, plaintext []byte, additional string) string {
	t.Helper()
	key, err := hkdf.Key(sha256.New, []byte(secretKey), nil, "orderhub credentials", 32)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	return "v1:" + base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, plaintext, []byte(additional)))
}

func TestVersionOneValuesOpenUnderTheCurrentOrAPreviousKey(t *testing.T) {
	underA := sealV1(t, keyA, []byte("secret-a"), "merchant:1:store")
	underB := sealV1(t, keyB, []byte("secret-b"), "merchant:1:store")
	s := sealerWith(t, keyB, keyA)
	if plain, err := s.Open(underA, "merchant:1:store"); err != nil || string(plain) != "secret-a" {
		t.Fatalf("v1 under the previous key: %q %v", plain, err)
	}
	if plain, err := s.Open(underB, "merchant:1:store"); err != nil || string(plain) != "secret-b" {
		t.Fatalf("v1 under the current key: %q %v", plain, err)
	}
	if _, err := sealerWith(t, keyC).Open(underA, "merchant:1:store"); !errors.Is(err, models.ErrUnsealable) {
		t.Fatalf("v1 under an unknown key: %v", err)
	}
}

func TestPreviousSecretKeysAreReadAndABadEntryIsNamed(t *testing.T) {
	base := map[string]string{"DATABASE_URL": "postgres://localhost/orderhub", "ORDERHUB_SECRET_KEY": strings.Repeat("0f", 32)}
	base["ORDERHUB_PREVIOUS_SECRET_KEYS"] = strings.Repeat("1a", 32) + ", " + strings.Repeat("2b", 32) + ","
	cfg, err := models.LoadConfig(env(base))
	if err != nil || len(cfg.PreviousSecretKeys) != 2 || cfg.PreviousSecretKeys[1][0] != 0x2b {
		t.Fatalf("two previous keys: %v %d", err, len(cfg.PreviousSecretKeys))
	}
	base["ORDERHUB_PREVIOUS_SECRET_KEYS"] = strings.Repeat("1a", 32) + ",not-a-key-zz"
	_, err = models.LoadConfig(env(base))
	if err == nil || !strings.Contains(err.Error(), "ORDERHUB_PREVIOUS_SECRET_KEYS entry 2") || strings.Contains(err.Error(), "not-a-key-zz") {
		t.Fatalf("bad second entry: %v", err)
	}
}

func TestConnectionCredentialsColumnsHoldOnlySealedValues(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	s := sealerWith(t, keyA)
	m, _, err := models.SignUp(ctx, db.Gorm, "Sealed", "", "sealed@a.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	c := models.NewConnection(m.ID, "Fnac FR", "mirakl")
	if err := c.SetMarketplaceCredentials(s, models.Credentials{"api_key": "mk-plain-marketplace-key"}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetStoreCredentials(s, models.Credentials{"consumer_key": "ck_plain_store_key", "consumer_secret": "cs_plain_store_secret"}); err != nil {
		t.Fatal(err)
	}
	if err := models.SaveConnection(ctx, db.Gorm, c); err != nil {
		t.Fatal(err)
	}
	marketplace, store := rawCredentials(t, db, c.ID)
	for column, raw := range map[string]string{"marketplace_credentials": marketplace, "store_credentials": store} {
		if !strings.HasPrefix(raw, "v2:"+s.KeyID()+":") {
			t.Errorf("%s holds %q, not a sealed value", column, raw)
		}
		for _, secret := range []string{"mk-plain-marketplace-key", "ck_plain_store_key", "cs_plain_store_secret", "api_key", "consumer_secret"} {
			if strings.Contains(raw, secret) {
				t.Errorf("%s holds %q in clear", column, secret)
			}
		}
	}
}

// rawCredentials reads both credentials columns as stored, bypassing the model.
func rawCredentials(t *testing.T, db *models.DB, connectionID int64) (marketplace, store string) {
	t.Helper()
	row := db.Gorm.Raw("SELECT marketplace_credentials, store_credentials FROM connections WHERE id = ?", connectionID).Row()
	if err := row.Scan(&marketplace, &store); err != nil {
		t.Fatal(err)
	}
	return marketplace, store
}
