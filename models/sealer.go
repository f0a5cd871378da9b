package models

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// Sealer encrypts credentials at rest with AES-256-GCM under a key derived from
// ORDERHUB_SECRET_KEY. A sealed value reads "v1:" + base64(nonce | ciphertext); the version
// leaves room for key rotation.
type Sealer struct {
	aead cipher.AEAD
}

// ErrUnsealable means a sealed value was damaged or sealed under another key.
var ErrUnsealable = errors.New("the stored credentials cannot be decrypted: ORDERHUB_SECRET_KEY differs from the one they were saved with; enter them again")

const sealPrefix = "v1:"

// NewSealer derives the credentials key from the secret key.
func NewSealer(secretKey []byte) (*Sealer, error) {
	key, err := hkdf.Key(sha256.New, secretKey, nil, "orderhub credentials", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext; additional data binds the value to where it is stored, so a sealed
// value copied to another row or column does not open.
func (s *Sealer) Seal(plaintext []byte, additional string) string {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	sealed := s.aead.Seal(nonce, nonce, plaintext, []byte(additional))
	return sealPrefix + base64.StdEncoding.EncodeToString(sealed)
}

// Open decrypts a value made by Seal with the same additional data.
func (s *Sealer) Open(sealed, additional string) ([]byte, error) {
	if !strings.HasPrefix(sealed, sealPrefix) {
		return nil, ErrUnsealable
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, sealPrefix))
	if err != nil || len(raw) < s.aead.NonceSize() {
		return nil, ErrUnsealable
	}
	nonce, ciphertext := raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():]
	plaintext, err := s.aead.Open(nil, nonce, ciphertext, []byte(additional))
	if err != nil {
		return nil, ErrUnsealable
	}
	return plaintext, nil
}
