// Typed wrapper around the WebAssembly fitting kernel (assembly/ → src/lib/wasm/kernel.wasm).
// Environment-neutral: the caller supplies the .wasm bytes (Node reads them from disk, a page
// fetches them), so the command line, the build, the tests and the browser run one binary.
//
// Chance floors (multiple-choice benchmarks score k by guessing: 0.25 with four options, 0.5
// with two): any law can be fitted as P = k + (1 − k)·law with k given, not fitted —
//   per observation: the point's `chance_floor` field (FitPoint.chance_floor), or
//   per call:        `floor` in FitOptions / BootstrapOptions / predict's options,
// the point's own value winning. Absent everywhere, k = 0 and every number is bit for bit what
// it was before floors existed. A fitted floor is a part of the law (floor=fitted: last
// parameter `floor`), which ignores any given k; floor=given insists on a k.
//
// A law is a name (src/lib/named-laws.ts) or a composition of parts (src/lib/law.ts), e.g.
// "penalty=decay"; it reaches the kernel as one code.
import { NAMED_LAWS, DEFAULT_BOUNDS, LawError, resolveLaw, type Law, type ResolvedLaw } from "./named-laws.js";
import { PARTS, PART_ORDER, LAW_FIELD_BITS, type PartOption } from "./law.js";
import { degenerateData, nothingDetermined } from "./fit-refusals.js";

export * from "./kernel-types.js";
import { FitError, DEFAULT_FIT_OPTIONS, DEFAULT_BOOTSTRAP, type FitPoint, type FitOptions, type BootstrapOptions, type BootstrapSamples, type FitStatus, type FitResult, type FitErrorCode } from "./kernel-types.js";

interface KernelExports {
  memory: WebAssembly.Memory;
  prepare(n: number): number;
  paramsPtr(): number;
  sePtr(): number;
  corrPtr(): number;
  statsPtr(): number;
  lowerPtr(): number;
  upperPtr(): number;
  predictionsPtr(): number;
  parameterCount(law: number): number;
  partParameterCount(part: number, option: number): number;
  partOptionCount(part: number): number;
  maxParams(): number;
  setProgress(on: number): void;
  fit(v: number, n: number, seed: number, popsize: number, maxGen: number, tol: number, maxLm: number, restarts: number, knownScale: number): number;
  predict(v: number, n: number): number;
  repredict(v: number): number;
  exp10(x: number): number;
  log10(x: number): number;
  bootstrap(v: number, n: number, seed: number, resamples: number, scheme: number, clusters: number, globalEvery: number, popsize: number, maxGen: number, tol: number, maxLm: number): number;
  bootstrapPtr(): number;
  bootstrapGlobalImprovements(): number;
  /** the kernel's constants (assembly/index.ts, layout.ts, bootstrap.ts), read by name */
  [constant: string]: unknown;
}

// The kernel's exported constants the host needs, by export name: the host reads their values
// from the wasm (never repeats them), so a renumbering in assembly/ cannot silently disagree.
const STAT_EXPORTS = {
  sse: "STAT_SSE", mae: "STAT_MAE", generations: "STAT_DE_GENERATIONS", nfev: "STAT_NFEV", lmIterations: "STAT_LM_ITERATIONS",
  deSse: "STAT_DE_SSE", condition: "STAT_CONDITION", deConverged: "STAT_DE_CONVERGED", lmConverged: "STAT_LM_CONVERGED",
  njev: "STAT_NJEV", sigma2: "STAT_SIGMA2", undetermined: "STAT_UNDETERMINED", restarts: "STAT_RESTARTS", restartsAtBest: "STAT_RESTARTS_AT_BEST",
} as const;
type StatIndex = Record<keyof typeof STAT_EXPORTS, number>;

const ERROR_EXPORTS: Record<string, FitErrorCode> = {
  ERR_UNKNOWN_LAW: "unknown-variant", ERR_TOO_FEW_POINTS: "too-few-points", ERR_NOT_FINITE: "not-finite", ERR_OUT_OF_RANGE: "out-of-range",
  ERR_ALL_ZERO: "all-zero", ERR_ONE_COMPUTE_LEVEL: "one-compute-level", ERR_BAD_BOUNDS: "bad-bounds", ERR_NO_MEMORY: "no-memory", ERR_BAD_CLUSTERS: "bad-clusters",
  ERR_BAD_POPSIZE: "bad-popsize",
};

