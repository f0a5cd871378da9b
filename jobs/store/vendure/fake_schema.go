package vendure

import "strings"

// The part of Vendure 3.7's Admin API schema the fake serves, written from the published
// schema (admin-api/*.graphql) with the two Order custom fields of the e2e server config.
// Each object is "field:Type" or "field(arg:Type,...):Type", separated by spaces.

type fieldDef struct {
	typ  string
	args map[string]string
}

var (
	schemaObjects = map[string]map[string]fieldDef{}
	schemaUnions  = map[string][]string{}
	schemaInputs  = map[string]map[string]string{}
	// schemaInputOrder is each input type's fields in definition order (graphql-js reports
	// problems in that order).
	schemaInputOrder = map[string][]string{}
	// schemaInterfaces lists the interfaces an object type implements, for hints.
	schemaInterfaces = map[string][]string{}
	schemaEnums      = map[string][]string{
		"SortOrder":       {"ASC", "DESC"},
		"LogicalOperator": {"AND", "OR"},
		"GlobalFlag":      {"TRUE", "FALSE", "INHERIT"},
		"DeletionResult":  {"DELETED", "NOT_DELETED"},
	}
	schemaScalars = []string{"ID", "String", "Int", "Float", "Boolean", "DateTime", "JSON", "Money"}
)

func isInputType(named string) bool {
	_, input := schemaInputs[named]
	_, enum := schemaEnums[named]
	return input || enum || contains(schemaScalars, named)
}

func defineObject(name, spec string) {
	fields := map[string]fieldDef{}
	for _, item := range strings.Fields(spec) {
		def := fieldDef{args: map[string]string{}}
		head, typ := item, ""
		if open := strings.Index(item, "("); open >= 0 {
			end := strings.LastIndex(item, ")")
			for _, arg := range strings.Split(item[open+1:end], ",") {
				argName, argType, _ := strings.Cut(arg, ":")
				def.args[argName] = argType
			}
			head, typ = item[:open], strings.TrimPrefix(item[end+1:], ":")
		} else {
			head, typ, _ = strings.Cut(item, ":")
		}
		def.typ = typ
		fields[head] = def
	}
	schemaObjects[name] = fields
}

func defineInput(name, spec string) {
	fields := map[string]string{}
	for _, item := range strings.Fields(spec) {
		field, typ, _ := strings.Cut(item, ":")
		fields[field] = typ
		schemaInputOrder[name] = append(schemaInputOrder[name], field)
	}
	schemaInputs[name] = fields
}

var errorTypes = map[string]string{
	"InvalidCredentialsError":         "authenticationError:String!",
	"NativeAuthStrategyError":         "",
	"InsufficientStockError":          "quantityAvailable:Int! order:Order!",
	"NegativeQuantityError":           "",
	"OrderLimitError":                 "maxItems:Int!",
	"OrderModificationError":          "",
	"EmailAddressConflictError":       "",
	"IneligibleShippingMethodError":   "",
	"NoActiveOrderError":              "",
	"OrderStateTransitionError":       "transitionError:String! fromState:String! toState:String!",
	"ManualPaymentStateError":         "",
	"EmptyOrderLineSelectionError":    "",
	"QuantityTooGreatError":           "",
	"MultipleOrderError":              "",
	"CancelActiveOrderError":          "orderState:String!",
	"ItemsAlreadyFulfilledError":      "",
	"InsufficientStockOnHandError":    "productVariantId:ID! productVariantName:String! stockOnHand:Int!",
	"InvalidFulfillmentHandlerError":  "",
	"FulfillmentStateTransitionError": "transitionError:String! fromState:String! toState:String!",
	"CreateFulfillmentError":          "fulfillmentHandlerError:String!",
}

