package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"strings"

	"github.com/orderhub/orderhub/models"
)

// rotateKey re-seals every stored credential under ORDERHUB_SECRET_KEY, opening the old values
// with ORDERHUB_PREVIOUS_SECRET_KEYS; with --new-key it only prints a fresh key.
func rotateKey(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("rotate-key", flag.ContinueOnError)
	newKey := flags.Bool("new-key", false, "print a freshly generated secret key and exit")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *newKey {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		fmt.Println(hex.EncodeToString(key))
		fmt.Println("(start every orderhub process with this as ORDERHUB_SECRET_KEY and the current key in ORDERHUB_PREVIOUS_SECRET_KEYS, then run orderhub rotate-key)")
		return nil
	}

	cfg, db, _, err := setup(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	sealer, err := models.NewSealer(cfg.SecretKey, cfg.PreviousSecretKeys...)
	if err != nil {
		return err
	}
	report, err := models.RotateSealedValues(ctx, db.Gorm, sealer)
	if err != nil {
		return fmt.Errorf("rotating the secret key (run it again: finished values are skipped): %w", err)
	}
	fmt.Printf("re-sealed %d values under key %s, %d already under it, %d empty, in %.1f seconds\n",
		report.Resealed, sealer.KeyID(), report.Current, report.Empty, report.Duration.Seconds())
	if len(report.Failures) > 0 {
		names := make([]string, len(report.Failures))
		for i, failure := range report.Failures {
			names[i] = failure.String()
		}
		return fmt.Errorf("%d values open under no configured key, left as they were:\n  - %s\nadd the key they were saved with to ORDERHUB_PREVIOUS_SECRET_KEYS and run orderhub rotate-key again, or enter those credentials again in the connection's settings",
			len(report.Failures), strings.Join(names, "\n  - "))
	}
	return nil
}
