// Numbers the paper reports (Montgomery et al., arXiv 2510.14919), as recovered in
// ../shared/paper/README.md. They are facts quoted from the paper, shown beside our numbers;
// nothing here is used to produce our numbers.

export const PAPER = {
  citation: "Montgomery, Park, Tu, Bendersky, Gunel, Song, Wang. Predicting Task Performance with Context-aware Scaling Laws. arXiv:2510.14919 (2025)",
  arxiv: "2510.14919",
  /** RQ1: mean absolute error of the in-distribution fit, per task */
  inDistributionMae: { arithmetic: 0.01, common_sense: 0.037, translation: 0.007 } as Record<string, number>,
  /** §4.2: MAE on the held-out points above 10,000 tokens */
  contextGeneralisationMae: { arithmetic: 0.017, common_sense: 0.067, translation: 0.006 } as Record<string, number>,
  contextGeneralisationThreshold: 10000,
  /** penalty ablation, arithmetic only: MAE with and without the sigmoid penalty */
  penaltyAblation: {
    arithmetic: {
      full: { within: 0.01, beyond: 0.014, all: 0.01 },
      "no-penalty": { within: 0.019, beyond: 0.104, all: 0.029 },
    },
  } as Record<string, Record<string, { within: number; beyond: number; all: number }>>,
  /** Figure 1: the context-blind line for Yarn-Llama-2-7b-8k arithmetic is flat at ≈ this */
  figure1ContextBlindLevel: 0.0875,
  figure1Model: "Yarn-Llama-2-7b-8k",
  /** Plateaus (maximum of the fitted curve on the drawing grid), Figs 2–4 (in-distribution fit) */
  plateausInDistribution: {
    arithmetic: { "Yarn-Llama-2-7b-8k": 0.1285, "Yarn-Llama-2-13b-8k": 0.1506 },
    common_sense: { "Yarn-Llama-2-7b-8k": 0.5213, "Yarn-Llama-2-13b-8k": 0.617 },
    translation: { "Yarn-Llama-2-7b-8k": 0.1446, "Yarn-Llama-2-13b-8k": 0.1666 },
  } as Record<string, Record<string, number>>,
  /** Plateaus, Figs 5–7 (context-generalisation fit) */
  plateausContextGeneralisation: {
    arithmetic: { "Yarn-Llama-2-7b-128k": 0.1278, "Yarn-Llama-2-13b-128k": 0.1534 },
    common_sense: { "Yarn-Llama-2-7b-128k": 0.5204, "Yarn-Llama-2-13b-128k": 0.6279 },
    translation: { "Yarn-Llama-2-7b-128k": 0.146, "Yarn-Llama-2-13b-128k": 0.167 },
  } as Record<string, Record<string, number>>,
  /** The fitted lines were drawn on a linear grid from 50 to 131,072 tokens; 1,000 points is
   *  inferred from the figures (full height at ≈8,182 and 0 at ≈8,313 for n_ctx = 8,192). */
  curveGrid: { from: 50, to: 131072, points: 1000 },
} as const;