func init() {
	defineObject("Query", `productVariants(options:ProductVariantListOptions,productId:ID):ProductVariantList!
		productVariant(id:ID!):ProductVariant order(id:ID!):Order orders(options:OrderListOptions):OrderList!
		eligibleShippingMethodsForDraftOrder(orderId:ID!):[ShippingMethodQuote!]! globalSettings:GlobalSettings! me:CurrentUser`)
	defineObject("Mutation", `login(username:String!,password:String!,rememberMe:Boolean):NativeAuthenticationResult! logout:Success!
		createDraftOrder:Order! deleteDraftOrder(orderId:ID!):DeletionResponse!
		addItemToDraftOrder(orderId:ID!,input:AddItemToDraftOrderInput!):UpdateOrderItemsResult!
		adjustDraftOrderLine(orderId:ID!,input:AdjustDraftOrderLineInput!):UpdateOrderItemsResult!
		setCustomerForDraftOrder(orderId:ID!,customerId:ID,input:CreateCustomerInput):SetCustomerForDraftOrderResult!
		setDraftOrderShippingAddress(orderId:ID!,input:CreateAddressInput!):Order!
		setDraftOrderBillingAddress(orderId:ID!,input:CreateAddressInput!):Order!
		setDraftOrderCustomFields(orderId:ID!,input:UpdateOrderInput!):Order!
		setOrderCustomFields(input:UpdateOrderInput!):Order
		setDraftOrderShippingMethod(orderId:ID!,shippingMethodId:ID!):SetOrderShippingMethodResult!
		transitionOrderToState(id:ID!,state:String!):TransitionOrderToStateResult
		addManualPaymentToOrder(input:ManualPaymentInput!):AddManualPaymentToOrderResult!
		addNoteToOrder(input:AddNoteToOrderInput!):Order!
		cancelOrder(input:CancelOrderInput!):CancelOrderResult!
		addFulfillmentToOrder(input:FulfillOrderInput!):AddFulfillmentToOrderResult!
		transitionFulfillmentToState(id:ID!,state:String!):TransitionFulfillmentToStateResult!`)
	defineObject("CurrentUser", "id:ID! identifier:String!")
	defineObject("Success", "success:Boolean!")
	defineObject("GlobalSettings", "id:ID! trackInventory:Boolean! outOfStockThreshold:Int!")
	defineObject("ProductVariantList", "items:[ProductVariant!]! totalItems:Int!")
	defineObject("ProductVariant", `id:ID! createdAt:DateTime! updatedAt:DateTime! enabled:Boolean! sku:String! name:String!
		price:Money! priceWithTax:Money! currencyCode:CurrencyCode! stockOnHand:Int! stockAllocated:Int! stockLevel:String!
		trackInventory:GlobalFlag! outOfStockThreshold:Int! useGlobalOutOfStockThreshold:Boolean! productId:ID! product:Product!`)
	defineObject("Product", "id:ID! createdAt:DateTime! updatedAt:DateTime! enabled:Boolean! name:String! slug:String!")
	defineObject("OrderList", "items:[Order!]! totalItems:Int!")
	defineObject("Order", `id:ID! createdAt:DateTime! updatedAt:DateTime! orderPlacedAt:DateTime code:String! state:String!
		active:Boolean! type:OrderType! currencyCode:CurrencyCode! totalQuantity:Int! subTotal:Money! subTotalWithTax:Money!
		shipping:Money! shippingWithTax:Money! total:Money! totalWithTax:Money! customFields:OrderCustomFields
		lines:[OrderLine!]! shippingAddress:OrderAddress billingAddress:OrderAddress customer:Customer
		payments:[Payment!] fulfillments:[Fulfillment!] nextStates:[String!]!`)
	defineObject("OrderCustomFields", "externalChannel:String externalOrderId:String")
	defineObject("OrderLine", `id:ID! createdAt:DateTime! updatedAt:DateTime! quantity:Int! unitPrice:Money! unitPriceWithTax:Money!
		linePrice:Money! linePriceWithTax:Money! productVariant:ProductVariant!`)
	defineObject("OrderAddress", `fullName:String company:String streetLine1:String streetLine2:String city:String province:String
		postalCode:String country:String countryCode:String phoneNumber:String`)
	defineObject("Customer", "id:ID! firstName:String! lastName:String! emailAddress:String! phoneNumber:String")
	defineObject("Payment", "id:ID! createdAt:DateTime! method:String! amount:Money! state:String! transactionId:String metadata:JSON")
	defineObject("Fulfillment", "id:ID! createdAt:DateTime! updatedAt:DateTime! state:String! method:String! trackingCode:String nextStates:[String!]!")
	defineObject("ShippingMethodQuote", "id:ID! code:String! name:String! description:String! price:Money! priceWithTax:Money!")
	defineObject("DeletionResponse", "result:DeletionResult! message:String")
	defineObject("ErrorResult", "errorCode:ErrorCode! message:String!")
	var all []string
	for name, extra := range errorTypes {
		defineObject(name, "errorCode:ErrorCode! message:String! "+extra)
		all = append(all, name)
	}
	schemaUnions["ErrorResult"] = all
	for _, name := range all {
		schemaInterfaces[name] = []string{"ErrorResult"}
	}
	defineObject("Node", "id:ID!")
	for _, name := range []string{"Order", "OrderLine", "ProductVariant", "Product", "Customer", "Payment", "Fulfillment"} {
		schemaInterfaces[name] = []string{"Node"}
		schemaUnions["Node"] = append(schemaUnions["Node"], name)
	}
	for union, members := range map[string]string{
		"NativeAuthenticationResult":         "CurrentUser InvalidCredentialsError NativeAuthStrategyError",
		"UpdateOrderItemsResult":             "Order OrderModificationError OrderLimitError NegativeQuantityError InsufficientStockError",
		"SetCustomerForDraftOrderResult":     "Order EmailAddressConflictError",
		"SetOrderShippingMethodResult":       "Order OrderModificationError IneligibleShippingMethodError NoActiveOrderError",
		"TransitionOrderToStateResult":       "Order OrderStateTransitionError",
		"AddManualPaymentToOrderResult":      "Order ManualPaymentStateError",
		"CancelOrderResult":                  "Order EmptyOrderLineSelectionError QuantityTooGreatError MultipleOrderError CancelActiveOrderError OrderStateTransitionError",
		"AddFulfillmentToOrderResult":        "Fulfillment EmptyOrderLineSelectionError ItemsAlreadyFulfilledError InsufficientStockOnHandError InvalidFulfillmentHandlerError FulfillmentStateTransitionError CreateFulfillmentError",
		"TransitionFulfillmentToStateResult": "Fulfillment FulfillmentStateTransitionError",
	} {
		schemaUnions[union] = strings.Fields(members)
	}

	defineInput("StringOperators", "eq:String notEq:String contains:String notContains:String in:[String!] notIn:[String!] regex:String isNull:Boolean")
	defineInput("IDOperators", "eq:String notEq:String in:[String!] notIn:[String!] isNull:Boolean")
	defineInput("DateOperators", "eq:DateTime before:DateTime after:DateTime between:DateRange isNull:Boolean")
	defineInput("DateRange", "start:DateTime! end:DateTime!")
	defineInput("NumberOperators", "eq:Float lt:Float lte:Float gt:Float gte:Float between:NumberRange isNull:Boolean")
	defineInput("NumberRange", "start:Float! end:Float!")
	defineInput("BooleanOperators", "eq:Boolean isNull:Boolean")
	defineInput("ProductVariantListOptions", "skip:Int take:Int sort:ProductVariantSortParameter filter:ProductVariantFilterParameter filterOperator:LogicalOperator")
	defineInput("ProductVariantSortParameter", "id:SortOrder productId:SortOrder createdAt:SortOrder updatedAt:SortOrder sku:SortOrder name:SortOrder price:SortOrder priceWithTax:SortOrder stockOnHand:SortOrder outOfStockThreshold:SortOrder")
	defineInput("ProductVariantFilterParameter", `id:IDOperators productId:IDOperators createdAt:DateOperators updatedAt:DateOperators
		languageCode:StringOperators sku:StringOperators name:StringOperators price:NumberOperators currencyCode:StringOperators
		priceWithTax:NumberOperators stockLevel:StringOperators enabled:BooleanOperators trackInventory:StringOperators
		stockOnHand:NumberOperators stockAllocated:NumberOperators outOfStockThreshold:NumberOperators
		useGlobalOutOfStockThreshold:BooleanOperators _and:[ProductVariantFilterParameter!] _or:[ProductVariantFilterParameter!]`)
	defineInput("OrderListOptions", "skip:Int take:Int sort:OrderSortParameter filter:OrderFilterParameter filterOperator:LogicalOperator")
	defineInput("OrderSortParameter", `id:SortOrder createdAt:SortOrder updatedAt:SortOrder orderPlacedAt:SortOrder code:SortOrder
		state:SortOrder totalQuantity:SortOrder subTotal:SortOrder subTotalWithTax:SortOrder shipping:SortOrder shippingWithTax:SortOrder
		total:SortOrder totalWithTax:SortOrder customerLastName:SortOrder transactionId:SortOrder externalChannel:SortOrder externalOrderId:SortOrder`)
	defineInput("OrderFilterParameter", `id:IDOperators customerId:IDOperators createdAt:DateOperators updatedAt:DateOperators
		orderPlacedAt:DateOperators code:StringOperators state:StringOperators active:BooleanOperators totalQuantity:NumberOperators
		subTotal:NumberOperators subTotalWithTax:NumberOperators shipping:NumberOperators shippingWithTax:NumberOperators
		total:NumberOperators totalWithTax:NumberOperators currencyCode:StringOperators type:StringOperators
		customerLastName:StringOperators transactionId:StringOperators externalChannel:StringOperators externalOrderId:StringOperators
		_and:[OrderFilterParameter!] _or:[OrderFilterParameter!]`)
	defineInput("AddItemToDraftOrderInput", "productVariantId:ID! quantity:Int!")
	defineInput("AdjustDraftOrderLineInput", "orderLineId:ID! quantity:Int!")
	defineInput("CreateCustomerInput", "title:String firstName:String! lastName:String! phoneNumber:String emailAddress:String! customFields:JSON")
	defineInput("CreateAddressInput", `fullName:String company:String streetLine1:String! streetLine2:String city:String province:String
		postalCode:String countryCode:String! phoneNumber:String defaultShippingAddress:Boolean defaultBillingAddress:Boolean customFields:JSON`)
	defineInput("UpdateOrderInput", "id:ID! customFields:UpdateOrderCustomFieldsInput")
	defineInput("UpdateOrderCustomFieldsInput", "externalChannel:String externalOrderId:String")
	defineInput("ManualPaymentInput", "orderId:ID! method:String! transactionId:String metadata:JSON")
	defineInput("AddNoteToOrderInput", "id:ID! note:String! isPublic:Boolean!")
	defineInput("CancelOrderInput", "orderId:ID! lines:[OrderLineInput!] cancelShipping:Boolean reason:String")
	defineInput("OrderLineInput", "orderLineId:ID! quantity:Int!")
	defineInput("FulfillOrderInput", "lines:[OrderLineInput!]! handler:ConfigurableOperationInput!")
	defineInput("ConfigurableOperationInput", "code:String! arguments:[ConfigArgInput!]!")
	defineInput("ConfigArgInput", "name:String! value:String!")
}
