// The library's parts that only describe and format, and import no computing part of it: the
// paper's numbers, numbers as text, differences, the penalty shapes' names, and Beyond's tables
// and tallies. What every page has (the footer and snapshot line, provenance, tables) and the
// pages that compute nothing (Beyond, Snapshots) import them from here, so those fetch a dozen
// small modules, not the whole library that lib.js opens (which re-exports the same functions:
// each is defined once, in src/lib).
export { PAPER } from "../lib/paper.js";
export { firstDifference } from "../lib/diff.js";
export { num, signed } from "../lib/format.js";
export { PENALTY_SHAPES } from "../lib/law.js";
export { shortAttribution, beyondHeadlineTable, beyondLawsTable, beyondRulesTable, beyondGroupsTable, beyondPenaltyShapesTable } from "../lib/beyond/tables.js";
export { tallyText } from "../lib/beyond/text.js";
