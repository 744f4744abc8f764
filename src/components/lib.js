// The one place pages and the worker import the library's computing parts from (the importers,
// which only Your data needs, have their own door: lib-import.js; what only describes and
// formats, which every page needs, has a light one: lib-light.js). Everything the site computes
// goes through these functions, the very source files the command line (`npm run fit`) runs:
// Framework follows the library's ".js" import specifiers to its ".ts" files and transpiles them.
export { runExperiment } from "../lib/run.js";
export { plan, descriptor, isExperiment, EXPERIMENTS, DEFAULT_SETTINGS, PUBLIC_COMPUTE_SETTINGS, TITLES } from "../lib/experiments.js";
export { publicComputeTables, publicComputeCells, parsePublicTables, PUBLIC_COMPUTE_BENCHMARKS, PUBLIC_FILES, PUBLIC_LAWS } from "../lib/public-compute.js";
export { Kernel, FitError, DEFAULT_FIT_OPTIONS } from "../lib/kernel.js";
export { PAPER } from "../lib/paper.js";
export { PENALTY_SHAPES, PENALTY_PARAMS } from "../lib/law.js";
export { shortAttribution, beyondHeadlineTable, beyondLawsTable, beyondRulesTable, beyondGroupsTable, beyondPenaltyShapesTable } from "../lib/beyond/tables.js";
export { tallyText } from "../lib/beyond/text.js";
export { NAMED_LAWS, PARAM_NAMES, DEFAULT_BOUNDS, LAW_DESCRIPTIONS, isNamedLaw, fittableLaw, describeLaw } from "../lib/named-laws.js";
export { parseObservationsCsv, parseModelsCsv, checkAgainstModels, DataError, formatProblem } from "../lib/observations.js";
export { select, describeSelection } from "../lib/select.js";
export { errorSummary, linspace } from "../lib/metrics.js";
export { num, interval, signed, paramsTableModel, splitsTableModel, comparisonsTableModel, contrastsTableModel, undeterminedNote, maeCell, verdictText } from "../lib/format.js";
export { TASKS } from "../lib/types.js";
export { summaryPages, summaryTableModel, claimsOf, claimsTableModel, taskName, TASK_NAMES } from "../lib/summary.js";
export { CLOSE_MAE } from "../lib/claims.js";
export { firstDifference } from "../lib/diff.js";
export { percentileInterval } from "../lib/intervals.js";
export { resultTables, RESULT_TYPES } from "../lib/result-tables.js";
export { settingSpec, settingProblem, inputSpecs, settingsProblems, settingsFromSearch, searchFromSettings, fitSettings, experimentCommand } from "../lib/settings.js";
export { runDocument, experimentRowsQuery, taskProblems, documentPlans, querySource } from "../lib/run-document.js";
export { planProblems } from "../lib/plan-check.js";
export { editedPage, editedName } from "../lib/edited-page.js";
export { checkQuery, MAX_QUERY_ROWS } from "../lib/run-document.js";
