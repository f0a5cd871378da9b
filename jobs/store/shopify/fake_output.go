package shopify

import (
	"fmt"
	"strings"
)

// The output types the fake answers with: each object type's fields and their types, and the
// arguments of the fields that take some. Types not listed here are scalars or enums. It
// lets the fake refuse unknown fields before running anything, and compute costs.

var fakeOutputTypes = map[string]map[string]string{
	"QueryRoot": {"shop": "Shop!", "productVariants": "ProductVariantConnection!", "orders": "OrderConnection!"},
	"Mutation":  {"orderCreate": "OrderCreatePayload", "orderCancel": "OrderCancelPayload"},
	"Shop": {"id": "ID!", "name": "String!", "myshopifyDomain": "String!", "currencyCode": "CurrencyCode!",
		"email": "String!", "ianaTimezone": "String!"},
	"PageInfo":                 {"hasNextPage": "Boolean!", "hasPreviousPage": "Boolean!", "startCursor": "String", "endCursor": "String"},
	"ProductVariantConnection": {"nodes": "[ProductVariant!]!", "edges": "[ProductVariantEdge!]!", "pageInfo": "PageInfo!"},
	"ProductVariantEdge":       {"cursor": "String!", "node": "ProductVariant!"},
	"ProductVariant": {"id": "ID!", "sku": "String", "barcode": "String", "title": "String!", "displayName": "String!",
		"price": "Money!", "compareAtPrice": "Money", "inventoryQuantity": "Int", "inventoryPolicy": "ProductVariantInventoryPolicy!",
		"availableForSale": "Boolean!", "createdAt": "DateTime!", "updatedAt": "DateTime!", "position": "Int!", "taxable": "Boolean!",
		"inventoryItem": "InventoryItem!", "product": "Product!"},
	"InventoryItem": {"id": "ID!", "tracked": "Boolean!", "sku": "String", "requiresShipping": "Boolean!"},
	"Product": {"id": "ID!", "title": "String!", "handle": "String!", "status": "ProductStatus!", "vendor": "String!",
		"createdAt": "DateTime!", "updatedAt": "DateTime!", "totalInventory": "Int!", "tracksInventory": "Boolean!"},
	"OrderConnection": {"nodes": "[Order!]!", "edges": "[OrderEdge!]!", "pageInfo": "PageInfo!"},
	"OrderEdge":       {"cursor": "String!", "node": "Order!"},
	"Order": {"id": "ID!", "name": "String!", "email": "String", "phone": "String", "note": "String", "tags": "[String!]!",
		"sourceName": "String", "sourceIdentifier": "String", "createdAt": "DateTime!", "updatedAt": "DateTime!",
		"processedAt": "DateTime!", "cancelledAt": "DateTime", "cancelReason": "OrderCancelReason", "closed": "Boolean!",
		"closedAt": "DateTime", "test": "Boolean!", "displayFulfillmentStatus": "OrderDisplayFulfillmentStatus!",
		"displayFinancialStatus": "OrderDisplayFinancialStatus", "currencyCode": "CurrencyCode!",
		"totalPriceSet": "MoneyBag!", "subtotalPriceSet": "MoneyBag", "totalShippingPriceSet": "MoneyBag!",
		"shippingAddress": "MailingAddress", "billingAddress": "MailingAddress",
		"lineItems": "LineItemConnection!", "shippingLines": "ShippingLineConnection!",
		"metafields": "MetafieldConnection!", "metafield": "Metafield", "fulfillments": "[Fulfillment!]!",
		"customAttributes": "[Attribute!]!", "transactions": "[OrderTransaction!]!"},
	"MoneyBag": {"shopMoney": "MoneyV2!", "presentmentMoney": "MoneyV2!"},
	"MoneyV2":  {"amount": "Decimal!", "currencyCode": "CurrencyCode!"},
	"MailingAddress": {"firstName": "String", "lastName": "String", "name": "String", "company": "String",
		"address1": "String", "address2": "String", "city": "String", "zip": "String", "provinceCode": "String",
		"countryCodeV2": "CountryCode", "country": "String", "phone": "String"},
	"LineItemConnection": {"nodes": "[LineItem!]!", "edges": "[LineItemEdge!]!", "pageInfo": "PageInfo!"},
	"LineItemEdge":       {"cursor": "String!", "node": "LineItem!"},
	"LineItem": {"id": "ID!", "sku": "String", "title": "String!", "quantity": "Int!", "variant": "ProductVariant",
		"originalUnitPriceSet": "MoneyBag!", "requiresShipping": "Boolean!"},
	"ShippingLineConnection": {"nodes": "[ShippingLine!]!", "edges": "[ShippingLineEdge!]!", "pageInfo": "PageInfo!"},
	"ShippingLineEdge":       {"cursor": "String!", "node": "ShippingLine!"},
	"ShippingLine":           {"id": "ID", "title": "String!", "code": "String", "source": "String", "originalPriceSet": "MoneyBag!"},
	"MetafieldConnection":    {"nodes": "[Metafield!]!", "edges": "[MetafieldEdge!]!", "pageInfo": "PageInfo!"},
	"MetafieldEdge":          {"cursor": "String!", "node": "Metafield!"},
	"Metafield":              {"id": "ID!", "namespace": "String!", "key": "String!", "value": "String!", "type": "String!"},
	"Fulfillment": {"id": "ID!", "name": "String!", "status": "FulfillmentStatus!", "displayStatus": "FulfillmentDisplayStatus",
		"createdAt": "DateTime!", "updatedAt": "DateTime!", "trackingInfo": "[FulfillmentTrackingInfo!]!"},
	"FulfillmentTrackingInfo": {"company": "String", "number": "String", "url": "URL"},
	"Attribute":               {"key": "String!", "value": "String"},
	"OrderTransaction": {"id": "ID!", "kind": "OrderTransactionKind!", "status": "OrderTransactionStatus!",
		"gateway": "String", "amountSet": "MoneyBag!", "test": "Boolean!"},
	"OrderCreatePayload":   {"order": "Order", "userErrors": "[OrderCreateUserError!]!"},
	"OrderCreateUserError": {"code": "OrderCreateUserErrorCode", "field": "[String!]", "message": "String!"},
	"OrderCancelPayload":   {"job": "Job", "orderCancelUserErrors": "[OrderCancelUserError!]!", "userErrors": "[UserError!]!"},
	"OrderCancelUserError": {"code": "OrderCancelUserErrorCode", "field": "[String!]", "message": "String!"},
	"UserError":            {"field": "[String!]", "message": "String!"},
	"Job":                  {"id": "ID!", "done": "Boolean!"},
}

