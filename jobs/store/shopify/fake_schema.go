package shopify

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The part of the Admin GraphQL schema (2025-01) the fake serves, written from the reference
// on shopify.dev: input objects with their field types, enums, and the root fields with their
// arguments and access scopes. Types are written as in GraphQL: "[String!]!".

var fakeInputTypes = map[string]map[string]string{
	"OrderCreateOrderInput": {
		"billingAddress": "MailingAddressInput", "buyerAcceptsMarketing": "Boolean", "closedAt": "DateTime",
		"companyLocationId": "ID", "currency": "CurrencyCode", "customAttributes": "[OrderCreateCustomAttributeInput!]",
		"customerId": "ID",
		"customer":   "JSON", "discountCode": "JSON", "email": "String", "financialStatus": "OrderCreateFinancialStatus",
		"fulfillment": "OrderCreateFulfillmentInput", "fulfillmentStatus": "OrderCreateFulfillmentStatus",
		"lineItems": "[OrderCreateLineItemInput!]", "metafields": "[MetafieldInput!]", "name": "String",
		"note": "String", "phone": "String", "poNumber": "String", "presentmentCurrency": "CurrencyCode",
		"processedAt": "DateTime", "referringSite": "URL", "shippingAddress": "MailingAddressInput",
		"shippingLines": "[OrderCreateShippingLineInput!]", "sourceIdentifier": "String", "sourceName": "String",
		"sourceUrl": "URL", "tags": "[String!]", "taxesIncluded": "Boolean", "taxLines": "[OrderCreateTaxLineInput!]",
		"test": "Boolean", "transactions": "[OrderCreateOrderTransactionInput!]", "userId": "ID",
	},
	"OrderCreateLineItemInput": {
		"fulfillmentService": "String", "giftCard": "Boolean", "priceSet": "MoneyBagInput", "productId": "ID",
		"properties": "[OrderCreateLineItemPropertyInput!]", "quantity": "Int!", "requiresShipping": "Boolean",
		"sku": "String", "taxable": "Boolean", "taxLines": "[OrderCreateTaxLineInput!]", "title": "String",
		"variantId": "ID", "variantTitle": "String", "vendor": "String", "weight": "WeightInput",
	},
	"OrderCreateLineItemPropertyInput": {"name": "String!", "value": "String!"},
	"OrderCreateShippingLineInput": {
		"code": "String", "priceSet": "MoneyBagInput!", "source": "String", "taxLines": "[OrderCreateTaxLineInput!]", "title": "String!",
	},
	"OrderCreateTaxLineInput": {"channelLiable": "Boolean", "priceSet": "MoneyBagInput", "rate": "Decimal!", "title": "String!"},
	"OrderCreateOrderTransactionInput": {
		"amountSet": "MoneyBagInput!", "authorizationCode": "String", "deviceId": "ID", "gateway": "String",
		"giftCardId": "ID", "kind": "OrderTransactionKind", "locationId": "ID", "processedAt": "DateTime",
		"receiptJson": "JSON", "status": "OrderTransactionStatus", "test": "Boolean", "userId": "ID",
	},
	"OrderCreateFulfillmentInput": {
		"locationId": "ID!", "notifyCustomer": "Boolean", "originAddress": "JSON", "shipmentStatus": "String",
		"trackingCompany": "String", "trackingNumber": "String",
	},
	"OrderCreateOptionsInput": {
		"inventoryBehaviour": "OrderCreateInputsInventoryBehavior", "sendFulfillmentReceipt": "Boolean", "sendReceipt": "Boolean",
	},
	"MailingAddressInput": {
		"address1": "String", "address2": "String", "city": "String", "company": "String", "countryCode": "CountryCode",
		"firstName": "String", "lastName": "String", "phone": "String", "provinceCode": "String", "zip": "String",
	},
	"MoneyBagInput":                   {"shopMoney": "MoneyInput!", "presentmentMoney": "MoneyInput"},
	"MoneyInput":                      {"amount": "Decimal!", "currencyCode": "CurrencyCode!"},
	"MetafieldInput":                  {"id": "ID", "namespace": "String", "key": "String", "value": "String", "type": "String"},
	"OrderCreateCustomAttributeInput": {"key": "String!", "value": "String!"},
	"WeightInput":                     {"unit": "WeightUnit!", "value": "Float!"},
}

