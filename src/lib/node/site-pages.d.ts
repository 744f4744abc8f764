// Types of site-pages.js (plain JavaScript so that observablehq.config.js can import it).
export interface ExperimentPage {
  /** the page's path from the site root, without extension, e.g. "penalty-ablation" */
  path: string;
  file: string;
  title: string;
  /** the name in the navigation (front matter `nav`, else the title) */
  nav: string;
  /** a plan of src/lib/experiments.ts, or the name of a plan written in the page */
  experiment: string;
  order: number;
}
export function frontMatter(text: string): Record<string, string>;
export function experimentPages(src?: string): ExperimentPage[];
