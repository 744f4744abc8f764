// The door to the library's importers (src/lib/import/), for the Your data page only: the same
// code as `npm run import`. Apart from lib.js so that no other page loads the importers.
export { FORMATS, FORMAT_INFO, FORMAT_OPTIONS, detectFormat, filesFor, runImport, documentedTableLabel, userPlan, curvesFor, xDomain, defaultShownModels, cliCommands, DEFAULT_FIT_SETTINGS } from "../lib/import/your-data.js";