var fakeEnums = map[string][]string{
	"OrderCreateFinancialStatus":         {"AUTHORIZED", "EXPIRED", "PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "PENDING", "REFUNDED", "VOIDED"},
	"OrderCreateFulfillmentStatus":       {"FULFILLED", "PARTIAL", "RESTOCKED"},
	"OrderCreateInputsInventoryBehavior": {"BYPASS", "DECREMENT_IGNORING_POLICY", "DECREMENT_OBEYING_POLICY"},
	"OrderTransactionKind":               {"AUTHORIZATION", "CAPTURE", "CHANGE", "EMV_AUTHORIZATION", "REFUND", "SALE", "SUGGESTED_REFUND", "VOID"},
	"OrderTransactionStatus":             {"AWAITING_RESPONSE", "ERROR", "FAILURE", "PENDING", "SUCCESS", "UNKNOWN"},
	"OrderCancelReason":                  {"CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"},
	"WeightUnit":                         {"GRAMS", "KILOGRAMS", "OUNCES", "POUNDS"},
	"OrderSortKeys": {"CREATED_AT", "CUSTOMER_NAME", "DESTINATION", "FINANCIAL_STATUS", "FULFILLMENT_STATUS", "ID",
		"ORDER_NUMBER", "PO_NUMBER", "PROCESSED_AT", "RELEVANCE", "TOTAL_ITEMS_QUANTITY", "TOTAL_PRICE", "UPDATED_AT"},
	"ProductVariantSortKeys": {"FULL_TITLE", "ID", "INVENTORY_LEVELS_AVAILABLE", "INVENTORY_MANAGEMENT", "INVENTORY_POLICY",
		"INVENTORY_QUANTITY", "NAME", "POPULAR", "POSITION", "RELEVANCE", "SKU", "TITLE"},
	"CountryCode": strings.Fields(`AC AD AE AF AG AI AL AM AN AO AR AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
		BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET
		FI FJ FK FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT
		JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MK ML MM MN MO MQ MR
		MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PS PT PY QA RE RO RS RU RW
		SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA
		UG UM US UY UZ VA VC VE VG VN VU WF WS XK YE YT ZA ZM ZW ZZ`),
	"CurrencyCode": strings.Fields(`AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
		BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ
		GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JEP JMD JOD JPY KES KGS KHR KID KMF KRW KWD KYD KZT LAK LBP LKR LRD
		LSL LTL LVL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP
		PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLL SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY TTD
		TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XOF XPF XXX YER ZAR ZMW`),
}

// fakeRootField is one field of QueryRoot or Mutation the fake serves.
type fakeRootField struct {
	kind  string            // query or mutation
	args  map[string]string // argument types
	scope string            // the access scope it needs
}

var fakeRootFields = map[string]fakeRootField{
	"shop": {kind: "query", args: map[string]string{}},
	"productVariants": {kind: "query", scope: "read_products", args: map[string]string{
		"first": "Int", "after": "String", "last": "Int", "before": "String", "query": "String",
		"reverse": "Boolean", "sortKey": "ProductVariantSortKeys", "savedSearchId": "ID"}},
	"orders": {kind: "query", scope: "read_orders", args: map[string]string{
		"first": "Int", "after": "String", "last": "Int", "before": "String", "query": "String",
		"reverse": "Boolean", "sortKey": "OrderSortKeys", "savedSearchId": "ID"}},
	"orderCreate": {kind: "mutation", scope: "write_orders", args: map[string]string{
		"order": "OrderCreateOrderInput!", "options": "OrderCreateOptionsInput"}},
	"orderCancel": {kind: "mutation", scope: "write_orders", args: map[string]string{
		"orderId": "ID!", "reason": "OrderCancelReason!", "refund": "Boolean!", "restock": "Boolean!",
		"notifyCustomer": "Boolean", "staffNote": "String"}},
}

// gqlProblem is one reason a value does not fit its type, as graphql-ruby reports it.
type gqlProblem struct {
	Path        []any  `json:"path"`
	Explanation string `json:"explanation"`
}

var decimalPattern = regexp.MustCompile(`^-?\d+(\.\d+)?$`)

// checkValue checks value against typ and returns what is wrong with it.
func checkValue(typ string, value any, path []any) []gqlProblem {
	nonNull := strings.HasSuffix(typ, "!")
	base := strings.TrimSuffix(typ, "!")
	if value == nil {
		if nonNull {
			return []gqlProblem{{Path: path, Explanation: "Expected value to not be null"}}
		}
		return nil
	}
	if strings.HasPrefix(base, "[") {
		inner := base[1 : len(base)-1]
		list, ok := value.([]any)
		if !ok {
			list = []any{value} // input coercion: a single value is a list of one
		}
		var problems []gqlProblem
		for i, item := range list {
			problems = append(problems, checkValue(inner, item, appendPath(path, i))...)
		}
		return problems
	}
	bad := func() []gqlProblem {
		encoded, _ := json.Marshal(value)
		return []gqlProblem{{Path: path, Explanation: fmt.Sprintf("Could not coerce value %s to %s", encoded, base)}}
	}
	switch base {
	case "String", "URL":
		if _, ok := value.(string); !ok {
			return bad()
		}
	case "ID":
		// The Admin API's ids are global ids; a bare number is refused when coerced.
		s, ok := value.(string)
		if !ok {
			return bad()
		}
		if !gidPattern.MatchString(s) {
			return []gqlProblem{{Path: path, Explanation: fmt.Sprintf("Invalid global id '%s'", s)}}
		}
	case "Int":
		n, ok := value.(json.Number)
		if !ok {
			return bad()
		}
		i, err := n.Int64()
		if err != nil || i > math.MaxInt32 || i < math.MinInt32 {
			return bad()
		}
	case "Float":
		if _, ok := value.(json.Number); !ok {
			return bad()
		}
	case "Boolean":
		if _, ok := value.(bool); !ok {
			return bad()
		}
	case "Decimal":
		switch v := value.(type) {
		case string:
			if !decimalPattern.MatchString(strings.TrimSpace(v)) {
				return bad()
			}
		case json.Number:
		default:
			return bad()
		}
	case "DateTime":
		s, ok := value.(string)
		if !ok {
			return bad()
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return bad()
		}
	case "JSON":
	default:
		if values, ok := fakeEnums[base]; ok {
			s, _ := value.(string)
			if !contains(values, s) {
				encoded, _ := json.Marshal(value)
				return []gqlProblem{{Path: path, Explanation: fmt.Sprintf("Expected %s to be one of: %s", encoded, strings.Join(values, ", "))}}
			}
			return nil
		}
		fields, ok := fakeInputTypes[base]
		if !ok {
			return []gqlProblem{{Path: path, Explanation: "No such type " + base}}
		}
		obj, ok := value.(map[string]any)
		if !ok {
			encoded, _ := json.Marshal(value)
			return []gqlProblem{{Path: path, Explanation: fmt.Sprintf("Expected %s to be a key-value object.", encoded)}}
		}
		var problems []gqlProblem
		for _, key := range sortedKeys(obj) {
			if _, known := fields[key]; !known {
				problems = append(problems, gqlProblem{Path: appendPath(path, key), Explanation: "Field is not defined on " + base})
			}
		}
		for _, key := range sortedKeys(fields) {
			problems = append(problems, checkValue(fields[key], obj[key], appendPath(path, key))...)
		}
		return problems
	}
	return nil
}

func appendPath(path []any, step any) []any {
	return append(append([]any{}, path...), step)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func pathText(path []any) string {
	parts := make([]string, len(path))
	for i, step := range path {
		switch s := step.(type) {
		case int:
			parts[i] = strconv.Itoa(s)
		default:
			parts[i] = fmt.Sprint(s)
		}
	}
	return strings.Join(parts, ".")
}

// typesCompatible tells whether a variable of type varType may fill an argument of argType:
// the same named type, and a nullable variable only where the argument is nullable too.
func typesCompatible(varType, argType string, hasDefault bool) (ok bool, nullability bool) {
	strip := func(t string) string { return strings.ReplaceAll(t, "!", "") }
	if strip(varType) != strip(argType) {
		return false, false
	}
	if strings.HasSuffix(argType, "!") && !strings.HasSuffix(varType, "!") && !hasDefault {
		return false, true
	}
	return true, false
}
