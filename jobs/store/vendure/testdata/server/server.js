'use strict';

// A throwaway Vendure 3.7.3 store for orderhub's Go end-to-end tests.
//
// - binds to 127.0.0.1 only, port from $PORT (default 3055);
// - sql.js database held in memory, schema created on boot (synchronize),
//   so every process starts with an empty store;
// - Admin API at /admin-api, Shop API at /shop-api, bearer or cookie tokens;
// - manual payments through the dummy payment handler;
// - Order custom fields externalChannel / externalOrderId (nullable strings);
// - OrderLine custom field marketplaceUnitPrice, which prices the line when set.
//
// Started by the Go package jobs/store/vendure/vendureserver. Run by hand with:
//   npm ci && PORT=3055 node server.js

// Telemetry must be off before @vendure/core is loaded.
process.env.VENDURE_DISABLE_TELEMETRY = 'true';

const {
    bootstrap,
    dummyPaymentHandler,
    DefaultLogger,
    LogLevel,
} = require('@vendure/core');

// marketplacePrices prices an order line at the marketplace's price when the line carries
// one, else at the catalogue price as Vendure does by default. A shop that takes marketplace
// orders through orderhub installs the same strategy to keep the prices the buyers paid.
const marketplacePrices = {
    calculateUnitPrice(ctx, productVariant, orderLineCustomFields) {
        const paid = orderLineCustomFields && orderLineCustomFields.marketplaceUnitPrice;
        if (Number.isInteger(paid) && paid >= 0) {
            return { price: paid, priceIncludesTax: true };
        }
        return { price: productVariant.listPrice, priceIncludesTax: productVariant.listPriceIncludesTax };
    },
};

const port = Number.parseInt(process.env.PORT || '3055', 10);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(`vendure-test-server: invalid PORT ${JSON.stringify(process.env.PORT)}`);
    process.exit(2);
}

const logLevels = {
    error: LogLevel.Error,
    warn: LogLevel.Warn,
    info: LogLevel.Info,
    verbose: LogLevel.Verbose,
    debug: LogLevel.Debug,
};
const logLevel = logLevels[(process.env.VENDURE_LOG_LEVEL || 'warn').toLowerCase()];

const config = {
    apiOptions: {
        hostname: '127.0.0.1',
        port,
        adminApiPath: 'admin-api',
        shopApiPath: 'shop-api',
    },
    authOptions: {
        tokenMethod: ['bearer', 'cookie'],
        superadminCredentials: {
            identifier: process.env.SUPERADMIN_USERNAME || 'superadmin',
            password: process.env.SUPERADMIN_PASSWORD || 'superadmin',
        },
        cookieOptions: {
            secret: 'orderhub-vendure-test-cookie-secret',
        },
    },
    dbConnectionOptions: {
        type: 'sqljs',
        synchronize: true,
        logging: false,
    },
    paymentOptions: {
        paymentMethodHandlers: [dummyPaymentHandler],
    },
    customFields: {
        Order: [
            { name: 'externalChannel', type: 'string', nullable: true },
            { name: 'externalOrderId', type: 'string', nullable: true },
        ],
        // The price the buyer paid on the marketplace, tax included, in minor units: the
        // line is priced with it instead of the catalogue price (see marketplacePrices).
        OrderLine: [
            { name: 'marketplaceUnitPrice', type: 'int', nullable: true, public: false },
        ],
    },
    orderOptions: {
        orderItemPriceCalculationStrategy: marketplacePrices,
    },
    logger: new DefaultLogger({ level: logLevel === undefined ? LogLevel.Warn : logLevel }),
    plugins: [],
};

const started = Date.now();
bootstrap(config)
    .then(app => {
        const ms = Date.now() - started;
        console.log(
            `vendure-test-server ready: admin API http://127.0.0.1:${port}/admin-api ` +
                `(pid ${process.pid}, booted in ${ms} ms)`,
        );
        const stop = signal => {
            console.log(`vendure-test-server: ${signal}, shutting down`);
            app.close().then(
                () => process.exit(0),
                () => process.exit(1),
            );
            // Do not hang on a stuck close.
            setTimeout(() => process.exit(1), 5000).unref();
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
    })
    .catch(err => {
        console.error('vendure-test-server: bootstrap failed:', err);
        process.exit(1);
    });