var connectionArgs = map[string]string{"first": "Int", "after": "String", "last": "Int", "before": "String", "reverse": "Boolean"}

// fakeFieldArgs are the arguments of non-root fields.
var fakeFieldArgs = map[string]map[string]string{
	"Order.lineItems":          connectionArgs,
	"Order.shippingLines":      connectionArgs,
	"Order.metafields":         {"first": "Int", "after": "String", "last": "Int", "before": "String", "reverse": "Boolean", "namespace": "String", "keys": "[String!]"},
	"Order.metafield":          {"namespace": "String", "key": "String!"},
	"Order.fulfillments":       {"first": "Int"},
	"Order.transactions":       {"first": "Int", "capturable": "Boolean", "manuallyResolvable": "Boolean"},
	"Fulfillment.trackingInfo": {"first": "Int"},
}

func namedType(typ string) string {
	return strings.Trim(typ, "[]!")
}

// checkSelections refuses fields the type does not have, and arguments they do not take.
func checkSelections(typeName string, fields []*gqlField, path []any) []gqlError {
	var errs []gqlError
	objectFields := fakeOutputTypes[typeName]
	for _, field := range fields {
		fieldPath := appendPath(path, field.key())
		if field.Name == "__typename" {
			continue
		}
		fieldType, ok := objectFields[field.Name]
		if !ok {
			errs = append(errs, gqlError{Message: fmt.Sprintf("Field '%s' doesn't exist on type '%s'", field.Name, typeName),
				Locations: []gqlLocation{field.Loc}, Path: fieldPath,
				Extensions: map[string]any{"code": "undefinedField", "typeName": typeName, "fieldName": field.Name}})
			continue
		}
		if typeName != "QueryRoot" && typeName != "Mutation" {
			allowed := fakeFieldArgs[typeName+"."+field.Name]
			for _, arg := range field.ArgOrder {
				if _, ok := allowed[arg]; !ok {
					errs = append(errs, gqlError{Message: fmt.Sprintf("Field '%s' doesn't accept argument '%s'", field.Name, arg),
						Locations: []gqlLocation{field.Loc}, Path: fieldPath,
						Extensions: map[string]any{"code": "argumentNotAccepted", "name": field.Name, "typeName": "Field", "argumentName": arg}})
				}
			}
		}
		child := namedType(fieldType)
		_, isObject := fakeOutputTypes[child]
		switch {
		case isObject && len(field.Selections) == 0:
			errs = append(errs, gqlError{Message: fmt.Sprintf("Field must have selections (field '%s' returns %s but has no selections. Did you mean '%s { ... }'?)", field.Name, child, field.Name),
				Locations: []gqlLocation{field.Loc}, Path: fieldPath, Extensions: map[string]any{"code": "selectionMismatch", "nodeName": "field '" + field.Name + "'", "typeName": child}})
		case !isObject && len(field.Selections) > 0:
			errs = append(errs, gqlError{Message: fmt.Sprintf("Selections can't be made on scalars (field '%s' returns %s but has selections [%s])", field.Name, child, selectionNames(field.Selections)),
				Locations: []gqlLocation{field.Loc}, Path: fieldPath, Extensions: map[string]any{"code": "selectionMismatch", "nodeName": "field '" + field.Name + "'", "typeName": child}})
		case isObject:
			errs = append(errs, checkSelections(child, field.Selections, fieldPath)...)
		}
	}
	return errs
}

