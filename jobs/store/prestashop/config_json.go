package prestashop

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// UnmarshalJSON reads a configuration whose numbers may come as text, as the connection form
// saves every setting: "7" for a carrier id, "4, 5" for a list of state ids.
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
	for _, key := range []string{"shipped_states", "cancelled_states"} {
		text, ok := fields[key].(string)
		if !ok {
			continue
		}
		var ids []int64
		for _, part := range strings.Split(text, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			n, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				return fmt.Errorf("the %s %q are not state ids separated by commas", strings.ReplaceAll(key, "_", " "), text)
			}
			ids = append(ids, n)
		}
		if len(ids) == 0 {
			delete(fields, key)
			continue
		}
		fields[key] = ids
	}
	normalized, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	type plain Config
	return json.Unmarshal(normalized, (*plain)(cfg))
}
