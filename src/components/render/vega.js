// Renders a Vega-Lite spec with vega-embed as SVG, with buttons to save the chart as SVG or PNG
// and its data as CSV. SVG rendering keeps every mark in the DOM, which is what the browser
// tests count. vega-embed comes as one module built from node_modules by scripts/bundle-vega.ts
// (one request rather than one per package; no CDN).
import vegaEmbed from "../vendor/vega-embed.js";
import { csvFormat } from "d3-dsv";
import { mark } from "../notebook/timing.js";

function download(href, filename) {
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}

function button(label, title, onclick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.title = title;
  b.addEventListener("click", onclick);
  return b;
}

/**
 * @param spec a Vega-Lite spec whose data are inline values (`data: {values}`)
 * @param options.name file name stem for the downloads
 * @param options.rows the rows offered as CSV (default: spec.data.values)
 * @param options.caption text under the chart
 */
export async function chart(spec, { name = "chart", rows = spec.data?.values ?? [], caption } = {}) {
  const figure = document.createElement("figure");
  figure.className = "vl-figure";
  figure.dataset.chart = name;
  const target = document.createElement("div");
  figure.append(target);
  // The caption doubles as the SVG's accessible description (Vega-Lite writes it to aria-label).
  const described = caption && !spec.description ? { ...spec, description: caption } : spec;
  const { view } = await vegaEmbed(target, described, { renderer: "svg", actions: false });
  const tools = document.createElement("div");
  tools.className = "vl-tools";
  tools.append(
    button("SVG", "Save the chart as SVG", async () => download(await view.toImageURL("svg"), `${name}.svg`)),
    button("PNG", "Save the chart as PNG (2× scale)", async () => download(await view.toImageURL("png", 2), `${name}.png`)),
    button("CSV", "Save the chart's data as CSV", () => download(URL.createObjectURL(new Blob([csvFormat(rows)], { type: "text/csv" })), `${name}.csv`)),
  );
  figure.append(tools);
  if (caption) {
    const c = document.createElement("figcaption");
    c.textContent = caption;
    figure.append(c);
  }
  mark("first-chart");
  figure.view = view;
  figure.csv = () => csvFormat(rows); // for the static copy's CSV file (src/lib/node/static-outputs.ts)
  return figure;
}