func selectionNames(fields []*gqlField) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = `"` + f.Name + `"`
	}
	return strings.Join(names, ", ")
}

// fieldCost is Shopify's calculated query cost: scalars and enums cost 0, objects 1,
// connections 2 plus the page size times what one item costs; lists with a size argument cost
// their size times an item.
func fieldCost(typeName string, field *gqlField, variables map[string]any) int {
	args := resolvedArgs(field, variables)
	fieldType := fakeOutputTypes[typeName][field.Name]
	child := namedType(fieldType)
	if _, isObject := fakeOutputTypes[child]; !isObject || child == "PageInfo" {
		return 0
	}
	size := 1
	if n, ok := intArg(args, "first"); ok {
		size = n
	} else if n, ok := intArg(args, "last"); ok {
		size = n
	}
	if strings.HasSuffix(child, "Connection") {
		item := 0
		for _, sub := range field.Selections {
			switch sub.Name {
			case "nodes":
				item = max(item, 1+selectionCost(namedType(fakeOutputTypes[child]["nodes"]), sub.Selections, variables))
			case "edges":
				for _, edgeField := range sub.Selections {
					if edgeField.Name == "node" {
						item = max(item, 1+selectionCost(namedType(fakeOutputTypes[child]["nodes"]), edgeField.Selections, variables))
					}
				}
			}
		}
		return 2 + size*item
	}
	per := 1 + selectionCost(child, field.Selections, variables)
	if strings.HasPrefix(fieldType, "[") {
		return size * per
	}
	return per
}

func selectionCost(typeName string, fields []*gqlField, variables map[string]any) int {
	total := 0
	for _, f := range fields {
		total += fieldCost(typeName, f, variables)
	}
	return total
}

func resolvedArgs(f *gqlField, variables map[string]any) map[string]any {
	args := map[string]any{}
	for k, v := range f.Args {
		args[k] = substitute(v, variables)
	}
	return args
}
