// Importing other tools' evaluation results into the project's observations (docs/importing.md).
// Environment-neutral: every function takes file names and texts and returns plain data or
// throws DataError (from src/lib/observations.ts) listing every problem of every file.
export type { SourceFile } from "./types.js";
export type { ModelsTable, ImportResult, RawPoint, Location } from "./finish.js";
export { FORMATS, FORMAT_INFO, isFormat, importFiles, ImportOptionError, type Format, type ImportOptions } from "./formats.js";
export { importStudyEval, STUDY_METRICS, STUDY_EVAL_NAME_RE } from "./study-eval.js";
export { importHarness } from "./harness.js";
export { importBertsch, BERTSCH_TOKENS_PER_DEMO, BERTSCH_COLUMNS } from "./bertsch.js";
export { importHelmet, HELMET_SHOTS, HELMET_TASK, HELMET_COLUMNS, helmetLength } from "./helmet.js";
export { importPythia, PYTHIA_TOKENS_PER_EXAMPLE, PYTHIA_RENAMES, currentPythiaName, pythiaTask } from "./pythia.js";
export { importProject } from "./project.js";
export { STUDY_TASK_MAP, parseTaskMapCsv, serializeTaskMap, type TaskMap } from "./task-map.js";
export {
  BERTSCH_MODELS, pythiaModels, helmetModels, UNKNOWN_COMPUTE_FLOPS, UNKNOWN_PARAMS, UNKNOWN_TOKENS,
  PYTHIA_ARCHITECTURE, PYTHIA_CHECKPOINTS, PYTHIA_TOKENS_PER_STEP, pythiaNonEmbeddingParams, pythiaTotalParams,
} from "./external-models.js";
export { importObsScaling, OBSSCALING_COLUMNS, OBSSCALING_BENCHMARKS, OBSSCALING_N_CTX, OBSSCALING_CITATION, type ObsScalingResult } from "./obsscaling.js";