const STATUS_EXPORTS: Record<string, FitStatus> = {
  OK: "converged", DE_NOT_CONVERGED: "global-search-not-converged", LM_NOT_CONVERGED: "local-search-not-converged", CANCELLED: "cancelled",
};

/** Weights must be one finite number ≥ 0 per point, not all 0; refused before the kernel sees them. */
function checkWeights(weights: readonly number[], n: number): void {
  if (weights.length !== n) throw new FitError("bad-weights", `weighted least squares needs one weight per point (${n}), got ${weights.length}`);
  const bad = weights.findIndex((w) => !(Number.isFinite(w) && w >= 0));
  if (bad >= 0) throw new FitError("bad-weights", `weight of point ${bad + 1} must be a finite number ≥ 0, got ${weights[bad]}`);
  if (!weights.some((w) => w > 0)) throw new FitError("bad-weights", `every weight is 0: there is nothing to fit`);
}

export class Kernel {
  private readonly x: KernelExports;
  private progressHandler: FitOptions["onProgress"] | undefined;
  /** log10 C spread below which compute levels count as one (α not identifiable) */
  readonly minComputeSpread: number;
  /** most models the bootstrap can resample as whole units */
  readonly maxClusters: number;
  /** the global search's population per parameter by default, and the most a fit accepts */
  readonly defaultPopsize: number;
  readonly maxPopsize: number;
  private readonly STAT: StatIndex;
  private readonly statSlots: number;
  private readonly errorOf = new Map<number, FitErrorCode>();
  private readonly statusOf = new Map<number, FitStatus>();
  private readonly resampleDropped: number;

  /** The value of the kernel's exported constant `name`; a kernel without it is a stale build. */
  private constant(name: string): number {
    const g = this.x[name];
    if (!(g instanceof WebAssembly.Global)) throw new Error(`kernel.wasm exports no ${name}: rebuild it with \`npm run build:kernel\``);
    return g.value as number;
  }

  private constructor(instance: WebAssembly.Instance, self: { handler?: Kernel }) {
    this.x = instance.exports as unknown as KernelExports;
    self.handler = this;
    this.minComputeSpread = this.constant("MIN_LOG10_COMPUTE_SPREAD");
    this.maxClusters = this.constant("MAX_CLUSTERS");
    this.defaultPopsize = this.constant("DEFAULT_POPSIZE");
    this.maxPopsize = this.constant("MAX_POPSIZE");
    this.statSlots = this.constant("OUT_STATS_SLOTS");
    this.STAT = Object.fromEntries(Object.entries(STAT_EXPORTS).map(([k, name]) => [k, this.constant(name)])) as StatIndex;
    for (const [name, code] of Object.entries(ERROR_EXPORTS)) this.errorOf.set(this.constant(name), code);
    for (const [name, status] of Object.entries(STATUS_EXPORTS)) this.statusOf.set(this.constant(name), status);
    this.resampleDropped = this.constant("RESAMPLE_ONE_COMPUTE_LEVEL");
    if (this.constant("LAW_FIELD_BITS") !== LAW_FIELD_BITS) throw new Error(`kernel.wasm reads law codes with fields of ${this.constant("LAW_FIELD_BITS")} bits, src/lib/law.ts writes ${LAW_FIELD_BITS}: rebuild it with \`npm run build:kernel\``);
    // The host's parts (law.ts) and the kernel's must agree on which options each part has and on
    // every option's parameters.
    if (typeof this.x.partOptionCount !== "function") throw new Error("kernel.wasm is older than src/lib/law.ts (it cannot say which options each part has): rebuild it with `npm run build:kernel`");
    PART_ORDER.forEach((part, k) => {
      const options = Object.entries<PartOption>(PARTS[part]);
      const codes = new Set(options.map(([, o]) => o.code)).size;
      if (this.x.partOptionCount(k) !== codes) throw new Error(`kernel.wasm has ${this.x.partOptionCount(k)} options of the ${part} part, src/lib/law.ts ${codes}: rebuild it with \`npm run build:kernel\`, or give the option its value and derivatives in assembly/model.ts`);
      for (const [option, o] of options) {
        if (this.x.partParameterCount(k, o.code) !== Object.keys(o.params).length) throw new Error(`kernel.wasm disagrees on the parameters of ${part}=${option}: rebuild it with \`npm run build:kernel\``);
      }
    });
    for (const v of NAMED_LAWS) {
      const law = resolveLaw(v);
      if (this.x.parameterCount(law.code) !== law.paramNames.length) throw new Error(`kernel.wasm disagrees on the parameters of ${v}: rebuild it with \`npm run build:kernel\``);
    }
  }

