package prestashop

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// UnmarshalJSON reads a configuration whose numbers may come as text, as the connection form
// saves every setting.
func (cfg *Config) UnmarshalJSON(raw []byte) error {
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		return err
	}
	for _, key := range []string{"carrier_id", "language_id", "fulfilled_state"} {
		text, ok := fields[key].(string)
		if !ok {
			continue
		}
		if text = strings.TrimSpace(text); text == "" {
			delete(fields, key)
			continue
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return fmt.Errorf("the %s %q is not a number", strings.ReplaceAll(key, "_", " "), text)
		}
		fields[key] = n
	}
	normalized, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	type plain Config
	return json.Unmarshal(normalized, (*plain)(cfg))
}
