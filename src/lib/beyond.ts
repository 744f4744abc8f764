// "Beyond the paper": the law fitted to results that other studies published (Bertsch et al.
// 2024, HELMET, Pythia), to see how well it holds on data nobody on this project produced,
// which law predicts held-out points best, and where it fails.
//
// Environment-neutral: the functions take imported observations and a kernel and return plain
// result objects (the command line prints them, a page can plot them). Reading the files is
// src/lib/node/import-files.ts's job.
//
// The analysis, per fit group (defined in `beyondGroups`), is a plan (`groupPlan`) that run.ts
// runs like every other experiment, with its rules:
// 1. every law of BEYOND_LAWS is fitted to all points of the group (in-sample MAE)
//    and to the training part of its hold-out scheme (held-out MAE on the rest). Where the
//    kernel refuses a law because the points have one compute level (FitError
//    "one-compute-level"), run.ts fits its fixed-compute form instead (f_C a free constant) and
//    refuses every prediction at another compute level; other refusals are kept, not hidden;
// 2. the best law is the one with the lowest determined held-out MAE, decided only when the
//    paired comparisons (src/lib/compare.ts) favour it over every other law, else "cannot tell";
//    a law fitted in the form of another compared law is not ranked twice;
// 3. failures are named by rules stated in `failuresOf` (large in-sample or held-out error,
//    scores that fall with more shots inside the window, scores that survive past n_ctx);
// 4. where points lie past n_ctx, the empirical penalty: observed score divided by the
//    unpenalised prediction of a fit to the points inside the window. The sharp penalty says
//    this ratio is ≈ 0 more than a few tokens past n_ctx.
//
// The modules of src/lib/beyond/ hold its parts: the studies (studies.ts), the fit groups and
// hold-out schemes (groups.ts), the result types (results.ts), the analysis (analysis.ts) and
// the text output (text.ts). This module is their one entry.
export * from "./beyond/studies.js";
export * from "./beyond/groups.js";
export * from "./beyond/results.js";
export * from "./beyond/analysis.js";
export * from "./beyond/text.js";
