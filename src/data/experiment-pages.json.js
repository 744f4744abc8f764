// The experiment pages (src/lib/node/site-pages.js), for the home page's summary.
import { experimentPages } from "../lib/node/site-pages.js";

process.stdout.write(JSON.stringify(experimentPages().map(({ order, ...p }) => ({ ...p, order: Number.isFinite(order) ? order : null }))));
