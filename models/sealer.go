package models

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// Sealer encrypts credentials at rest with AES-256-GCM under a key derived from
// ORDERHUB_SECRET_KEY. A sealed value reads "v2:" + key id + ":" + base64(nonce | ciphertext),
// the key id being a fingerprint of the key it was sealed under, so that during a key rotation
// values sealed under a previous key (ORDERHUB_PREVIOUS_SECRET_KEYS) still open. Values written
// before key ids existed read "v1:" + base64(...) and are opened by trying every key.
type Sealer struct {
	current  sealKey
	previous []sealKey
}

// sealKey is one secret key's credentials cipher and its fingerprint.
type sealKey struct {
	id   string
	aead cipher.AEAD
}

// ErrUnsealable means a sealed value was damaged or sealed under a key orderhub no longer has.
var ErrUnsealable = errors.New("the stored credentials cannot be decrypted: they were saved under a secret key that is neither ORDERHUB_SECRET_KEY nor one of ORDERHUB_PREVIOUS_SECRET_KEYS; add that key to ORDERHUB_PREVIOUS_SECRET_KEYS or enter the credentials again")

const (
	sealPrefixV1 = "v1:"
	sealPrefixV2 = "v2:"
)

// NewSealer derives the credentials key from the current secret key, and the keys that still
// open older values from the previous ones.
func NewSealer(secretKey []byte, previousKeys ...[]byte) (*Sealer, error) {
	current, err := newSealKey(secretKey)
	if err != nil {
		return nil, err
	}
	s := &Sealer{current: current}
	for _, key := range previousKeys {
		previous, err := newSealKey(key)
		if err != nil {
			return nil, err
		}
		s.previous = append(s.previous, previous)
	}
	return s, nil
}

func newSealKey(secretKey []byte) (sealKey, error) {
	key, err := hkdf.Key(sha256.New, secretKey, nil, "orderhub credentials", 32)
	if err != nil {
		return sealKey{}, err
	}
	// The id is derived apart from the cipher key: it names the key without revealing it.
	fingerprint, err := hkdf.Key(sha256.New, secretKey, nil, "orderhub credentials key id", 4)
	if err != nil {
		return sealKey{}, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return sealKey{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return sealKey{}, err
	}
	return sealKey{id: hex.EncodeToString(fingerprint), aead: aead}, nil
}

// KeyID is the fingerprint of the current key, as written in the values it seals.
func (s *Sealer) KeyID() string { return s.current.id }

// Seal encrypts plaintext under the current key; additional data binds the value to where it is
// stored, so a sealed value copied to another row or column does not open.
func (s *Sealer) Seal(plaintext []byte, additional string) string {
	aead := s.current.aead
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	sealed := aead.Seal(nonce, nonce, plaintext, []byte(additional))
	return sealPrefixV2 + s.current.id + ":" + base64.StdEncoding.EncodeToString(sealed)
}

// SealedUnderCurrentKey reports whether a sealed value names the current key, i.e. needs no
// re-sealing after a key rotation.
func (s *Sealer) SealedUnderCurrentKey(sealed string) bool {
	return strings.HasPrefix(sealed, sealPrefixV2+s.current.id+":")
}

// Open decrypts a value made by Seal, under the current or a previous key, with the same
// additional data.
func (s *Sealer) Open(sealed, additional string) ([]byte, error) {
	var candidates []sealKey
	var encoded string
	switch {
	case strings.HasPrefix(sealed, sealPrefixV2):
		id, rest, ok := strings.Cut(strings.TrimPrefix(sealed, sealPrefixV2), ":")
		if !ok {
			return nil, ErrUnsealable
		}
		encoded = rest
		for _, key := range s.keys() {
			if key.id == id {
				candidates = append(candidates, key)
			}
		}
	case strings.HasPrefix(sealed, sealPrefixV1):
		encoded = strings.TrimPrefix(sealed, sealPrefixV1)
		candidates = s.keys()
	default:
		return nil, ErrUnsealable
	}
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, ErrUnsealable
	}
	for _, key := range candidates {
		size := key.aead.NonceSize()
		if len(raw) < size {
			continue
		}
		if plaintext, err := key.aead.Open(nil, raw[:size], raw[size:], []byte(additional)); err == nil {
			return plaintext, nil
		}
	}
	return nil, ErrUnsealable
}

// keys lists the current key first, then the previous ones in their configured order.
func (s *Sealer) keys() []sealKey {
	return append([]sealKey{s.current}, s.previous...)
}