  /** Instantiates the kernel from the bytes of kernel.wasm (or a compiled module). */
  static async load(source: BufferSource | WebAssembly.Module): Promise<Kernel> {
    const self: { handler?: Kernel } = {};
    const imports = {
      env: {
        progress: (stage: number, iteration: number, best: number): number => {
          const h = self.handler?.progressHandler;
          return h && h(stage === 0 ? "global" : "local", iteration, best) ? 1 : 0;
        },
        abort: (_msg: number, _file: number, line: number, col: number) => {
          throw new Error(`kernel.wasm aborted at ${line}:${col}`);
        },
      },
    };
    const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
    const instance = await WebAssembly.instantiate(module, imports);
    return new Kernel(instance, self);
  }

  private f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.x.memory.buffer, ptr, n);
  }

  private writePoints(points: readonly FitPoint[], clusters?: readonly number[], weights?: readonly number[], floor = 0): number {
    const n = points.length;
    if (weights) checkWeights(weights, n);
    const ptr = this.x.prepare(n);
    if (ptr === 0) throw new FitError("no-memory", `not enough memory for ${n} observations`);
    const mem = this.f64(ptr, 7 * n);
    if (clusters) for (let i = 0; i < n; i++) mem[4 * n + i] = clusters[i];
    if (weights) for (let i = 0; i < n; i++) mem[5 * n + i] = weights[i]; // prepare() wrote 1s otherwise
    for (let i = 0; i < n; i++) {
      const p = points[i];
      mem[6 * n + i] = p.chance_floor ?? floor; // the kernel refuses a floor outside [0, 1)
      mem[i] = p.compute_flops;
      mem[n + i] = p.n_pmt;
      mem[2 * n + i] = p.n_ctx;
      mem[3 * n + i] = p.score;
    }
    return n;
  }

  /** The law resolved, or a FitError naming the valid names and parts; floor=given needs a k for every point. */
  private resolve(law: Law, points: readonly { chance_floor?: number }[], floor: number | undefined): ResolvedLaw {
    let r: ResolvedLaw;
    try {
      r = resolveLaw(law);
    } catch (err) {
      if (err instanceof LawError) throw new FitError("unknown-variant", err.message);
      throw err;
    }
    if (r.parts.floor === "given" && floor === undefined) {
      const i = points.findIndex((p) => p.chance_floor === undefined);
      if (i >= 0) throw new FitError("no-floor", `the law ${r.name} has a given floor, but point ${i + 1} has no chance_floor and the call gives no floor: pass the chance level k (e.g. --floor 0.25)`);
    }
    return r;
  }

  fit(law: Law, points: readonly FitPoint[], options: FitOptions = {}): FitResult {
    const resolved = this.resolve(law, points, options.floor);
    const variant = resolved.name;
    const seed = options.seed ?? DEFAULT_FIT_OPTIONS.seed;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new FitError("bad-seed", `seed must be an integer from 0 to 4294967295, got ${seed}`);
    const popsize = options.popsize ?? this.defaultPopsize;
    if (!Number.isInteger(popsize) || popsize < 1 || popsize > this.maxPopsize)
      throw new FitError("bad-popsize", `popsize must be a whole number from 1 to ${this.maxPopsize} (members per parameter; the default, SciPy's, is ${this.defaultPopsize}), got ${popsize}`);
    const names = resolved.paramNames;
    const p = names.length;
    const bounds: Record<string, [number, number]> = {};
    for (const name of names) {
      const b = options.bounds?.[name] ?? DEFAULT_BOUNDS[name];
      bounds[name] = [b[0], b[1]];
    }
    const scale = options.scale ?? "estimated";
    if (scale !== "estimated" && scale !== "known") throw new FitError("bad-weights", `scale must be "estimated" or "known", got ${JSON.stringify(scale)}`);
    if (scale === "known" && !options.weights) throw new FitError("bad-weights", `scale "known" needs weights (1/variance of each point); without them σ² must be estimated`);
    const n = this.writePoints(points, undefined, options.weights, options.floor);
    const lo = this.f64(this.x.lowerPtr(), p);
    const hi = this.f64(this.x.upperPtr(), p);
    names.forEach((name, j) => {
      lo[j] = bounds[name][0];
      hi[j] = bounds[name][1];
    });
    this.progressHandler = options.onProgress;
    this.x.setProgress(options.onProgress ? 1 : 0);
    let code: number;
    try {
      code = this.x.fit(resolved.code, n, seed >>> 0, popsize, options.maxGenerations ?? DEFAULT_FIT_OPTIONS.maxGenerations,
        options.tol ?? DEFAULT_FIT_OPTIONS.tol, options.maxLmIterations ?? DEFAULT_FIT_OPTIONS.maxLmIterations,
        options.restarts ?? DEFAULT_FIT_OPTIONS.restarts, scale === "known" ? 1 : 0);
    } finally {
      this.progressHandler = undefined;
      this.x.setProgress(0);
    }
    if (code < 0) throw this.refusal(code, resolved, points, bounds);
    const result = this.readResult(resolved, code, n, seed, bounds);
    // Data the kernel accepts can still leave the law undetermined: refused, never a result.
    const undetermined = degenerateData(resolved, points, options.weights) ?? nothingDetermined(resolved, result);
    if (undetermined) throw undetermined;
    if (options.weights) {
      result.weighting = { scale, sigma2: this.f64(this.x.statsPtr(), this.statSlots)[this.STAT.sigma2], sumWeights: options.weights.reduce((a, b) => a + b, 0) };
    }
    return result;
  }

  private readResult(law: ResolvedLaw, code: number, n: number, seed: number, bounds: Record<string, [number, number]>): FitResult {
    const variant = law.name;
    const names = [...law.paramNames];
    const p = names.length;
    const m = this.x.maxParams();
    const params = this.f64(this.x.paramsPtr(), p);
    const se = this.f64(this.x.sePtr(), p);
    const corr = this.f64(this.x.corrPtr(), m * m);
    const s = this.f64(this.x.statsPtr(), this.statSlots);
    const STAT = this.STAT;
    const undeterminedMask = s[STAT.undetermined];
    const isUndetermined = (j: number) => (undeterminedMask & (1 << j)) !== 0 || !Number.isFinite(se[j]);
    const result: FitResult = {
      variant,
      paramNames: names,
      params: Object.fromEntries(names.map((name, j) => [name, params[j]])),
      se: Object.fromEntries(names.map((name, j) => [name, isUndetermined(j) ? null : se[j]])),
      correlation: names.map((_, a) => names.map((_, b) => (isUndetermined(a) || isUndetermined(b) ? null : corr[a * m + b]))),
      undetermined: names.filter((_, j) => isUndetermined(j)),
      conditionNumber: Number.isFinite(s[STAT.condition]) ? s[STAT.condition] : null,
      sse: s[STAT.sse],
      mae: s[STAT.mae],
      n,
      status: this.statusOf.get(code)!,
      globalSearch: { generations: s[STAT.generations], sse: s[STAT.deSse], converged: s[STAT.deConverged] === 1, restarts: s[STAT.restarts], restartsAtBest: s[STAT.restartsAtBest] },
      localSearch: { iterations: s[STAT.lmIterations], converged: s[STAT.lmConverged] === 1, jacobianEvaluations: s[STAT.njev] },
      evaluations: s[STAT.nfev],
      seed,
      bounds,
      fitted: Array.from(this.f64(this.x.predictionsPtr(), n)),
    };
    if (names.some((name) => !Number.isFinite(result.params[name])) || !Number.isFinite(result.sse)) {
      // The kernel is built never to do this; failing loudly beats passing NaN downstream.
      throw new Error(`kernel.wasm returned non-finite parameters for ${variant}; please report this with the data`);
    }
    return result;
  }

  /**
   * Bootstrap refits around a full fit of the same points: resample, refit (warm start from
   * `fit`, a periodic full global search as a guard), return every kept resample's parameters.
   * With scheme "models", `clusterOf` names each point's resampling unit (its model).
   */
  bootstrap(fit: FitResult, points: readonly FitPoint[], options: BootstrapOptions = {}, clusterOf?: readonly string[]): BootstrapSamples {
    const resolved = this.resolve(fit.variant, points, options.floor);
    const variant = resolved.name;
    const names = [...resolved.paramNames];
    const p = names.length;
    const resamples = options.resamples ?? DEFAULT_BOOTSTRAP.resamples;
    const scheme = options.scheme ?? DEFAULT_BOOTSTRAP.scheme;
    const seed = options.seed ?? fit.seed;
    if (!Number.isInteger(resamples) || resamples < 1 || resamples > 1_000_000) throw new FitError("bad-resamples", `resamples must be an integer from 1 to 1,000,000, got ${resamples}`);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new FitError("bad-seed", `seed must be an integer from 0 to 4294967295, got ${seed}`);
    let clusters: number[] | undefined;
    let clusterCount = 0;
    if (scheme === "models") {
      if (!clusterOf || clusterOf.length !== points.length) throw new FitError("bad-clusters", `resampling whole models needs the model of every point (${points.length}), got ${clusterOf?.length ?? 0}`);
      const ids = new Map<string, number>();
      clusters = clusterOf.map((c) => ids.get(c) ?? (ids.set(c, ids.size), ids.size - 1));
      clusterCount = ids.size;
      if (clusterCount < 2) throw new FitError("bad-clusters", `resampling whole models needs at least 2 models, got ${clusterCount}`);
      if (clusterCount > this.maxClusters) throw new FitError("bad-clusters", `resampling whole models supports at most ${this.maxClusters} models, got ${clusterCount}`);
    }
    if (fit.weighting && !options.weights) throw new FitError("bad-weights", `this fit is weighted: pass the same weights to the bootstrap (BootstrapOptions.weights), or its resamples would refit unweighted`);
    const n = this.writePoints(points, clusters, options.weights, options.floor);
    const start = this.f64(this.x.paramsPtr(), p);
    names.forEach((name, j) => (start[j] = fit.params[name]));
    // The refits search within the full fit's bounds: write them, the kernel keeps no state
    // between calls that a caller could rely on (the fit may come from JSON or another kernel).
    const lo = this.f64(this.x.lowerPtr(), p);
    const hi = this.f64(this.x.upperPtr(), p);
    names.forEach((name, j) => {
      const b = fit.bounds?.[name] ?? DEFAULT_BOUNDS[name];
      lo[j] = b[0];
      hi[j] = b[1];
    });
    this.progressHandler = options.onProgress ? (_stage, done) => options.onProgress!(done, resamples) : undefined;
    this.x.setProgress(options.onProgress ? 1 : 0);
    let done: number;
    try {
      done = this.x.bootstrap(resolved.code, n, seed >>> 0, resamples, scheme === "models" ? 1 : 0, clusterCount,
        options.globalEvery ?? DEFAULT_BOOTSTRAP.globalEvery, this.defaultPopsize, DEFAULT_FIT_OPTIONS.maxGenerations, DEFAULT_FIT_OPTIONS.tol, DEFAULT_FIT_OPTIONS.maxLmIterations);
    } finally {
      this.progressHandler = undefined;
      this.x.setProgress(0);
    }
    if (done < 0) throw this.refusal(done, resolved, points, fit.bounds);
    const m = this.x.maxParams();
    const raw = this.f64(this.x.bootstrapPtr(), done * (m + 2));
    const out: BootstrapSamples = {
      variant, paramNames: names, scheme, seed, requested: resamples, completed: done, cancelled: done < resamples,
      dropped: 0, globalImprovements: this.x.bootstrapGlobalImprovements(), params: [], sse: [], resample: [],
    };
    for (let b = 0; b < done; b++) {
      const row = raw.subarray(b * (m + 2), (b + 1) * (m + 2));
      if (row[m + 1] === this.resampleDropped) {
        out.dropped++;
        continue;
      }
      out.params.push(Array.from(row.subarray(0, p)));
      out.sse.push(row[m]);
      out.resample.push(b);
    }
    return out;
  }

  /**
   * 10^x and log10(x) computed inside the kernel. Use these (not Math.pow / Math.log10) for any
   * number that ends up in a result: JavaScript engines may differ in the last bit of their
   * transcendental functions, the kernel's compiled ones do not.
   */
  exp10(x: number): number {
    return this.x.exp10(x);
  }

  log10(x: number): number {
    return this.x.log10(x);
  }

  /** Predicted scores at the given parameters (by name) for each point (score is ignored). */
  predict(law: Law, params: Record<string, number>, points: readonly Omit<FitPoint, "score">[], options: { floor?: number } = {}): number[] {
    const resolved = this.resolve(law, points, options.floor);
    const variant = resolved.name;
    if (points.length === 0) return [];
    const names = resolved.paramNames;
    const n = this.writePoints(points.map((p) => ({ ...p, score: 0 })), undefined, undefined, options.floor);
    const out = this.f64(this.x.paramsPtr(), names.length);
    names.forEach((name, j) => {
      const value = params[name];
      if (!Number.isFinite(value)) throw new FitError("not-finite", `parameter ${name} of ${variant} must be a finite number, got ${value}`);
      out[j] = value;
    });
    const code = this.x.predict(resolved.code, n);
    if (code < 0) throw this.refusal(code, resolved, points.map((p) => ({ ...p, score: 0 })), {});
    return Array.from(this.f64(this.x.predictionsPtr(), n));
  }

  /**
   * Predictions at many parameter vectors (in PARAM_NAMES order) for one set of points: the
   * points are laid out once. `visit` gets a view that is only valid during the call.
   */
  predictEach(law: Law, paramSets: readonly (readonly number[])[], points: readonly Omit<FitPoint, "score">[], visit: (index: number, predicted: Float64Array) => void, options: { floor?: number } = {}): void {
    if (paramSets.length === 0 || points.length === 0) return;
    const resolved = this.resolve(law, points, options.floor);
    const names = resolved.paramNames;
    const first = Object.fromEntries(names.map((name, j) => [name, paramSets[0][j]]));
    this.predict(law, first, points, options); // lays out and checks the points once
    const n = points.length;
    for (let b = 0; b < paramSets.length; b++) {
      const out = this.f64(this.x.paramsPtr(), names.length);
      for (let j = 0; j < names.length; j++) {
        const value = paramSets[b][j];
        if (!Number.isFinite(value)) throw new FitError("not-finite", `parameter ${names[j]} of set ${b + 1} must be a finite number, got ${value}`);
        out[j] = value;
      }
      this.x.repredict(resolved.code);
      visit(b, this.f64(this.x.predictionsPtr(), n));
    }
  }

  private refusal(code: number, law: ResolvedLaw, points: readonly FitPoint[], bounds: Record<string, [number, number]>): FitError {
    const kind = this.errorOf.get(code) ?? "bad-bounds";
    const variant = law.name;
    const p = law.paramNames.length;
    const bad = (pred: (pt: FitPoint) => boolean) => {
      const i = points.findIndex(pred);
      return i < 0 ? "" : ` (first at point ${i + 1}: C=${points[i].compute_flops}, n_pmt=${points[i].n_pmt}, n_ctx=${points[i].n_ctx}, score=${points[i].score})`;
    };
    switch (kind) {
      case "too-few-points":
        return new FitError(kind, `${variant} has ${p} parameters and needs at least ${p + 1} observations; got ${points.length}`);
      case "not-finite":
        return new FitError(kind, `every compute_flops, n_pmt, n_ctx, score and chance floor must be a finite number${bad((x) => ![x.compute_flops, x.n_pmt, x.n_ctx, x.score].every(Number.isFinite))}`);
      case "out-of-range":
        return new FitError(kind, `compute_flops, n_pmt and n_ctx must be > 0, score within [0, 1] and the chance floor within [0, 1)${bad((x) => !(x.compute_flops > 0 && x.n_pmt > 0 && x.n_ctx > 0 && x.score >= 0 && x.score <= 1 && (x.chance_floor === undefined || (x.chance_floor >= 0 && x.chance_floor < 1))))}`);
      case "all-zero":
        return new FitError(kind, `every score is 0: there is nothing to fit (check the metric column or the evaluation run)`);
      case "one-compute-level":
        return new FitError(kind, `all observations share one compute level (spread below ${this.minComputeSpread} in log10 C), so the compute exponent α is not identifiable; use the fixed-compute variant or add models of other sizes`);
      case "bad-clusters":
        return new FitError(kind, `cluster ids must be whole numbers from 0 to the number of models − 1 (at most ${this.maxClusters})`);
      case "bad-bounds":
        return new FitError(kind, `bounds must be finite with lower < upper: ${JSON.stringify(bounds)}`);
      default:
        return new FitError(kind, `the kernel refused the input (${kind})`);
    }
  }
}
