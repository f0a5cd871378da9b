package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/orderhub/orderhub/static"
)

// routes is the table of every route orderhub serves.
func (s *Server) routes(app *fiber.App) {
	app.Use(recover.New(recover.Config{EnableStackTrace: true}))
	app.Use(s.securityHeaders())
	app.Use(s.logRequest)

	// No session for these: probes and assets must stay cheap.
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(static.FS), MaxAge: 3600}))

	// The Store API authenticates by bearer token: no session, no CSRF. Its description is
	// public.
	app.Get("/api/v1/openapi.json", s.apiOpenAPI)
	api := app.Group("/api/v1", limitBody, s.apiAuth, s.apiRateLimit, s.apiIdempotency)
	api.Get("/orders", s.apiOrdersList)
	api.Get("/orders/:id<int>", s.apiOrderShow)
	api.Post("/orders/acknowledge", s.apiOrdersAcknowledge)
	api.Post("/orders/unacknowledge", s.apiOrdersUnacknowledge)
	api.Post("/orders/ship", s.apiOrdersShip)
	api.Post("/orders/accept", s.apiOrdersAccept)
	api.Post("/orders/refuse", s.apiOrdersRefuse)
	api.Post("/orders/cancel", s.apiOrdersCancel)
	api.Post("/products", s.apiProductsSave)
	api.Get("/products/unknown", s.apiProductsUnknown)
	api.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })

	// Store webhooks prove themselves by their signature: no session, no CSRF.
	app.Post("/webhooks/stores/:id<int>", s.storeWebhook)

	app.Use(s.loadSession, s.loadUser, s.setLanguage, limitBody, s.csrf, s.auditSupport)

	app.Get("/", s.home)
	app.Get("/signup", s.signupShow)
	app.Post("/signup", s.signupCreate)
	app.Get("/login", s.loginShow)
	app.Post("/login", s.loginCreate)
	app.Post("/logout", s.logout)

	// Accounts: invitation and password reset links work without a login (their token is the
	// proof); the sessions page is the user's own.
	app.Get("/invitations/:token", s.invitationShow)
	app.Post("/invitations/:token", s.invitationAccept)
	app.Get("/password/forgot", s.requireMailer, s.passwordForgotShow)
	app.Post("/password/forgot", s.requireMailer, s.passwordForgotSend)
	app.Get("/password/reset/:token", s.passwordResetShow)
	app.Post("/password/reset/:token", s.passwordResetSave)
	account := app.Group("/account/sessions", requireUser)
	account.Get("/", s.accountSessions)
	account.Post("/end-others", s.accountSessionsEndOthers)
	account.Post("/:handle/end", s.accountSessionEnd)
	invitations := app.Group("/team/invitations", requireUser, requireMerchant, requireAdmin)
	invitations.Post("/:id<int>/resend", s.invitationResend)
	invitations.Post("/:id<int>/revoke", s.invitationRevoke)

	app.Get("/dashboard", requireUser, s.dashboardShow)

	support := app.Group("/support", requireUser, requireSupport)
	support.Get("/", s.supportHome)
	support.Post("/enter", s.supportEnter)
	support.Post("/leave", s.supportLeave)
	app.Post("/account/language", requireUser, s.languageSave)

	orders := app.Group("/orders", requireUser, requireMerchant)
	orders.Get("/", s.ordersList)
	orders.Get("/rows", s.ordersRows)
	orders.Get("/export.csv", s.ordersExport)
	orders.Get("/:id<int>", s.orderShow)
	orders.Get("/:id<int>/carrier", s.orderCarrier)
	orders.Post("/:id<int>/accept", s.orderAccept)
	orders.Post("/:id<int>/refuse", s.orderRefuse)
	orders.Post("/:id<int>/retry", s.orderRetry)
	orders.Post("/:id<int>/cancel", s.orderCancel)
	orders.Post("/:id<int>/ship", s.orderShip)
	orders.Post("/:id<int>/import-anyway", s.orderImportAnyway)
	orders.Post("/:id<int>/address", s.orderAddress)
	orders.Post("/:id<int>/resend", s.orderResend)
	orders.Post("/:id<int>/notes", s.orderNoteAdd)
	orders.Post("/:id<int>/assign", s.orderAssign)
	orders.Post("/:id<int>/unassign", s.orderUnassign)

	queue := app.Group("/errors", requireUser, requireMerchant)
	queue.Get("/", s.errorQueue)
	queue.Get("/group", s.errorGroup)
	queue.Post("/group/link", s.groupLink)
	queue.Post("/group/refresh", s.groupRefresh)
	queue.Post("/group/activate-country", requireManager, s.groupActivateCountry)
	queue.Post("/group/carrier", s.groupCarrier)
	queue.Post("/bulk", s.errorBulk)
	queue.Post("/group/assign", s.groupAssign)
	queue.Post("/group/unassign", s.groupUnassign)

	conns := app.Group("/connections", requireUser, requireMerchant)
	conns.Get("/", s.connectionsList)
	conns.Get("/new", requireManager, s.setupMarketplaceNew)
	conns.Post("/", requireManager, s.setupMarketplaceSave)
	conns.Get("/:id<int>", s.connectionShow)
	conns.Post("/:id<int>/pause", requireManager, s.connectionPause)
	conns.Post("/:id<int>/resume", requireManager, s.connectionResume)
	conns.Post("/:id<int>/sync", s.connectionSyncNow)
	conns.Get("/:id<int>/settings", requireManager, s.connectionSettings)
	conns.Post("/:id<int>/settings", requireManager, s.connectionSettingsSave)
	conns.Get("/:id<int>/setup/catalogue", requireManager, s.setupCatalogue)
	conns.Get("/:id<int>/setup/:step", requireManager, s.setupStep)
	conns.Post("/:id<int>/setup/marketplace", requireManager, s.setupMarketplaceSave)
	conns.Post("/:id<int>/setup/credentials", requireAdmin, s.setupCredentialsSave)
	conns.Post("/:id<int>/setup/store", requireAdmin, s.setupStoreSave)
	conns.Post("/:id<int>/setup/carriers", requireManager, s.setupDefaultCarrier)
	conns.Post("/:id<int>/setup/activate", requireManager, s.setupActivate)
	conns.Post("/:id<int>/carriers/rules", requireManager, s.carrierRuleAdd)
	conns.Post("/:id<int>/carriers/rules/:rule<int>/delete", requireManager, s.carrierRuleDelete)
	conns.Post("/:id<int>/carriers/rules/:rule<int>/move", requireManager, s.carrierRuleMove)
	conns.Get("/:id<int>/carriers/test", requireManager, s.carrierTest)
	conns.Get("/:id<int>/products", requireManager, s.productSearch)
	conns.Get("/:id<int>/skus", s.storeSKUChoices)
	conns.Get("/:id<int>/test-orders", requireManager, s.testOrdersList)
	conns.Post("/:id<int>/test-orders", requireManager, s.testOrderCreate)
	conns.Post("/:id<int>/test-orders/:order<int>/cancel", requireManager, s.testOrderCancel)

	team := app.Group("/team", requireUser, requireMerchant)
	team.Get("/", s.teamList)
	team.Get("/new", requireAdmin, s.invitationNew)
	team.Post("/", requireAdmin, s.invitationCreate)
	team.Get("/:id<int>", s.userShow)

	settings := app.Group("/settings", requireUser, requireMerchant, requireAdmin)
	settings.Get("/api-tokens", s.apiTokensList)
	settings.Post("/api-tokens", s.apiTokenCreate)
	settings.Post("/api-tokens/:id<int>/revoke", s.apiTokenRevoke)

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
