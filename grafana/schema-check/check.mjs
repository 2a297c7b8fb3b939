// Checks Grafana dashboard JSON files against Grafana's published dashboard schema: the TypeScript types of the
// @grafana/schema package (dashboard v0, the classic JSON model, plus each panel plugin's options and field config),
// type-checked by the TypeScript compiler with excess-property checks on.
//   node grafana/schema-check/check.mjs grafana/dashboards/*.json      (after: npm ci --prefix grafana/schema-check)
// Exit 0 when every file conforms, 1 with the compiler's messages (file, JSON path, problem) otherwise.
//
// Where the published types are narrower than what Grafana itself writes, the check says so explicitly instead of
// going silent: enums are compared by their string values (JSON has no TypeScript enums), and a Prometheus annotation
// query may carry the Prometheus datasource's own fields (expr, step, titleFormat, textFormat, tagKeys,
// useValueForTime), which the generic AnnotationQuery type does not list.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));

// Panel type -> module under raw/composable and the interfaces for `options` and `fieldConfig.defaults.custom`.
const panelTypes = {
  stat: { module: "stat", options: "Options" },
  bargauge: { module: "bargauge", options: "Options" },
  gauge: { module: "gauge", options: "Options" },
  timeseries: { module: "timeseries", options: "Options", custom: "FieldConfig" },
  table: { module: "table", options: "Options", custom: "FieldConfig" },
  "state-timeline": { module: "statetimeline", options: "Options", custom: "FieldConfig" },
  text: { module: "text", options: "Options" },
};

const prelude = `
import type { Dashboard, AnnotationQuery } from "@grafana/schema/dist/esm/raw/dashboard/x/Dashboard_types.gen";
${Object.values(panelTypes).map((p) => `import type * as P_${p.module} from "@grafana/schema/dist/esm/raw/composable/${p.module}/panelcfg/x/${cap(p.module)}PanelCfg_types.gen";`).join("\n")}
// JSON carries enum values, not TypeScript enums: compare by value.
type Plain<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T
  : T extends ReadonlyArray<infer U> ? Array<Plain<U>> : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;
// The Prometheus datasource's annotation fields (Grafana reads them at the top level of the annotation).
type PrometheusAnnotation = Plain<AnnotationQuery> & { expr?: string; step?: string; titleFormat?: string; textFormat?: string; tagKeys?: string; useValueForTime?: boolean };
type CheckedDashboard = Omit<Plain<Dashboard>, "annotations"> & { annotations?: { list?: PrometheusAnnotation[] } };
`;

function cap(module) {
  const names = { stat: "Stat", bargauge: "BarGauge", gauge: "Gauge", timeseries: "TimeSeries", table: "Table", statetimeline: "StateTimeline", text: "Text" };
  return names[module];
}

function allPanels(dashboard) {
  const out = [];
  for (const p of dashboard.panels ?? []) {
    out.push(p);
    for (const nested of p.panels ?? []) out.push(nested);
  }
  return out;
}

function source(file) {
  const dashboard = JSON.parse(fs.readFileSync(file, "utf8"));
  const lines = [prelude, `export const dashboard: CheckedDashboard = ${JSON.stringify(dashboard, null, 1)};`];
  const unknown = [];
  for (const p of allPanels(dashboard)) {
    if (p.type === "row") continue;
    const t = panelTypes[p.type];
    if (!t) {
      unknown.push(`panel ${p.id} (${p.title}): type '${p.type}' has no options schema in this check`);
      continue;
    }
    lines.push(`// panel ${p.id}: ${String(p.title).replace(/[\r\n]/g, " ")}`);
    lines.push(`export const panel_${p.id}_options: Plain<P_${t.module}.${t.options}> = ${JSON.stringify(p.options ?? {}, null, 1)};`);
    if (t.custom) {
      lines.push(`export const panel_${p.id}_custom: Plain<P_${t.module}.${t.custom}> = ${JSON.stringify(p.fieldConfig?.defaults?.custom ?? {}, null, 1)};`);
    }
  }
  return { text: lines.join("\n"), unknown };
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check.mjs DASHBOARD.json...");
  process.exit(2);
}

const virtual = new Map();
const problems = [];
for (const f of files) {
  const name = path.join(here, "__checked__", path.basename(f, ".json") + ".ts");
  const { text, unknown } = source(f);
  virtual.set(name, text);
  problems.push(...unknown.map((u) => `${f}: ${u}`));
}

const options = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [] };
const host = ts.createCompilerHost(options);
const readFile = host.readFile.bind(host);
const fileExists = host.fileExists.bind(host);
host.readFile = (n) => virtual.get(path.resolve(n)) ?? readFile(n);
host.fileExists = (n) => virtual.has(path.resolve(n)) || fileExists(n);
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (n, lang, onError, create) =>
  virtual.has(path.resolve(n)) ? ts.createSourceFile(n, virtual.get(path.resolve(n)), lang, true) : getSourceFile(n, lang, onError, create);

const program = ts.createProgram([...virtual.keys()], options, host);
for (const d of ts.getPreEmitDiagnostics(program)) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
  if (d.file && d.start !== undefined) {
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const text = d.file.text.split("\n");
    // The nearest enclosing "title" or "name" in the generated source tells which panel or variable it is.
    let context = "";
    for (let i = line; i >= 0 && !context; i--) {
      const c = /^\/\/ (panel \d+: .*)$/.exec(text[i]);
      const m = c ? null : /"(title|name)": "([^"]*)"/.exec(text[i]);
      if (c) context = ` (${c[1]}: options or custom field config)`;
      else if (m) context = ` (near ${m[1]} "${m[2]}")`;
    }
    problems.push(`${path.basename(d.file.fileName, ".ts")}.json line ${line + 1} of the generated check${context}: ${message}`);
  } else {
    problems.push(message);
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`${files.length} dashboards conform to @grafana/schema ${JSON.parse(fs.readFileSync(path.join(here, "node_modules/@grafana/schema/package.json"), "utf8")).version}`);
