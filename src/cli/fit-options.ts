// The options of `npm run fit` and its `--help`, derived from the registry (src/lib/experiments.ts)
// and the settings' declaration (src/lib/settings.ts): a new setting is an option, a line of
// `--help` and a value read by the same rules with no change here.
import { EXPERIMENTS, PUBLIC_EXPERIMENTS, descriptor } from "../lib/experiments.js";
import { SETTINGS, settingSpec, settingFromText, settingsHelp, type SourceName } from "../lib/settings.js";
import { NAMED_LAWS } from "../lib/named-laws.js";
import { validParts } from "../lib/law.js";
import { EXTERNAL_ENV } from "../lib/node/import-files.js";
import { ArgumentProblems, parseCommandLine, lawArg, EXIT_CODES_HELP } from "./args.js";

/** The options that are not settings: what to run and on which files. */
const OTHER_OPTIONS = {
  experiment: { type: "string", multiple: true },
  external: { type: "string" },
  plan: { type: "string" },
  data: { type: "string", default: "data/observations.csv" },
  models: { type: "string", default: "data/models.csv" },
  json: { type: "boolean", default: false },
  progress: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

/** Every setting's option (src/lib/settings.ts), and its older spelling. */
const settingOptions = () => Object.fromEntries(SETTINGS.flatMap((s) => [
  [s.flag, { type: "string" as const, ...(s.kind === "list" ? { multiple: true as const } : {}) }],
  ...(s.alias ? [[s.alias, { type: "string" as const }]] : []),
]));

/** `--help`, derived from the registry and the settings' declaration. */
export function usage(): string {
  return `usage: npm run fit -- [options]
  --experiment NAME  one of: ${EXPERIMENTS.join(", ")} (repeatable; default: all), or ${PUBLIC_EXPERIMENTS.join(", ")}
                     (the Observational Scaling Laws table in ../shared/external, or --external DIR)
  --plan FILE.json   run a document (docs/run-document.md: its query, settings and plans, as a
                     page offers it for download), or an older plan file (one plan or a list)
${settingsHelp()}
  Laws: a name (${NAMED_LAWS.join(", ")}) or a composition of parts,
        omitted parts the paper's (docs/method.md): ${validParts()}
  Defaults are each experiment's own (${PUBLIC_EXPERIMENTS.map((e) => `${e}: --threshold ${descriptor(e).defaults.threshold.toExponential().replace("+", "")} FLOPs, --resamples ${descriptor(e).defaults.resamples}`).join("; ")}).
  --data FILE        observations CSV (default data/observations.csv; format in data/README.md)
  --models FILE      models table CSV (default data/models.csv)
  --external DIR     the other studies' files (default $${EXTERNAL_ENV} or ../shared/external)
  --json             machine-readable output with provenance
  --progress         report the progress of long steps on stderr (reading the data, each fit's
                     global search, local refinement and bootstrap) even when it is not a terminal
                     (on a terminal it is reported anyway, for steps that run over 2 s)
  --help             this text
The paper's numbers and notes are shown only for the bundled data (data/observations.csv, by SHA-256).
${EXIT_CODES_HELP}`;
}

export type Args = Record<string, string | string[] | boolean | undefined>;

export function parseFitArgs(args?: string[]): Args {
  const { values } = parseCommandLine({ options: { ...OTHER_OPTIONS, ...settingOptions() }, strict: true, allowPositionals: false, args });
  return values as Args;
}

/** The settings given as options, read by their declaration; each bad one noted in `bad`. */
export function settingValues(args: Args, source: SourceName, bad: ArgumentProblems): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const base of SETTINGS) {
    const s = settingSpec(base.key, source);
    const given = args[base.flag] ?? (base.alias ? args[base.alias] : undefined);
    if (base.kind === "law") {
      if (args.law === undefined && args.variant === undefined) continue;
      const law = bad.check(() => lawArg(args.law as string | undefined, args.variant as string | undefined));
      if (s) out[base.key] = law;
      continue;
    }
    if (given === undefined) continue;
    if (!s) {
      bad.add(`--${base.flag} does not apply to ${source === "public-models" ? PUBLIC_EXPERIMENTS.join(", ") : "these experiments"}`);
      continue;
    }
    const text = Array.isArray(given) ? given.join(",") : String(given);
    try {
      out[base.key] = settingFromText(s, text);
    } catch (err) {
      const m = (err as Error).message;
      bad.add(m.startsWith("unknown") ? m : `--${s.flag} ${m}`);
    }
  }
  return out;
}

