package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// sealedColumns are every column holding a value made by Sealer.Seal, with the additional data
// each was sealed with (Connection.credentialsBinding).
var sealedColumns = []struct {
	column string
	side   string
}{
	{column: "marketplace_credentials", side: "marketplace"},
	{column: "store_credentials", side: "store"},
}

// KeyRotation is what RotateSealedValues did.
type KeyRotation struct {
	Resealed int // values sealed under an older key, now sealed under the current one
	Current  int // values already under the current key, left alone
	Empty    int // columns holding no credentials
	Failures []RotationFailure
	Duration time.Duration
}

// RotationFailure is a sealed value that no configured key opens.
type RotationFailure struct {
	ConnectionID int64
	MerchantID   int64
	Name         string
	Column       string
}

func (f RotationFailure) String() string {
	return fmt.Sprintf("connection %d %q of merchant %d: %s", f.ConnectionID, f.Name, f.MerchantID, f.Column)
}

// rotationBatch is how many connections are read at a time.
const rotationBatch = 200

// rotationAttempts bounds how often one value is re-read when another process keeps changing
// it between our read and our update.
const rotationAttempts = 5

// RotateSealedValues re-seals every sealed value under the sealer's current key, row by row.
// Each update only applies if the column still holds the value that was read, so credentials a
// running process saves meanwhile are never overwritten: that row is read again and retried.
// Values already under the current key are skipped, so running it twice changes nothing.
// Values no configured key opens are left as they are and reported.
func RotateSealedValues(ctx context.Context, db *gorm.DB, s *Sealer) (KeyRotation, error) {
	started := time.Now()
	var report KeyRotation
	var afterID int64
	for {
		var rows []sealedRow
		err := db.WithContext(ctx).Table("connections").
			Select("id, merchant_id, name, marketplace_credentials, store_credentials").
			Where("id > ?", afterID).Order("id").Limit(rotationBatch).Scan(&rows).Error
		if err != nil {
			return report, err
		}
		for _, row := range rows {
			for _, sc := range sealedColumns {
				if err := rotateValue(ctx, db, s, row, sc.column, sc.side, &report); err != nil {
					return report, err
				}
			}
			afterID = row.ID
		}
		if len(rows) < rotationBatch {
			break
		}
	}
	report.Duration = time.Since(started)
	return report, nil
}

type sealedRow struct {
	ID                     int64
	MerchantID             int64
	Name                   string
	MarketplaceCredentials string
	StoreCredentials       string
}

func (r sealedRow) value(column string) string {
	if column == "marketplace_credentials" {
		return r.MarketplaceCredentials
	}
	return r.StoreCredentials
}

// rotateValue re-seals one column of one connection, re-reading it while another process
// changes it under us.
func rotateValue(ctx context.Context, db *gorm.DB, s *Sealer, row sealedRow, column, side string, report *KeyRotation) error {
	binding := (&Connection{MerchantID: row.MerchantID}).credentialsBinding(side)
	old := row.value(column)
	for range rotationAttempts {
		if old == "" {
			report.Empty++
			return nil
		}
		plaintext, err := s.Open(old, binding)
		if err != nil {
			report.Failures = append(report.Failures, RotationFailure{ConnectionID: row.ID, MerchantID: row.MerchantID, Name: row.Name, Column: column})
			return nil
		}
		if s.SealedUnderCurrentKey(old) {
			report.Current++
			return nil
		}
		// Raw SQL: rotating a key is not a change of the connection, updated_at stays.
		result := db.WithContext(ctx).Exec("UPDATE connections SET "+column+" = ? WHERE merchant_id = ? AND id = ? AND "+column+" = ?",
			s.Seal(plaintext, binding), row.MerchantID, row.ID, old)
		if result.Error != nil {
			return result.Error
		}
		if result.RowsAffected == 1 {
			report.Resealed++
			return nil
		}
		var current []string
		err = db.WithContext(ctx).Table("connections").Where("merchant_id = ? AND id = ?", row.MerchantID, row.ID).Pluck(column, &current).Error
		if err != nil {
			return err
		}
		if len(current) == 0 {
			return nil // deleted meanwhile
		}
		old = current[0]
	}
	return errors.New("connection " + strconv.FormatInt(row.ID, 10) + ": its " + column + " kept changing while being re-sealed; run orderhub rotate-key again")
}
