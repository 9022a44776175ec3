// Count the vertices and edges mermaid's own flowchart parser builds from each file.
// Usage (from a folder with node_modules/mermaid and jsdom): node mermaid_counts.mjs FILE.mmd...
// Prints one JSON object per file: {"file", "vertices", "edges", "labels", "ids", "links" ([start, end]
// of each edge), "subgraphs" ([{title, nodes, dir}])} or {"file", "error"}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const req = createRequire(path.join(process.cwd(), 'noop.js'));
const load = async (name) => import(pathToFileURL(req.resolve(name)).href);
const { JSDOM } = await load('jsdom');
const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaid = (await load('mermaid')).default;
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
for (const file of process.argv.slice(2)) {
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(readFileSync(file, 'utf8'));
    const vertices = diagram.db.getVertices();
    const list = vertices instanceof Map ? [...vertices.values()] : Object.values(vertices);
    const edges = diagram.db.getEdges();
    const subgraphs = diagram.db.getSubGraphs ? diagram.db.getSubGraphs() : [];
    console.log(JSON.stringify({ file, vertices: list.length, edges: edges.length,
      labels: list.map((v) => v.text), ids: list.map((v) => v.id),
      links: edges.map((e) => [e.start, e.end]),
      subgraphs: subgraphs.map((g) => ({ title: g.title, nodes: g.nodes, dir: g.dir })) }));
  } catch (err) {
    console.log(JSON.stringify({ file, error: String(err.message || err) }));
  }
}
